"""The checks every "say it kindly" suggestion must pass (issue 14), shared by tests/test_rephrase.py and
scripts/eval_rephrase.py. The word lists here are written apart from the rules in content/rephrase.yaml, so a
word the rules miss is caught rather than excused."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import yaml

HARSH = Path(__file__).parent / "data" / "harsh"
SETS = {"dev": Path(__file__).parent.parent / "assistant" / "understanding" / "data" / "complaints.yaml",
        "heldout": HARSH / "heldout.yaml"}
ATTACK_WORDS = frozenset("""
always never every constantly forever again literally ever everything nothing whole-time
idiot selfish lazy stupid useless pathetic slob child childish pig clown coward prat lump robot workaholic moron
jerk disgusting careless inconsiderate ridiculous typical seriously unbelievable fault blame hopeless immature
arrogant petty absolute utter teenager overgrown dumb loser baby princess cringe lame shameful unacceptable
brilliant lovely wonderful classy mature heartfelt priorities cool fascinating clueless spoiled spoilt
""".split())
PARTNER_PRONOUNS = {"he": {"he", "him", "his", "himself", "he's", "he'd", "he'll"},
                    "she": {"she", "her", "hers", "herself", "she's", "she'd", "she'll"},
                    "they": {"they", "them", "their", "theirs", "themselves", "they're"}}
STOPWORDS = frozenset("""a an the to of in on at for from by with and or but so my your our his her their me you he she
they it i we us him them was were is are be been do did does don't didn't not no up out over into about this that
just even again always never every all one single times time""".split())
COMMAND_WORDS = ("help me say", "say this kindly", "kindly", "abeg", "say it kindly", "help me word")
REQUEST = re.compile(r"\b(could you|would you|can you|will you|could we|can we|would you be willing)\b", re.I)
MAX_WORDS = 25


def cases(name: str) -> list[dict]:
    """The sentences of a set ("dev", "heldout" or a file under tests/data/harsh), each with its topic."""
    data = yaml.safe_load(SETS.get(name, HARSH / f"{name}.yaml").read_text(encoding="utf-8"))
    return [{**item, "topic": topic} for topic, items in data["topics"].items() for item in items]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9£$][a-z0-9'£$-]*", text.lower().replace("’", "'"))


def _stem(word: str) -> str:
    from lemminflect import getAllLemmas

    lemmas = getAllLemmas(word.removesuffix("'s"))
    for pos in ("VERB", "NOUN", "ADJ"):
        if pos in lemmas:
            return lemmas[pos][0]
    return word.removesuffix("'s")


def keeps_behaviour(case: dict, out: str) -> bool:
    named = {_stem(w) for w in _words(case["behaviour"]) if w not in STOPWORDS}
    return bool(named & {_stem(w) for w in _words(out)})


def speaks_to_you(case: dict, out: str) -> bool:
    words = set(_words(out))
    return bool(words & {"you", "your", "you're", "you've"}) and not words & PARTNER_PRONOUNS.get(case["partner"], set())


def i_statement(case: dict, out: str) -> bool:
    return re.search(r"\bI (feel|felt|need|love|miss|want)\b", out) is not None


def no_attack_words(case: dict, out: str) -> bool:
    return not (set(_words(case["text"])) & ATTACK_WORDS & set(_words(out)))


def one_request(case: dict, out: str) -> bool:
    return len(REQUEST.findall(out)) == 1 and out.count("?") == 1


def short_enough(case: dict, out: str) -> bool:
    return len(_words(out)) <= MAX_WORDS


def capital_i(case: dict, out: str) -> bool:
    return out[:1].isupper() and re.search(r"\bi\b", out) is None


def no_command_words(case: dict, out: str) -> bool:
    return not any(c in out.lower() for c in COMMAND_WORDS)


CHECKS: dict[str, Callable[[dict, str], bool]] = {
    "keeps the behaviour": keeps_behaviour, "speaks to you": speaks_to_you, "an I statement": i_statement,
    "no insult, absolute or blame": no_attack_words, "exactly one request": one_request,
    f"at most {MAX_WORDS} words": short_enough, "capital I": capital_i, "no command words left": no_command_words,
}


def failures(case: dict, out: str | None) -> list[str]:
    """Names of the checks a suggestion fails (all of them when there is none)."""
    if out is None:
        return list(CHECKS)
    return [name for name, check in CHECKS.items() if not check(case, out)]
