"""The intents' templates compiled into a JSGF grammar, for decoding commands with the grammar's constraint.

Alternatives, optionals and slots stay as they are written (a few hundred rules), never the thirteen thousand
sentences they expand to. Values slots become rules of their phrases, durations a rule of spoken durations;
templates with free text (`remember that we agreed {text}`) are left to the open language model, and so is any
alternative with a word the pronunciation dictionary lacks.
"""

from __future__ import annotations

import re

from assistant.understanding import templates
from assistant.understanding.intents import Catalog
from assistant.understanding.numbers import WORD_VALUES

_UNITS = "one two three four five six seven eight nine".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
DURATIONS = ("<number> [more] {unit}", "[a] half {an} hour", "an hour", "an hour and a half", "[a] quarter [of] [an] hour", "<number>")
UNITS = ("minute", "minutes", "min", "mins", "hour", "hours")
NUMBERS = [*(w for w in WORD_VALUES if w not in ("couple", "hundred")), *(f"{t} {u}" for t in _TENS for u in _UNITS)]


def jsgf(catalog: Catalog, known: set[str], wake_phrase: str = "", max_words: int | None = None) -> str:
    """A JSGF grammar of every intent's closed templates; `known` are the words the decoder can say. With
    `max_words`, only templates no longer than that (slots counted as one word) are kept."""
    rules: dict[str, str] = {}
    intents = []
    for number, intent in enumerate(catalog.intents.values()):
        kept = [t for t in intent.templates if max_words is None or _longest(templates.parse(t)) <= max_words]
        bodies = [b for b in (_sequence(templates.parse(t), catalog, known, rules) for t in kept) if b]
        if bodies:
            rules[f"intent{number}"] = " | ".join(f"( {b} )" for b in bodies)
            intents.append(f"<intent{number}>")
    wake = [w for w in wake_phrase.lower().split() if w in known]
    prefix = f"[ {' '.join(wake)} ] " if wake and len(wake) == len(wake_phrase.split()) else ""
    lines = ["#JSGF V1.0;", "grammar kindly;", f"public <command> = {prefix}( {' | '.join(intents) or '<VOID>'} );"]
    lines += [f"<{name}> = {body};" for name, body in rules.items()]
    return "\n".join(lines) + "\n"


def _longest(parts: tuple[templates.Part, ...]) -> int:
    """Words in the longest sentence of a template, a slot counting as one."""
    total = 0
    for part in parts:
        if isinstance(part, str):
            total += len(part.split())
        elif isinstance(part, templates.Slot):
            total += 1
        else:
            total += max(_longest(option) for option in part.options)
    return total


def _sequence(parts: tuple[templates.Part, ...], catalog: Catalog, known: set[str], rules: dict[str, str]) -> str | None:
    out = []
    for part in parts:
        if isinstance(part, str):
            words = part.split()
            if any(w not in known for w in words):
                return None
            out += words
        elif isinstance(part, templates.Slot):
            rule = _slot(part.name, catalog, known, rules)
            if rule is None:
                return None
            out.append(rule)
        else:
            options = [_sequence(option, catalog, known, rules) for option in part.options]
            optional = () in part.options
            kept = [o for o in options if o]
            if not kept:
                if optional:
                    continue
                return None
            out.append(f"[ {' | '.join(kept)} ]" if optional else f"( {' | '.join(kept)} )")
    return " ".join(out) or None


def _slot(name: str, catalog: Catalog, known: set[str], rules: dict[str, str]) -> str | None:
    """A rule for a slot (made once), or None for free text."""
    slot = catalog.slots[name]
    if slot.kind == "text":
        return None
    rule = f"slot_{re.sub(r'[^a-z0-9_]', '_', name.lower())}"
    if rule not in rules:
        if slot.kind == "duration":
            rules["number"] = " | ".join(n for n in NUMBERS if all(w in known for w in n.split()))
            unit = "( " + " | ".join(u for u in UNITS if u in known) + " )"
            rules[rule] = " | ".join(d.format(unit=unit, an="( an | a )") for d in DURATIONS)
        else:
            phrases = [p for phrases in slot.values.values() for p in phrases if all(w in known for w in p.split())]
            if not phrases:
                return None
            rules[rule] = " | ".join(dict.fromkeys(phrases))
    return f"<{rule}>"
