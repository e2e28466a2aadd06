"""Find known multi-word phrases in a sentence by looking word spans up in a set (fast for thousands of phrases)."""

from __future__ import annotations

from typing import Iterable, Iterator


class PhraseSet:
    """Literal phrases, matched on whole words, longest first, left to right, without overlaps."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self._phrases = {" ".join(p.split()) for p in phrases if p.strip()}
        self._longest = max((len(p.split()) for p in self._phrases), default=0)

    def __bool__(self) -> bool:
        return bool(self._phrases)

    def find(self, words: list[str]) -> Iterator[tuple[int, int]]:
        """(start, end) word spans of the phrases found."""
        start = 0
        while start < len(words):
            for end in range(min(len(words), start + self._longest), start, -1):
                if " ".join(words[start:end]) in self._phrases:
                    yield start, end
                    start = end
                    break
            else:
                start += 1

    def occurs_in(self, words: list[str]) -> bool:
        return next(self.find(words), None) is not None
