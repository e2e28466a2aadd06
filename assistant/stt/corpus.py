"""The sentences Kindly understands, with slots filled in: the text the recognisers are biased toward."""

from __future__ import annotations

import itertools
import re

from assistant.intents import Catalog

SPOKEN_DURATIONS = (
    "twenty minutes", "half an hour", "ten minutes", "thirty minutes", "an hour", "fifteen minutes",
    "forty five minutes", "five minutes", "two hours", "twenty five minutes", "ten more minutes", "an hour and a half",
)
SAMPLE_AGREEMENTS = (
    "we take turns cooking", "sam does the dishes on weekdays", "we talk about money on sundays",
    "no phones at dinner", "we go to bed at the same time", "we call if we are late", "we split the bills",
    "we check in every evening", "alex walks the dog in the morning", "we ask before big purchases",
)
FILLS_PER_EXAMPLE = 2
_SLOT = re.compile(r"\{(\w+)\}")


WAKE_REPEATS = 50
"""The wake phrase alone counts this often, so the recogniser expects it at the start of a turn."""
WAKE_EVERY = 10
"""Every tenth sentence also appears after the wake phrase ("hey kindly i need a break")."""


def sentences(catalog: Catalog, wake_phrase: str = "hey kindly") -> list[str]:
    """Every example and trigger with its slots filled, cycling through the slot phrases so all appear,
    and the wake phrase alone and before each example."""
    fills = {name: _fills(catalog, name) for name in catalog.slots}
    out: list[str] = []
    counter = itertools.count()
    for intent in catalog.intents.values():
        for example in intent.examples + intent.triggers:
            if "{" not in example:
                out.append(example)
                continue
            for _ in range(FILLS_PER_EXAMPLE):
                index = next(counter)
                out.append(_SLOT.sub(lambda m: fills[m.group(1)][index % len(fills[m.group(1)])], example))
    for phrases in fills.values():
        out.extend(phrases)
    wake = " ".join(wake_phrase.lower().split())
    out += [wake] * WAKE_REPEATS + [f"{wake} {line}" for line in out[:: WAKE_EVERY]]
    return list(dict.fromkeys(" ".join(s.split()) for s in out)) + [wake] * WAKE_REPEATS


def _fills(catalog: Catalog, name: str) -> list[str]:
    slot = catalog.slots[name]
    if slot.kind == "duration":
        return list(SPOKEN_DURATIONS)
    if slot.kind == "text":
        resolved = catalog.slots.get(slot.resolve or "")
        phrases = [p for values in resolved.values.values() for p in values] if resolved else []
        return list(SAMPLE_AGREEMENTS) + phrases
    return [p for values in slot.values.values() for p in values]


def words(texts: list[str]) -> set[str]:
    return {w for text in texts for w in text.split()}
