"""Heat: swearing, "I'm done", "I can't", a pounding heart, shouting. A turn Kindly did not understand that
carries these is answered with the offer of a break (domain brief §2: self-report is enough to start one)."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant import datafile
from assistant.resources import content
from assistant.understanding.normalize import normalise


@lru_cache(maxsize=1)
def _rules() -> tuple[re.Pattern[str], int]:
    data = datafile.parse(content("heat.yaml").read_text(encoding="utf-8"))
    phrases = [normalise(p) for key in ("swearing", "done", "body") for p in data[key]]
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True) if p) + r")\b")
    return pattern, int(data["shouting_words"])


def is_heated(text: str) -> bool:
    """Whether the words carry heat: a listed phrase, or several words shouted in capitals."""
    pattern, shouting = _rules()
    if pattern.search(normalise(text)):
        return True
    words = re.findall(r"[A-Za-z']+", text)
    return len(words) >= shouting and sum(w.isupper() and len(w) > 1 for w in words) >= shouting
