"""Turn a sentence into an intent: the safety rule first, then rapidfuzz over the expanded examples."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from assistant.intents import Catalog
from assistant.messages import Match
from assistant.normalize import normalise
from assistant.overlap import OverlapIndex
from assistant.phrases import PhraseSet
from assistant.slots import SlotTagger

SAFETY_INTENT = "safety.crisis"
CLOSE_EXAMPLES = 200
"""How many examples with the most word overlap also get the slower whole-sentence comparison."""
OPEN_START_WORDS = 3
"""An open-ended example ("remember that we agreed …") must start within the sentence's first words."""
STOPWORDS = frozenset(
    "i me my myself we us our you your he him his she her they them their it its this that these those a an the "
    "and or but so if then to of in on at for with about from by as is am are was were be been being do does did "
    "have has had will would can could should shall may might must not no just really very too also please now "
    "okay oh well what when where who why how which there here some any all more much".split()
)
_TEXT_SLOT = re.compile(r"\{(\w+)\}$")


@dataclass(frozen=True)
class Thresholds:
    """Confidence levels, 0–1. Below `reject` a sentence is out of scope; from `accept` up it is acted on."""

    reject: float = 0.72
    accept: float = 0.84
    runners_up: int = 3
    unknown_word_weight: float = 0.4
    """How much a sentence full of words an intent never uses lowers that intent's score (0–1)."""
    rescored: int = 5
    """How many of the best intents are re-weighed by their vocabulary."""


@dataclass(frozen=True)
class _OpenExample:
    """An example ending in a free-text slot: its carrier words are matched against the sentence's start."""

    intent: str
    carrier: str
    slot: str

    @property
    def length(self) -> int:
        return self.carrier.count(" ") + 1


