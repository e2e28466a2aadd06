"""Trained linear classifiers, run with numpy only, over one feature space that they all share.

A sentence becomes a sparse vector once (`FeatureSpace.vector`): TF-IDF of its word n-grams and of its
character n-grams, each block L2-normalised on its own as scikit-learn's TfidfVectorizer does. Every model
(intents, disclosures, slot values) scores that same vector, plus WordLlama's meaning of the sentence (the mean
of its tokens' scores). scikit-learn trains them (`training.py`); `kindly parse` never imports it.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.understanding.features import char_features, word_features

Vector = tuple[np.ndarray, np.ndarray, list[int]]
"""Rows of the features a sentence has, their TF-IDF values, and its WordLlama token ids."""


@dataclass
class FeatureSpace:
    """The n-grams every model knows, with their inverse document frequency."""

    features: np.ndarray | None
    """Sorted UTF-8 bytes of every n-gram: word n-grams start with "w ", character n-grams with "c". None in a
    loaded space: finding rows needs only their hashes, and the names (5 MB) are needed only to save."""
    idf: np.ndarray

    def __post_init__(self) -> None:
        # Rows are found by the n-gram's hash in a sorted array: as fast as a dict, at a twentieth of its memory
        # (105,000 n-grams: 1.7 MB against 15 MB). Two n-grams sharing a 64-bit hash is not a practical concern.
        hashes = np.fromiter((hash(f.decode()) for f in self.features.tolist()), dtype=np.int64, count=len(self.features))
        self._order = np.argsort(hashes).astype(np.int32)
        self._hashes = hashes[self._order]

    def vector(self, norm: str, tagged: str, token_ids: list[int] | None = None) -> Vector:
        rows: list[np.ndarray] = []
        values: list[np.ndarray] = []
        for block in (word_features(tagged), char_features(norm)):
            found, counts = self.rows(Counter(block))
            if len(found):
                weights = counts * self.idf[found]
                rows.append(found)
                values.append(weights / np.sqrt(weights @ weights))
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), token_ids or []
        return np.concatenate(rows), np.concatenate(values).astype(np.float32), token_ids or []

    def rows(self, counts: Counter[str]) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the known features among these, and how often each was seen (unknown ones are dropped)."""
        if not counts or not len(self._hashes):
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        wanted = np.array(list(map(hash, counts)), dtype=np.int64)
        at = np.minimum(np.searchsorted(self._hashes, wanted), len(self._hashes) - 1)
        known = self._hashes[at] == wanted
        times = np.array(list(counts.values()), dtype=np.float64)
        return self._order[at[known]].astype(np.int64), times[known]

    def save(self, path: Path) -> None:
        assert self.features is not None, "a loaded feature space is not saved again"
        _save(path, features=self.features, idf=self.idf)

    @classmethod
    def load(cls, path: Path) -> "FeatureSpace":
        with np.load(path, allow_pickle=False) as data:
            space = cls(data["features"], data["idf"])
        space.features = None
        return space


@dataclass
class LinearModel:
    classes: tuple[str, ...]
    weights: np.ndarray
    """Feature rows × classes."""
    bias: np.ndarray
    token_scores: np.ndarray | None = None
    """WordLlama token id × classes: each token's share of a sentence's score (the mean over its tokens)."""
    weight_row: np.ndarray | None = None
    """In a loaded model, where each feature's weights are in `weights`; None when they are in its own row. A
    feature the model never met in training weighs exactly 0, and most models meet few of the shared space's
    features: all of those share one last row of zeros, which saves the voice loop 12 MB."""

    def probabilities(self, vector: Vector) -> np.ndarray:
        """Class probabilities of one sentence (softmax of the scores)."""
        rows, values, token_ids = vector
        if self.weight_row is not None:
            rows = self.weight_row[rows]
        scores = self.bias + values @ self.weights[rows].astype(np.float32)
        if self.token_scores is not None and token_ids:
            scores = scores + self.token_scores[token_ids].astype(np.float32).sum(axis=0) / len(token_ids)  # the mean
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()

    def save(self, path: Path) -> None:
        assert self.weight_row is None, "a loaded model is not saved again"
        arrays = {"classes": np.array(self.classes), "weights": self.weights, "bias": self.bias}
        if self.token_scores is not None:
            arrays["token_scores"] = self.token_scores
        _save(path, **arrays)

    @classmethod
    def load(cls, path: Path) -> "LinearModel":
        # half precision in memory: scores change in the fourth digit, and the voice loop stays under its budget
        with np.load(path, allow_pickle=False) as data:
            weights = data["weights"]
            used = np.any(weights != 0, axis=1)
            weight_row = None
            if 4 * len(weights) + 2 * weights.shape[1] * used.sum() < 2 * weights.size:  # the index saves bytes
                weight_row = np.where(used, np.cumsum(used) - 1, used.sum()).astype(np.int32)
                weights = np.vstack([weights[used], np.zeros((1, weights.shape[1]), weights.dtype)])
            return cls(tuple(data["classes"].tolist()), weights.astype(np.float16), data["bias"],
                       data["token_scores"].astype(np.float16) if "token_scores" in data else None, weight_row)


def _save(path: Path, **arrays: np.ndarray) -> None:
    """One .npz file, written aside and then moved into place, so a half-written file is never read (the name
    aside is the process's own: parallel test workers may train the same models at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp.npz")
    np.savez(temporary, **arrays)
    temporary.replace(path)
