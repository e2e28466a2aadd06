"""Trained linear classifiers, run with numpy only, over one feature space that they all share.

A sentence becomes a sparse vector once (`FeatureSpace.vector`): TF-IDF of its word n-grams and of its
character n-grams, each block L2-normalised on its own as scikit-learn's TfidfVectorizer does. Every model
(intents, disclosures, slot values) scores that same vector, plus WordLlama's meaning of the sentence (the mean
of its tokens' scores). scikit-learn trains them (`training.py`); `kindly parse` never imports it.
"""

from __future__ import annotations

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

    features: np.ndarray
    """Sorted UTF-8 bytes of every n-gram: word n-grams start with "w ", character n-grams with "c"."""
    idf: np.ndarray

    def __post_init__(self) -> None:
        self._row_of = {feature.decode(): row for row, feature in enumerate(self.features.tolist())}
        """Row of each n-gram: a dict lookup is faster per sentence than a binary search over the array."""

    def vector(self, norm: str, tagged: str, token_ids: list[int] | None = None) -> Vector:
        rows: list[np.ndarray] = []
        values: list[np.ndarray] = []
        for block in (word_features(tagged), char_features(norm)):
            known = [(self._row_of[f], n) for f, n in Counter(block).items() if f in self._row_of]
            if known:
                found = np.fromiter((row for row, _ in known), dtype=np.int64, count=len(known))
                counts = np.fromiter((n for _, n in known), dtype=np.float64, count=len(known))
                weights = counts * self.idf[found]
                rows.append(found)
                values.append(weights / np.sqrt(weights @ weights))
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), token_ids or []
        return np.concatenate(rows), np.concatenate(values).astype(np.float32), token_ids or []

    def save(self, path: Path) -> None:
        _save(path, features=self.features, idf=self.idf)

    @classmethod
    def load(cls, path: Path) -> "FeatureSpace":
        with np.load(path, allow_pickle=False) as data:
            return cls(data["features"], data["idf"])


@dataclass
class LinearModel:
    classes: tuple[str, ...]
    weights: np.ndarray
    """Feature rows × classes."""
    bias: np.ndarray
    token_scores: np.ndarray | None = None
    """WordLlama token id × classes: each token's share of a sentence's score (the mean over its tokens)."""

    def probabilities(self, vector: Vector) -> np.ndarray:
        """Class probabilities of one sentence (softmax of the scores)."""
        rows, values, token_ids = vector
        scores = self.bias + values @ self.weights[rows]
        if self.token_scores is not None and token_ids:
            scores = scores + self.token_scores[token_ids].mean(axis=0)
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()

    def save(self, path: Path) -> None:
        arrays = {"classes": np.array(self.classes), "weights": self.weights, "bias": self.bias}
        if self.token_scores is not None:
            arrays["token_scores"] = self.token_scores
        _save(path, **arrays)

    @classmethod
    def load(cls, path: Path) -> "LinearModel":
        with np.load(path, allow_pickle=False) as data:
            return cls(tuple(data["classes"].tolist()), data["weights"], data["bias"],
                       data["token_scores"] if "token_scores" in data else None)


def _save(path: Path, **arrays: np.ndarray) -> None:
    """One .npz file, written aside and then moved into place, so a half-written file is never read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp.npz")
    np.savez(temporary, **arrays)
    temporary.replace(path)
