"""Find known multi-word phrases in a sentence by looking word spans up in a set (fast for thousands of phrases)."""

from __future__ import annotations

from typing import Iterable, Iterator


class PhraseSet:
    """Literal phrases, matched on whole words, longest first, left to right, without overlaps."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self._phrases = {" ".join(p.split()) for p in phrases if p.strip()}
        lengths: dict[str, set[int]] = {}
        for phrase in self._phrases:
            words = phrase.split()
            lengths.setdefault(words[0], set()).add(len(words))
        self._lengths_by_first_word = {word: sorted(n, reverse=True) for word, n in lengths.items()}
        """Only spans starting with a phrase's first word, and only of that phrase's lengths, are looked up."""

    def __bool__(self) -> bool:
        return bool(self._phrases)

    def find(self, words: list[str]) -> Iterator[tuple[int, int]]:
        """(start, end) word spans of the phrases found."""
        start = 0
        while start < len(words):
            for length in self._lengths_by_first_word.get(words[start], ()):
                end = start + length
                if end <= len(words) and (length == 1 or " ".join(words[start:end]) in self._phrases):
                    yield start, end
                    start = end
                    break
            else:
                start += 1

    def occurs_in(self, words: list[str]) -> bool:
        return next(self.find(words), None) is not None