class Matcher:
    """Matches normalised sentences against the intent catalog."""

    def __init__(self, catalog: Catalog, thresholds: Thresholds = Thresholds()) -> None:
        self.catalog = catalog
        self.thresholds = thresholds
        self._tagger = SlotTagger(catalog)
        self._triggers = self._compile_triggers(catalog)
        texts: list[str] = []
        owners: list[str] = []
        self._open: list[_OpenExample] = []
        self._slots_of: dict[str, set[str]] = {name: set() for name in catalog.intents}
        for intent in catalog.intents.values():
            for example in intent.examples:
                tagged = self._tagger.tag(example)[0]
                self._slots_of[intent.name].update(re.findall(r"\{(\w+)\}", tagged))
                open_slot = _TEXT_SLOT.search(example)
                if open_slot and catalog.slots[open_slot.group(1)].kind == "text":
                    self._open.append(_OpenExample(intent.name, example[: open_slot.start()].strip(), open_slot.group(1)))
                    continue
                texts.append(tagged)
                owners.append(intent.name)
        order = np.argsort(np.array(owners), kind="stable")
        self._examples = [texts[i] for i in order]
        sorted_owners = [owners[i] for i in order]
        self._intent_names = list(dict.fromkeys(sorted_owners))
        self._starts = np.array([sorted_owners.index(name) for name in self._intent_names])
        self._overlap = OverlapIndex(self._examples)
        self._example_array = np.array(self._examples, dtype=object)
        self._open_by_first_word: dict[str, list[_OpenExample]] = {}
        for example in self._open:
            self._open_by_first_word.setdefault(example.carrier.split()[0], []).append(example)
        words: dict[str, set[str]] = {name: set() for name in catalog.intents}
        for name, example in zip(sorted_owners, self._examples):
            words[name].update(example.split())
        self._vocabulary = {name: frozenset(w | {_stem(x) for x in w}) for name, w in words.items()}

    def match(self, text: str) -> Match:
        """The best intent for a sentence, its confidence and slots, or intent None when out of scope."""
        norm = normalise(text)
        if not norm:
            return Match(text, None, 0.0)
        if self._is_disclosure(norm):
            return Match(text, SAFETY_INTENT, 1.0)
        tagged, values = self._tagger.tag(norm)
        scores = self._weigh_unknown_words(tagged, self._score_closed(tagged))
        open_best = self._score_open(norm)
        for name, (score, _slot, _words) in open_best.items():
            scores[name] = max(scores.get(name, 0.0), score)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], -self.catalog.intents[kv[0]].priority))
        best, confidence = ranked[0]
        slots = {k: v for k, v in values.items() if k in self._slots_of[best]}
        if best in open_best and open_best[best][0] >= scores[best]:
            _score, slot, words = open_best[best]
            slots[slot] = self._resolve(slot, words, values)
        elif best == "agreement.list" and "topic" in self._slots_of[best] and "theme" in values:
            slots["topic"] = values["theme"]
        runners = tuple((name, round(score, 3)) for name, score in ranked[1 : 1 + self.thresholds.runners_up])
        intent = best if confidence >= self.thresholds.reject else None
        return Match(text, intent, confidence, slots if intent else {}, runners, candidate=best)

    def slot_values(self, text: str) -> dict[str, Any]:
        """Slot values said anywhere in a text, e.g. the theme of an agreement."""
        return self._tagger.tag(normalise(text))[1]

    def _is_disclosure(self, norm: str) -> bool:
        words = norm.split()
        return any(triggers.occurs_in(words) for triggers in self._triggers)

    def _score_closed(self, tagged: str) -> dict[str, float]:
        """Half word overlap (forgives extra words), half whole-sentence similarity (keeps word order honest).

        The sentence similarity is computed for the examples with the most overlap only; the others keep
        half their overlap, which is below any score that matters.
        """
        overlap = self._overlap.scores(tagged)
        row = overlap / 2
        # An example whose overlap is below 2·reject − 1 cannot reach the reject level even if identical in order.
        top = np.flatnonzero(overlap >= 2 * self.thresholds.reject - 1)
        if len(top) > CLOSE_EXAMPLES:
            top = top[np.argpartition(-overlap[top], CLOSE_EXAMPLES)[:CLOSE_EXAMPLES]]
        if len(top):
            similar = process.cdist([tagged], self._example_array[top].tolist(), scorer=fuzz.ratio, dtype=np.float32)[0]
            row[top] = (overlap[top] + similar / 100.0) / 2
        best = np.maximum.reduceat(row, self._starts)
        return dict(zip(self._intent_names, best.tolist()))

    def _weigh_unknown_words(self, tagged: str, scores: dict[str, float]) -> dict[str, float]:
        """Lower each top intent's score by the share of content words its examples never use.

        Character similarity alone rates "set a timer for ten minutes" close to "set a break for ten
        minutes"; a word the intent has never seen ("timer") is evidence the sentence is about something else.
        """
        content = [w for w in tagged.split() if w not in STOPWORDS]
        if not content:
            return scores
        top = sorted(scores, key=scores.__getitem__, reverse=True)[: self.thresholds.rescored]
        weighed = dict(scores)
        for name in top:
            vocabulary = self._vocabulary[name]
            unknown = sum(1 for w in content if not self._knows(vocabulary, w))
            weighed[name] = scores[name] * (1.0 - self.thresholds.unknown_word_weight * unknown / len(content))
        return weighed

    def _knows(self, vocabulary: frozenset[str], word: str) -> bool:
        if word in vocabulary or _stem(word) in vocabulary:
            return True
        return self._overlap.canonical(word) in vocabulary

    def _score_open(self, norm: str) -> dict[str, tuple[float, str, str]]:
        """Best (score, slot, captured words) per open-ended intent: carrier against each sentence prefix."""
        words = norm.split()
        best: dict[str, tuple[float, str, str]] = {}
        candidates = [e for w in dict.fromkeys(words[:OPEN_START_WORDS]) for e in self._open_by_first_word.get(w, ())]
        if len(words) < 2 or not candidates:
            return best
        longest = max(e.length for e in candidates) + 2  # longer prefixes only score lower
        prefixes = [" ".join(words[:k]) for k in range(1, min(len(words), longest + 1))]
        table = process.cdist(prefixes, [e.carrier for e in candidates], scorer=fuzz.ratio, dtype=np.float32)
        rows = table.argmax(axis=0)
        for example, k, score in zip(candidates, rows.tolist(), (table.max(axis=0) / 100.0).tolist()):
            if score > best.get(example.intent, (0.0,))[0]:
                best[example.intent] = (score, example.slot, " ".join(words[k + 1 :]))
        return best

    def _resolve(self, slot: str, words: str, values: dict[str, Any]) -> str:
        """Free words of a text slot, swapped for a value of the slot it resolves to when one was said."""
        target = self.catalog.slots[slot].resolve
        if target and target in values:
            return str(values[target])
        return words

    @staticmethod
    def _compile_triggers(catalog: Catalog) -> list[PhraseSet]:
        ordered = sorted(catalog.intents.values(), key=lambda i: -i.priority)
        return [PhraseSet(intent.triggers) for intent in ordered if intent.triggers]


_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", ""))
_KEEP_DOUBLE = frozenset("lszaeiou")
"""Doubled letters that belong to the word ("called", "missed", "agreed"), unlike "stopped" or "hugging"."""


@lru_cache(maxsize=16384)
def _stem(word: str) -> str:
    """A crude stem so "fighting", "fights" and "fight" (and "stopped", "worries") count as one known word."""
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)] + replacement
            if stem[-1] == stem[-2] and stem[-1] not in _KEEP_DOUBLE and not replacement:
                stem = stem[:-1]
            return stem
    return word
