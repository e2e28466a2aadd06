"""Patterns over words, lemmas and concepts, compiled to regular expressions over a tagged sentence.

A sentence becomes one string of tokens, each ` :word:lemma:@concept:`: a pattern word matches the word or its
lemma, and `{concept}` a token tagged with it. A concept's single words tag their token directly; its longer
phrases ("my little girl", "on his way") are found in the sentence and tag their first token `@c` and the rest
`@c+`. Lemmas come from a table of every inflection of every pattern word (`inflections`, built once with
lemminflect and cached), so prediction needs no lemmatiser.

Each pattern is compiled only when a sentence holds its anchor, the rarest word or concept it cannot match
without: start-up compiles nothing, and a sentence is tried against the few rules it could match.

Pattern syntax (the intent templates' syntax): `(a|b c)` alternatives, `[a]` optional, `{name}` a concept,
`~` up to three other words, `~~` up to eight, `_start_` and `_end_` the start and end of the sentence, `_not_name`
one word that is not in concept `name`.
"""

from __future__ import annotations

import re
from itertools import product
from typing import Iterable

from assistant.understanding import templates

GAPS = {"_gap3_": 3, "_gap8_": 8}
CACHED_SENTENCES = 4096
"""Tagged sentences kept, for the many partial transcripts of one utterance."""
COMMON_CONCEPTS = frozenset({"partner", "agent", "person", "det", "victim", "grabcue", "knifecue", "adv", "grouping",
                             "speech", "alarm", "kin", "people", "item", "private", "harm_word"})
"""Concepts too frequent to anchor a rule on when the rule has a rarer part."""
_PLAIN = re.compile(r"[a-z']+")
_COMMON_WORDS = frozenset("i me my we us our you your he him his she her they them their it its the a an and or but "
                          "to of in on at for with is am are was were be been do does did not no so if when that this "
                          "have has had will would can could just like really".split())


class PatternError(ValueError):
    """A pattern or concept is malformed; the message says which."""


class Pattern:
    """One compiled-on-demand pattern and the words or tags that anchor it."""

    def __init__(self, text: str, source: str, anchors: Iterable[str] | None) -> None:
        self.text = text
        self.source = source
        self.anchors = frozenset(anchors) if anchors is not None else None
        """A sentence can match only if it holds one of these (None: always try)."""
        self._regex: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            self._regex = re.compile(self.source)
        return self._regex


