"""The disclosure detector: does a sentence disclose violence, abuse, danger or thoughts of self-harm?

It runs before any intent model and is recall-first. Its rules are data (`disclosures.yaml`): patterns over
words, lemmas and concepts (lexicon.py), grouped by kind (physical, sexual, threats, fear, control, stalking,
children, selfharm, partner_selfharm, danger_now). Figures of speech ("this argument is killing me") are
blanked out first. Contested rules, the broad ones of everyday words ("{hit_verb} ~ {victim}"), count unless the
disclosure model all but rules the sentence out; weak rules ("end it") count only when it agrees (matcher.py).

Compiling the rules (concepts expanded, inflections looked up) takes a few tenths of a second, so the result is
cached under a key of the rules file and this code, like the trained models.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from assistant import datafile
from assistant.errors import DataFileError
from assistant.understanding.lexicon import Lexicon, Pattern, PatternError, inflections

RULES = Path(__file__).with_name("disclosures.yaml")
SELF_HARM = "selfharm"
_BLANK = " :_:"
_CODE = (Path(__file__), Path(__file__).with_name("lexicon.py"), Path(__file__).with_name("templates.py"))


_SHORT_WORDS = frozenset("a i an am as at be by do go he if in is it me my no of oh on or so to up us we".split())
_DIGITS = frozenset("zero oh one two three four five six seven eight nine".split())


def fluent(norm: str) -> str:
    """A normalised sentence without the repeats and false starts of disfluent or stammered speech, which the
    rules are not written for: "she would k k kill me" -> "she would kill me", "from the the the ashtray" ->
    "from the ashtray", "sh she" -> "she"."""
    words = norm.split()
    kept: list[str] = []
    for at, word in enumerate(words):
        following = words[at + 1] if at + 1 < len(words) else ""
        if word == following and word not in _DIGITS:  # "nine nine nine" is a number, not a stammer
            continue
        if len(word) <= 2 and word not in _SHORT_WORDS and following.startswith(word) and following != word:
            continue
        kept.append(word)
    return " ".join(kept)


@dataclass(frozen=True)
class Disclosure:
    """What a sentence discloses: the kinds of harm (physical, threats, selfharm …)."""

    kinds: tuple[str, ...]
    weak: bool = False
    """Only weak rules found it: it counts when the disclosure model agrees."""
    contested: bool = False
    """Only contested rules found it: it counts unless the disclosure model all but rules it out."""


class DisclosureDetector:
    """The disclosure rules; `detect` returns a Disclosure or None for a normalised sentence."""

    def __init__(self, path: Path = RULES, cache_dir: Path | None = None) -> None:
        text = _read(path)
        key = hashlib.sha256("".join([text, *(p.read_text(encoding="utf-8") for p in _CODE)]).encode()).hexdigest()[:16]
        cached = cache_dir / "understanding" / f"disclosures-{key}.json" if cache_dir else None
        try:
            state = json.loads(cached.read_text(encoding="utf-8")) if cached else None
        except (OSError, ValueError):
            state = None
        if state is None:
            state = _compile(text, path)
            if cached is not None:
                _write(cached, json.dumps(state))
        self._lexicon = Lexicon.from_state(state["concepts"], state["lexicon"])
        self._figures = _Section({"": state["figures"]})
        self._rules = _Section(state["rules"])
        self._contested = _Section(state["contested"])
        self._weak = _Section(state["weak"])

    def detect(self, norm: str) -> Disclosure | None:
        """The kinds a sentence discloses, or None."""
        return self.read(norm)[0]

    def read(self, norm: str) -> tuple[Disclosure | None, bool]:
        """What `detect` finds, and whether a figure of speech blanked words of the sentence ("he kicked me under
        the table so I'd stop"), from one reading of it."""
        line, keys = self._line(norm)
        figured = _BLANK in line
        kinds = self._rules.kinds(line, keys)
        if kinds:
            return Disclosure(kinds), figured
        contested = self._contested.kinds(line, keys)
        if contested:
            return Disclosure(contested, contested=True), figured
        weak = self._weak.kinds(line, keys)
        return (Disclosure(weak, weak=True) if weak else None), figured

    def explain(self, norm: str) -> list[tuple[str, str]]:
        """(kind, rule) of every rule that fires on a sentence: for evaluation, never called at run time."""
        line, keys = self._line(norm)
        return (self._rules.firing(line, keys) + [(f"{kind} (contested)", rule) for kind, rule in self._contested.firing(line, keys)]
                + [(f"{kind} (weak)", rule) for kind, rule in self._weak.firing(line, keys)])

    def _line(self, norm: str) -> tuple[str, frozenset[str]]:
        line = self._lexicon.tokens(fluent(norm))
        keys = _keys(line)
        for figure in self._figures.candidates(keys):
            if figure.regex.search(line):
                line = figure.regex.sub(lambda m: _BLANK * m.group(0).count(" :"), line)
                keys = _keys(line)
        return line, keys


class _Section:
    """Patterns by kind, indexed by their anchors: a sentence is tried only against the patterns it could match."""

    def __init__(self, kinds: dict[str, list[list]]) -> None:
        self._patterns = [(kind, Pattern(*p)) for kind, patterns in kinds.items() for p in patterns]
        self._by_key: dict[str, list[int]] = {}
        self._always: list[int] = []
        for at, (_kind, pattern) in enumerate(self._patterns):
            for key in pattern.anchors if pattern.anchors is not None else ():
                self._by_key.setdefault(key, []).append(at)
            if pattern.anchors is None:
                self._always.append(at)

    def candidates(self, keys: frozenset[str]) -> list[Pattern]:
        return [self._patterns[at][1] for at in self._at(keys)]

    def kinds(self, line: str, keys: frozenset[str]) -> tuple[str, ...]:
        found: dict[str, None] = {}
        for at in self._at(keys):
            kind, pattern = self._patterns[at]
            if kind not in found and pattern.regex.search(line):
                found[kind] = None
        return tuple(found)

    def firing(self, line: str, keys: frozenset[str]) -> list[tuple[str, str]]:
        return [(self._patterns[at][0], self._patterns[at][1].text) for at in self._at(keys) if self._patterns[at][1].regex.search(line)]

    def _at(self, keys: frozenset[str]) -> list[int]:
        """Indexes of the patterns anchored on one of the keys, in file order."""
        return sorted({at for key in keys for at in self._by_key.get(key, ())} | set(self._always))


def _compile(text: str, path: Path) -> dict:
    """The rules file as patterns ready to compile: concepts expanded, inflections of every word looked up."""
    data = datafile.parse(text)
    if not isinstance(data, dict) or not {"concepts", "figures", "rules"} <= set(data):
        raise DataFileError([f"{path}: needs 'concepts', 'figures' and 'rules'"], "Reinstall Kindly.")
    concepts = {name: [str(p) for p in phrases] for name, phrases in data["concepts"].items()}
    sections = {"figures": {"": data["figures"]}, "rules": data["rules"], "contested": data.get("contested") or {},
                "weak": data.get("weak") or {}}
    try:
        words = Lexicon(concepts, {}).words([str(p) for kinds in sections.values() for ps in kinds.values() for p in ps])
        lexicon = Lexicon(concepts, inflections(words))
        lexicon.index()
        compiled = {name: {kind: [_plain(lexicon.compile(str(p))) for p in patterns] for kind, patterns in kinds.items()}
                    for name, kinds in sections.items()}
    except PatternError as error:
        raise DataFileError([f"{path}: {error}"], "Reinstall Kindly.") from None
    return {"concepts": concepts, "lexicon": lexicon.state(), "figures": compiled["figures"][""],
            "rules": compiled["rules"], "contested": compiled["contested"], "weak": compiled["weak"]}


def _plain(pattern: Pattern) -> list:
    return [pattern.text, pattern.source, sorted(pattern.anchors) if pattern.anchors is not None else None]


def _keys(line: str) -> frozenset[str]:
    """Every word, lemma and tag of a tagged sentence."""
    return frozenset(line.replace(" ", "").split(":"))


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    except OSError:
        pass  # compiled again next time


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise DataFileError([f"{path}: cannot be read ({error})"], "Reinstall Kindly.") from None
