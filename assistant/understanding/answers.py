"""Short answers to a question Kindly asked: yes, no, partly (for graded questions) or unsure.

The phrases are data (answers.yaml); an answer is read this way only when the whole turn is one of them, so
"yes, and he hit me" is never just "yes".
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from assistant import datafile
from assistant.understanding.normalize import normalise

YES, NO, PARTLY, UNSURE = "yes", "no", "partly", "unsure"
GRADES = {YES: 1.0, PARTLY: 0.5, NO: 0.0}
"""How much a quiz answer counts towards a pattern."""
_DROPPED = frozenset({"please", "thanks", "thank", "you", "kindly", "well", "so", "oh", "hmm", "honestly", "really"})


def read(text: str) -> str | None:
    """YES, NO, PARTLY or UNSURE when the whole turn is such an answer, else None."""
    words = normalise(text).split()
    trimmed = " ".join(w for w in words if w not in _DROPPED) or " ".join(words)
    for grade, phrases in _phrases().items():
        if trimmed in phrases or " ".join(words) in phrases:
            return grade
    return None


@lru_cache(maxsize=1)
def _phrases() -> dict[str, frozenset[str]]:
    data = datafile.parse(Path(__file__).with_name("answers.yaml").read_text(encoding="utf-8"))
    return {grade: frozenset(" ".join(normalise(str(p)).split()) for p in data[grade]) for grade in (YES, NO, PARTLY, UNSURE)}
