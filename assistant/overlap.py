"""Word-overlap scores of one sentence against every example at once.

This is rapidfuzz's token-set idea computed with word postings instead of per pair: the characters of the
words both share, against the shared characters plus the smaller leftover. A sentence that contains a whole
example scores 1, however many extra words it has. Misspelled words (five letters or more) count as the
closest known word.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

MIN_TYPO_LENGTH = 5
"""Shorter words must be spelled right to count as known: "brake" is not "break"."""
TYPO_SIMILARITY = 90


class OverlapIndex:
    """Examples as sets of words, ready to be scored against a sentence in one vectorised step."""

    def __init__(self, examples: list[str]) -> None:
        postings: dict[str, list[int]] = {}
        totals = np.zeros(len(examples), dtype=np.float32)
        for index, example in enumerate(examples):
            for word in set(example.split()):
                postings.setdefault(word, []).append(index)
                totals[index] += _weight(word)
        self._postings = {word: np.array(ids, dtype=np.int32) for word, ids in postings.items()}
        self._totals = totals
        self._known = list(self._postings)
        self.canonical = lru_cache(maxsize=8192)(self._canonical)

    def scores(self, sentence: str) -> np.ndarray:
        """Overlap of the sentence with each example, 0–1."""
        words = set(sentence.split())
        query_total = float(sum(_weight(w) for w in words))
        known = [(self.canonical(w), _weight(w)) for w in words]
        hits = [(self._postings[w], weight) for w, weight in known if w is not None]
        if not hits:
            return np.zeros_like(self._totals)
        ids = np.concatenate([h[0] for h in hits])
        weights = np.repeat(np.array([h[1] for h in hits], dtype=np.float32), [len(h[0]) for h in hits])
        shared = np.bincount(ids, weights=weights, minlength=len(self._totals)).astype(np.float32)
        leftover = np.minimum(query_total - shared, self._totals - shared)
        return np.where(shared > 0, 2 * shared / (2 * shared + leftover), 0.0)

    def _canonical(self, word: str) -> str | None:
        """The known word this word stands for, or None."""
        if word in self._postings:
            return word
        if len(word) < MIN_TYPO_LENGTH:
            return None
        found = process.extractOne(word, self._known, scorer=fuzz.ratio, score_cutoff=TYPO_SIMILARITY)
        return found[0] if found else None


def _weight(word: str) -> float:
    """A word counts by its length plus the space after it, as in character-level token-set scores."""
    return len(word) + 1.0
