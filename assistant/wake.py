"""Wake-up: who is Kindly listening to? The wake phrase ("hey kindly"), always (a dedicated device), or the
Enter key (push to talk). Follow-up turns inside a conversation need no wake phrase for a few seconds.

The wake phrase is found by the recogniser itself: its language model expects the phrase at the start of a
turn, so "hey kindly, I need a break" works in one breath, and "hey kindly" alone wakes it for the request.
"""

from __future__ import annotations

import select
import sys
from dataclasses import dataclass

import numpy as np

from assistant.errors import UsageError
from assistant.messages import SAMPLE_RATE

WAIT_FOR_REQUEST_S = 8.0
"""After the wake phrase alone (or Enter), how long Kindly listens for the request."""
FOLLOW_UP_S = 6.0
"""After a reply, how long a follow-up ("yes", "say that again") needs no wake phrase."""
SEARCH_WORDS = 2
"""At high sensitivity, the wake phrase's last word alone among the first words heard is enough."""
LOOSE_SENSITIVITY = 0.7
"""From this sensitivity up, a half-heard phrase ("do you kindly") wakes Kindly too; below, the whole phrase must
open the turn."""
EARCON_HZ = (660.0, 880.0)
EARCON_S = 0.18
EARCON_LEVEL = 0.15


@dataclass
class Waker:
    """Decides whether a transcript is meant for Kindly, and strips the wake phrase from it."""

    mode: str = "wake"
    phrase: str = "hey kindly"
    sensitivity: float = 0.5
    awake_until: float = 0.0

    def __post_init__(self) -> None:
        self.words = self.phrase.lower().split()
        self.key = self.words[-1]

    def check_words(self, known: set[str]) -> None:
        """Refuse a wake phrase the recogniser cannot hear."""
        unknown = [w for w in self.phrase.lower().split() if w not in known]
        if unknown:
            raise UsageError(f"setting 'wake_phrase' has words the recogniser does not know: {', '.join(unknown)}",
                             "Choose common English words, such as 'hey kindly'.")

    def awake(self, now: float) -> bool:
        return self.mode == "always" or now < self.awake_until

    def hear(self, text: str, now: float) -> tuple[str, bool]:
        """(the request without the wake phrase, whether the wake phrase was said)."""
        words = text.split()
        if words[: len(self.words)] == self.words:
            return " ".join(words[len(self.words) :]), True
        if self.sensitivity >= LOOSE_SENSITIVITY and self.key in words[:SEARCH_WORDS]:
            return " ".join(words[words.index(self.key) + 1 :]), True
        return (text if self.awake(now) else ""), False

    def pushed(self) -> bool:
        """Push to talk: True when Enter was pressed in the terminal."""
        if self.mode != "push" or not sys.stdin.isatty():
            return False
        readable, _, _ = select.select([sys.stdin], [], [], 0)
        if readable:
            sys.stdin.readline()
            return True
        return False


def earcon() -> bytes:
    """A soft two-note chime, generated: no sound file is needed."""
    count = int(EARCON_S * SAMPLE_RATE)
    t = np.arange(count) / SAMPLE_RATE
    half = count // 2
    tone = np.where(np.arange(count) < half, np.sin(2 * np.pi * EARCON_HZ[0] * t), np.sin(2 * np.pi * EARCON_HZ[1] * t))
    envelope = np.minimum(1.0, np.minimum(np.arange(count), count - np.arange(count)) / (0.02 * SAMPLE_RATE))
    return (tone * envelope * EARCON_LEVEL * 32767).astype("<i2").tobytes()
