"""The sentences Kindly understands, with slots filled in: the text the recognisers are biased toward."""

from __future__ import annotations

import dataclasses
import itertools
import random
import re
from pathlib import Path

from assistant.understanding.intents import Catalog
from assistant.understanding.trained import SAFETY_INTENT

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


SHORT_WORDS = 3
SHORT_REPEATS = 20
"""Sentences of up to SHORT_WORDS words ("yes", "stop", "more please") count this often in the language model: see
weighted()."""
WAKE_REPEATS = 50
"""The wake phrase alone counts this often, so the recogniser expects it at the start of a turn (and, being short,
SHORT_REPEATS times that in the language model: weighted())."""
WAKE_EVERY = 10
"""Every tenth sentence also appears after the wake phrase ("hey kindly i need a break")."""


def natural(folder: Path | None) -> list[str]:
    """Sentences people wrote, normalised: the intent folder's training sentences and the disclosure data, so the
    recogniser knows the words of conflict and disclosure that no template has ("bruised", "pills", "cuppa").
    Their "um" and "uh" stay (1,028 of 42,775 sentences start with one), so the recogniser hears a hesitation as
    one instead of as a word ("um hello" was heard as "mumble", "uh huh" as "the"); the engines then leave it out
    of what they report.

    Safety files marked `language_model: false` are left out: with the sixteen blind personas of 2026-12-02 in it,
    held out (scripts/eval_speech.py --per-file 5 --disclosures 40, flite awb, festival, flite slt), 113 of 120
    disclosures reached safety against 114 without, 7 of 120 ordinary sentences were taken for one against 5, and
    festival in white noise heard 2 of 6 requests outside Kindly's scope as commands (tests/test_speech.py). They
    train the understanding models only."""
    from assistant.understanding import training
    from assistant.understanding.normalize import normalise

    examples = training.persona_examples(training.persona_files(folder)) if folder else []
    examples += training.disclosure_examples(training.safety_files("language_model"))
    return list(dict.fromkeys(n for n in (normalise(e.text, fillers=True) for e in examples) if n))


def natural_sources(folder: Path | None) -> list[Path]:
    """Everything natural() depends on: its sentence files, and the code and word list that normalise them. Their
    bytes key the cached language model, so a start-up need not read 20,000 sentences to find it up to date."""
    from assistant.conversation.verbs import FILE as WORD_FORMS
    from assistant.resources import content
    from assistant.understanding import dialect, normalize, numbers, training

    files = training.persona_files(folder) if folder else []
    code = [Path(module.__file__ or "") for module in (normalize, dialect, numbers, training)]
    return [*files, *training.safety_files("language_model"), *code, Path(__file__), content(WORD_FORMS)]


def sentences(catalog: Catalog, wake_phrase: str = "hey kindly") -> list[str]:
    """Every example and trigger with its slots filled, cycling through the slot phrases so all appear,
    and the wake phrase alone and before each example."""
    fills = {name: _fills(catalog, name) for name in catalog.slots}
    out: list[str] = []
    counter = itertools.count()
    for intent in catalog.intents.values():
        for example in intent.examples:
            if "{" not in example:
                out.append(example)
                continue
            for _ in range(FILLS_PER_EXAMPLE):
                index = next(counter)
                out.append(_SLOT.sub(lambda m: fills[m.group(1)][index % len(fills[m.group(1)])], example))
    for phrases in fills.values():
        out.extend(phrases)
    wake = " ".join(wake_phrase.lower().split())
    out = [wake] * WAKE_REPEATS + woken(out, wake)
    return list(dict.fromkeys(" ".join(s.split()) for s in out)) + [wake] * WAKE_REPEATS


def weighted(templates: list[str]) -> list[str]:
    """The template sentences, with the short ones repeated. People answer Kindly in a word or two far more often
    than the corpus says: among its 50,000 sentences of conflict and disclosure, a bare "yes" was so rare that the
    open model heard "yet" for it, "eight" for "hey" and "know" for "no". Short persona sentences (1,815 spoken by five
    voices, the personas' own sentences left out of the model) were understood 1,168 times with the templates once,
    1,245 with the short ones 5 times, 1,310 with 20 and 1,340 with 50. On longer sentences and disclosures of
    development personas left out of the model (350 spoken), 20 gained 4 sentences and lost 1 disclosure of 200;
    50 lost 3, so 20 it is: disclosures come first."""
    return templates + [t for t in templates if len(t.split()) <= SHORT_WORDS] * (SHORT_REPEATS - 1)


def woken(lines: list[str], wake_phrase: str) -> list[str]:
    """The lines, and every WAKE_EVERY-th of them again after the wake phrase: so the wake phrase keeps its share
    of sentence starts however many natural sentences join the templates (with 27,000 natural sentences and the
    templates alone woken, "he" began 18 % of sentences and "hey" 3 %, and espeak-ng's "hey kindly" was heard
    as "he kindly" in 2 of 10 voices; with both woken, 0 of 10: tests/test_wake.py)."""
    wake = " ".join(wake_phrase.lower().split())
    return lines + [f"{wake} {line}" for line in lines[::WAKE_EVERY]]


def command_catalog(catalog: Catalog) -> Catalog:
    """The intents whose templates are commands: all but the disclosure one, which is free speech."""
    return Catalog({name: intent for name, intent in catalog.intents.items() if name != SAFETY_INTENT}, catalog.slots)


def commands(catalog: Catalog, wake_phrase: str = "hey kindly") -> list[str]:
    """The sentences of every closed template (no free text; no disclosure), slots filled: a grammar of commands."""
    texts = {slot for slot, spec in catalog.slots.items() if spec.kind == "text"}
    kept = Catalog({name: dataclasses.replace(intent, examples=[e for e in intent.examples if not any(f"{{{t}}}" in e for t in texts)])
                    for name, intent in command_catalog(catalog).intents.items()}, catalog.slots)
    return [s for s in sentences(kept, wake_phrase) if s != wake_phrase.lower()]


def fill(catalog: Catalog, example: str, rng: random.Random) -> str:
    """One example with each slot replaced by a phrase, picked at random, that says one of its values."""
    return _SLOT.sub(lambda m: rng.choice(_fills(catalog, m.group(1))), example)


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
