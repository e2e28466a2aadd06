"""What a linear model sees of a sentence: word n-grams of its slot-tagged form and character n-grams of its words.

The same functions feed training (scikit-learn) and prediction (numpy), so the two cannot drift apart.
"""

from __future__ import annotations

WORD_NGRAMS = 2
"""Words and pairs of neighbouring words ("need a", "a break")."""
CHAR_NGRAMS = (2, 5)
"""Character n-grams from 2 to 5 inside each word padded with spaces: "bruised" shares " bru" with "bruise",
and a misheard word still shares most of its pieces with the right one."""


def word_features(tagged: str) -> list[str]:
    """Single words and neighbouring pairs of a normalised, slot-tagged sentence."""
    words = tagged.split()
    out = [f"w {w}" for w in words]
    out += [f"w {a} {b}" for a, b in zip(words, words[1:])]
    return out


def char_features(norm: str) -> list[str]:
    """Character n-grams of each word, with a space on either side marking its start and end."""
    low, high = CHAR_NGRAMS
    out = []
    for word in norm.split():
        padded = f" {word} "
        for n in range(low, high + 1):
            out += [f"c{padded[i:i + n]}" for i in range(len(padded) - n + 1)]
    return out
