"""Find slot values in normalised text and put a `{slot}` placeholder where each was said.

The same tagging runs over the intent examples and over what the person said, so matching compares
sentence shapes ("we fight about {theme}") and the values come out as slots.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.understanding.intents import Catalog
from assistant.understanding.numbers import BARE_NUMBER, find_duration, number_value
from assistant.understanding.phrases import PhraseSet

MIN_BARE_MINUTES = 5
"""A bare number ("make it twenty") counts as minutes from here up; "two" alone rarely means a break."""
MAX_BARE_MINUTES = 180
CORRECTION = re.compile(r"\b(?:no|actually|make it|or rather|sorry|i mean)\b")
"""After one of these a later length replaces the first ("for an hour no actually forty minutes")."""


class SlotTagger:
    """Replaces slot phrases with placeholders and remembers their values."""

    def __init__(self, catalog: Catalog) -> None:
        self._phrase_slot: dict[str, tuple[str, str]] = {}
        for slot in catalog.slots.values():
            for value, phrases in slot.values.items():
                for phrase in phrases:
                    self._phrase_slot.setdefault(phrase, (slot.name, value))
        self._phrases = PhraseSet(self._phrase_slot)
        self._duration_slots = [s.name for s in catalog.slots.values() if s.kind == "duration"]

    def tag(self, text: str) -> tuple[str, dict[str, Any]]:
        """Text with placeholders, and the values found (first one wins per slot)."""
        found: dict[str, Any] = {}
        if self._duration_slots:
            text = self._tag_duration(text, found)
        words = text.split()
        tagged: list[str] = []
        position = 0
        for start, end in self._phrases.find(words):
            slot, value = self._phrase_slot[" ".join(words[start:end])]
            found.setdefault(slot, value)
            tagged += words[position:start] + ["{" + slot + "}"]
            position = end
        return " ".join(tagged + words[position:]), found

    def _tag_duration(self, text: str, found: dict[str, Any]) -> str:
        name = self._duration_slots[0]
        duration = find_duration(text)
        if duration:
            minutes, (start, end) = duration
            found[name] = _corrected(text[end:]) or minutes
            return text[:start] + "{" + name + "}" + text[end:]
        bare = _bare_minutes(text)
        if bare:
            minutes, (start, end) = bare
            found[name] = minutes
            return text[:start] + "{" + name + "}" + text[end:]
        return text


def _bare_minutes(text: str) -> tuple[int, tuple[int, int]] | None:
    """The first bare number that can be a break's length in minutes, and where it was said."""
    for bare in BARE_NUMBER.finditer(text):
        minutes = number_value(bare.group("n"))
        if MIN_BARE_MINUTES <= minutes <= MAX_BARE_MINUTES:
            return minutes, (bare.start(), bare.end())
    return None


def _corrected(rest: str) -> int | None:
    """A length said after a self-correction, which replaces the one said before it."""
    cue = CORRECTION.search(rest)
    if cue is None:
        return None
    later = find_duration(rest[cue.end():]) or _bare_minutes(rest[cue.end():])
    return later[0] if later else None
