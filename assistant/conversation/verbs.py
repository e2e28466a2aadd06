"""What "say it kindly" needs to know about English words and verbs, from lemminflect's dictionary, kept small.

Loaded, lemminflect holds every part of speech and lemma of its 80,000 word forms (about 50 MB in the voice
loop, which must stay under 250 MB); the rephraser asks only whether a word is English and five things of verbs. `scripts/build_verbs.py` asks
lemminflect those questions for every verb form it knows and writes the answers to content/verbs.tsv.gz;
tests/test_rephrase.py checks the file still matches lemminflect.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache

from assistant.resources import content

FILE = "verbs.tsv.gz"
"""One known word form a line: form, then for verbs their lemma and flags (n: also a noun or adjective; d: past;
p: participle; z: -s form), empty for other words."""


@dataclass(frozen=True)
class Verb:
    lemma: str
    also_noun_or_adjective: bool
    past: bool
    """A simple past form of its lemma ("left", "finished")."""
    participle: bool
    """A past participle of its lemma ("gone", "finished")."""
    third_person: bool
    """The -s form of its lemma ("leaves", "finishes")."""


def verb(word: str) -> Verb | None:
    """The verb a lower-case word form can be, or None when it cannot be a verb."""
    return _table().get(word)


def known(word: str) -> bool:
    """Whether a lower-case word form is in the dictionary at all (any part of speech)."""
    return word in _table()


@lru_cache(maxsize=1)
def _table() -> dict[str, Verb | None]:
    table: dict[str, Verb | None] = {}
    with gzip.open(content(FILE), "rt", encoding="utf-8") as lines:
        for row in lines:
            form, lemma, flags = row.rstrip("\n").split("\t")
            table[form] = Verb(lemma, "n" in flags, "d" in flags, "p" in flags, "z" in flags) if lemma else None
    return table


def dictionary_forms() -> list[str]:
    """Every word form in lemminflect's dictionary, lower case (lemminflect's answers decide what each is)."""
    from pathlib import Path

    import lemminflect

    path = Path(lemminflect.__file__).parent / "resources" / "lemma_lu.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as rows:
        return sorted({row.split(",", 1)[0].lower() for row in rows})


def from_lemminflect(form: str) -> Verb | None | bool:
    """What lemminflect says of a lower-case form: the verb, None for another known word, False for an unknown
    one (the source of the file; not used at run time)."""
    from lemminflect import getAllLemmas, getInflection, getLemma

    lemmas = getAllLemmas(form)
    if not lemmas:
        return False
    if "VERB" not in lemmas:
        return None
    lemma = getLemma(form, upos="VERB")[0]

    def inflected(tag: str) -> bool:
        return form != lemma and form in (getInflection(lemma, tag=tag) or ())

    return Verb(lemma, "NOUN" in lemmas or "ADJ" in lemmas, inflected("VBD"), inflected("VBN"), inflected("VBZ"))


def line(form: str, verb: Verb | None) -> str:
    if verb is None:
        return f"{form}\t\t\n"
    flags = "".join(f for f, on in (("n", verb.also_noun_or_adjective), ("d", verb.past), ("p", verb.participle), ("z", verb.third_person)) if on)
    return f"{form}\t{verb.lemma}\t{flags}\n"