class Lexicon:
    """Named concepts (lists of phrases) and the compiler of patterns that use them."""

    def __init__(self, concepts: dict[str, list[str]], inflections: dict[str, list[str]]) -> None:
        self._concepts = concepts
        self._inflections = inflections
        self._expanded: dict[str, list[str]] = {}
        self._tags: dict[str, list[str]] = {}
        self._starts: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        self._trie: dict = {}
        self._lines: dict[str, str] = {}

    def index(self) -> None:
        """Expand every concept into the word → tag and first word → phrase tables that `tokens` uses."""
        for name in self._concepts:
            for phrase in self.phrases(name):
                words = tuple(phrase.split())
                if len(words) == 1:
                    self._tags.setdefault(words[0], []).append(f"@{name}")
                else:
                    self._starts.setdefault(words[0], []).append((name, words))

    def state(self) -> dict:
        """Everything `tokens` needs, as JSON-ready data (cached, so a start need not expand the concepts)."""
        return {"inflections": self._inflections, "tags": self._tags, "starts": self._starts}

    @classmethod
    def from_state(cls, concepts: dict[str, list[str]], state: dict) -> "Lexicon":
        lexicon = cls(concepts, state["inflections"])
        lexicon._tags = state["tags"]
        lexicon._starts = {k: [(name, tuple(words)) for name, words in v] for k, v in state["starts"].items()}
        for phrases in lexicon._starts.values():
            for name, words in phrases:
                node = lexicon._trie
                for word in words:
                    node = node.setdefault(word, {})
                node.setdefault("", []).append(name)  # "" holds the concepts whose phrase ends here
        return lexicon

    def phrases(self, name: str, seen: frozenset[str] = frozenset()) -> list[str]:
        """Every phrase a concept stands for, as plain words, its own concepts and alternatives expanded."""
        if name in self._expanded:
            return self._expanded[name]
        if name not in self._concepts or name in seen:
            raise PatternError(f"unknown or circular concept {{{name}}}")
        out: list[str] = []
        for phrase in self._concepts[name]:
            out += self._expand(_parse(phrase), seen | {name})
        self._expanded[name] = list(dict.fromkeys(out))
        return self._expanded[name]

    def tokens(self, norm: str) -> str:
        """The tagged form of a normalised sentence (see the module docstring)."""
        line = self._lines.get(norm)
        if line is not None:
            return line
        forms = [(word, *self._inflections.get(word, ())) for word in norm.split()]
        tags = [dict.fromkeys(t for form in f for t in self._tags.get(form, ())) for f in forms]
        for start in range(len(forms)):
            nodes = [self._trie]
            for end in range(start, len(forms)):
                nodes = [node[form] for node in nodes for form in forms[end] if form in node]
                if not nodes:
                    break
                for name in (n for node in nodes for n in node.get("", ())):
                    tags[start][f"@{name}"] = None
                    for k in range(start + 1, end + 1):
                        tags[k][f"@{name}+"] = None
        line = "".join(f" :{':'.join((*f, *t))}:" for f, t in zip(forms, tags))
        if len(self._lines) < CACHED_SENTENCES:
            self._lines[norm] = line
        return line

    def compile(self, pattern: str) -> Pattern:
        """A pattern, to be searched in `tokens(...)`."""
        parts = _parse(pattern.replace("~~", " _gap8_ ").replace("~", " _gap3_ "))
        return Pattern(pattern, self._regex(parts), self._anchors(parts))

    def words(self, patterns: Iterable[str]) -> set[str]:
        """Every plain word the patterns and the concepts use: the words whose inflections must be known."""
        found: set[str] = set()
        for text in [*patterns, *(p for phrases in self._concepts.values() for p in phrases)]:
            found.update(w for w in re.split(r"[^a-z']+", text.lower()) if w and not w.startswith("_"))
        return found

    def _regex(self, parts: tuple[templates.Part, ...]) -> str:
        out = []
        for part in parts:
            if isinstance(part, templates.Slot):
                self.phrases(part.name)  # raises for an unknown concept
                out.append(f"{_token([f'@{part.name}'])}(?:{_token([f'@{part.name}+'])})*")
            elif isinstance(part, templates.Choice):
                words = _single_words(part)
                if words is not None:
                    out.append(_token(words))
                else:
                    out.append("(?:" + "|".join(self._regex(option) for option in part.options) + ")")
            else:
                out += [self._word(word) for word in part.split()]
        return "".join(out)

    def _word(self, word: str) -> str:
        if word == "_end_":
            return "$"
        if word == "_start_":
            return "^"
        if word in GAPS:
            return f"(?: [^ ]+){{0,{GAPS[word]}}}"
        if word.startswith("_not_"):
            self.phrases(word[5:])
            return f" (?![^ ]*:@{re.escape(word[5:])}:)[^ ]+"
        return _token([word])

    def _anchors(self, parts: tuple[templates.Part, ...]) -> frozenset[str] | None:
        """The keys of the rarest part a sentence must hold for the pattern to match, or None."""
        if len(parts) == 1 and isinstance(parts[0], templates.Choice) and () not in parts[0].options:
            options = [self._anchors(option) for option in parts[0].options]
            return None if any(o is None for o in options) else frozenset().union(*options)  # type: ignore[arg-type]
        candidates = [keys for keys in map(self._keys, _elements(parts)) if keys]
        return min(candidates, key=_commonness) if candidates else None

    def _keys(self, part: object) -> frozenset[str] | None:
        """What the first token of a required part can be (a word or a tag), or None when it can be anything."""
        if isinstance(part, templates.Slot):
            return frozenset({f"@{part.name}"})
        if isinstance(part, str):
            word = part
            return None if word in GAPS or word.startswith("_") else frozenset({word})
        if isinstance(part, templates.Choice):
            if () in part.options:
                return None
            keys: set[str] = set()
            for option in part.options:
                first = next(iter(_elements(option)), None)
                found = self._keys(first) if first is not None else None
                if found is None:
                    return None
                keys |= found
            return frozenset(keys)
        return None

    def _expand(self, parts: tuple[templates.Part, ...], seen: frozenset[str]) -> list[str]:
        options: list[list[str]] = []
        for part in parts:
            if isinstance(part, templates.Slot):
                options.append(self.phrases(part.name, seen))
            elif isinstance(part, templates.Choice):
                options.append([p for option in part.options for p in self._expand(option, seen)])
            else:
                options.append([" ".join(part.split())])
        return [" ".join(" ".join(combo).split()) for combo in product(*options)]


def _elements(parts: tuple[templates.Part, ...]) -> list[object]:
    """A sequence's parts, with word strings split into single words."""
    out: list[object] = []
    for part in parts:
        out += part.split() if isinstance(part, str) else [part]
    return out


def _commonness(keys: frozenset[str]) -> int:
    return sum(100 if k in _COMMON_WORDS or k[1:] in COMMON_CONCEPTS else 1 for k in keys)


def _single_words(choice: templates.Choice) -> list[str] | None:
    words = [o[0].strip() for o in choice.options if len(o) == 1 and isinstance(o[0], str)]
    return words if len(words) == len(choice.options) and all(_PLAIN.fullmatch(w) for w in words) else None


def _token(words: list[str]) -> str:
    """One token whose word, lemmas or tags include one of `words`."""
    alternatives = "|".join(map(re.escape, words))
    return f" [^ ]*:{alternatives if len(words) == 1 else f'(?:{alternatives})'}:[^ ]*"


def _parse(pattern: str) -> tuple[templates.Part, ...]:
    try:
        return templates.parse(f"({pattern})")
    except templates.TemplateError as error:
        raise PatternError(f"{error} in {pattern!r}") from None


def inflections(words: Iterable[str]) -> dict[str, list[str]]:
    """Each inflected form of the words → the words it is a form of ("threw" → throw, "kids" → kid), from
    lemminflect (every part of speech), plus the regular forms a non-native speaker may use ("hurted"). Words of
    one or two letters get no made-up forms: they made "is" a form of "i", "bed" of "be" and "as" of "a"."""
    import lemminflect

    table: dict[str, set[str]] = {}
    for word in words:
        forms = {f for group in lemminflect.getAllInflections(word).values() for f in group}
        if len(word) > 2:
            forms |= {f for group in lemminflect.getAllInflectionsOOV(word, "VERB").values() for f in group}
        forms |= {word + "s", word + "ed", word + "ing"} if word.isalpha() and len(word) > 3 else set()
        for form in forms - {word}:
            table.setdefault(form, set()).add(word)
    return {form: sorted(bases) for form, bases in table.items()}
