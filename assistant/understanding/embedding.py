"""Sentence meaning from WordLlama's static token embeddings (a 16 MB file inside the `wordllama` wheel).

A WordLlama sentence vector is the mean of its tokens' vectors, so a linear model's score over it is the mean of
each token's own score. Training computes those per-token scores once (`token_scores`); prediction then only
needs the tokenizer and a small table, never the embedding matrix or the `wordllama` code (which would try the
network for a missing file).
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.errors import ModelError

WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"


def _package() -> Path:
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError("the wordllama package is not installed", "Reinstall Kindly (scripts/setup).")
    return Path(list(spec.submodule_search_locations)[0])


class Tokenizer:
    """WordLlama's tokenizer, loaded from the wheel's own file."""

    def __init__(self) -> None:
        from tokenizers import Tokenizer as HFTokenizer

        path = _package() / TOKENIZER
        try:
            self._tokenizer = HFTokenizer.from_file(str(path))
        except Exception as error:  # noqa: BLE001 - tokenizers raises its own exception type
            raise ModelError(f"WordLlama's tokenizer {path} cannot be read ({error})", "Reinstall Kindly (scripts/setup).") from None

    def ids(self, text: str) -> list[int]:
        return self._tokenizer.encode(text, add_special_tokens=False).ids

    def batch(self, texts: list[str]) -> list[list[int]]:
        return [encoding.ids for encoding in self._tokenizer.encode_batch(texts, add_special_tokens=False)]


@lru_cache(maxsize=1)
def matrix() -> np.ndarray:
    """The token embedding matrix (tokens × 256), for training only."""
    from safetensors.numpy import load_file

    path = _package() / WEIGHTS
    try:
        return next(iter(load_file(str(path)).values())).astype(np.float32)
    except Exception as error:  # noqa: BLE001 - safetensors raises its own exception type
        raise ModelError(f"WordLlama's weights {path} cannot be read ({error})", "Reinstall Kindly (scripts/setup).") from None


def sentence_vectors(token_ids: list[list[int]]) -> np.ndarray:
    """Mean token vector of each sentence (zeros for an empty one), for training."""
    table = matrix()
    out = np.zeros((len(token_ids), table.shape[1]), dtype=np.float32)
    for row, ids in enumerate(token_ids):
        if ids:
            out[row] = table[ids].mean(axis=0)
    return out
