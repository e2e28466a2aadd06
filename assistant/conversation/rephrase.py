"""Say it kindly: the person's own sentence, turned into a gentle start-up (../shared/domain.md §2).

What a camera would have seen is kept, in their words ("you left the dishes in the sink"); the attack around it
is taken out (insults, sarcasm, blame, "always" and "never"); words about the partner are turned to "you"; then
one feeling, one need and exactly one small request are added in one of a few shapes. Every list the steps use
is data (content/rephrase.yaml): the engine below only applies them, word by word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

import yaml

from assistant import datafile
from assistant.conversation.verbs import known, verb
from assistant.resources import content

_TOKEN = re.compile(r"[\w$£€]+(?:['’:.\-][\w]+)*|[.,;!?]")
_PUNCTUATION = frozenset(".,;!?")
_SUBJECT_AFTER = frozenset({"you", "he", "she", "they", "i", "we", "then", "now", "you're", "i'm", "it"})
"""Words after "and", "but" or "so" that start a new clause ("… and you just sat there")."""


@dataclass(frozen=True)
class Draft:
    """What a suggestion is built from."""

    event: str
    """What happened, spoken to the partner: "you left the dishes in the sink"."""
    feeling: str | None
    """The feeling named in the person's words, if they named one."""
    topic: str
    past: bool
    words: frozenset[str]
    """Every word of the original sentence (lower case), to tie the request to what happened."""


class Rephraser:
    """Builds kinder versions of a harsh sentence from the rules in content/rephrase.yaml."""

    def __init__(self, rules: dict[str, Any] | None = None) -> None:
        self.rules = rules or datafile.parse(content("rephrase.yaml").read_text(encoding="utf-8"))
        r = self.rules
        self.command_words = _phrases(r["command_words"])
        self.openers = frozenset(r["openers"])
        self.wish_frames = _phrases(r["wish_frames"])
        self.frame_ends = frozenset(r["frame_ends"])
        self.removed = _phrases(r["sarcasm"] + r["blame"])
        self.insults = _phrases(r["insults"])
        self.absolutes = {tuple(k.split()): v.split() for k, v in sorted(r["absolutes"].items(), key=lambda kv: -len(kv[0].split()))}
        self.when_before_subject = frozenset(r["when_before_subject"])
        self.name_calling = frozenset(r["name_calling"])
        self.pronouns: dict[str, str] = r["pronouns"]
        self.verbs: dict[str, str] = r["verbs"]
        self.spelling: dict[str, str] = r["spelling"]
        self.feelings = {tuple(k.split()): v for k, v in r["feelings"].items()}
        self.topics: dict[str, dict[str, Any]] = r["topics"]
        self.shapes: list[str] = r["shapes"]

    @property
    def blame_words(self) -> frozenset[str]:
        """Single words that attack or generalise: never carried into a suggestion."""
        return frozenset(w for p in self.insults + self.removed + list(self.absolutes) if len(p) == 1 for w in p)

    # --- reading the sentence -------------------------------------------------------------------------

    def draft(self, sentence: str) -> Draft | None:
        """The parts of a suggestion, or None when no event can be found in the sentence."""
        tokens = self._tokens(sentence)
        tokens = _strip_front(tokens, self.command_words + [(":",), (",",)])
        lower = [t.lower() for t in tokens]
        feeling = self.feeling_in(" ".join(lower))
        partner = _partner(lower)
        clauses = [(self._clean(c), self._generalises(c)) for c in _clauses(tokens)]
        event = self._event(clauses, partner)
        if not event:
            return None
        if self._wish(lower) is not None:  # what they wish had not happened is what happened
            event = [event[0], *_strip_front(event[1:], [("did", "not"), ("would", "not"), ("didn't",), ("wouldn't",), ("not",), ("refrain", "from")])]
            event = [event[0], _lemma(event[1]), *event[2:]] if len(event) > 1 else event
        event = self._speak_to_you(event, partner)
        event = _trim(event, self.rules["max_event_words"], self.rules)
        if not [w for w in event[1:] if w.lower() not in _EMPTY]:
            return None  # "you are …" with nothing left once the insult is gone
        words = frozenset(lower) | {w[:-2] for w in lower if w.endswith("'s")}
        return Draft(" ".join(event), feeling, self._topic(event, words, " ".join(lower)), _is_past(event), words)

    def feeling_in(self, text: str) -> str | None:
        """The first feeling word in a text ("I'm so hurt" → "hurt"), or None."""
        words = [w.strip(".,!?;:") for w in text.lower().split()]
        for start in range(len(words)):
            for phrase, feeling in self.feelings.items():
                if tuple(words[start : start + len(phrase)]) == phrase:
                    return feeling
        return None

    def _tokens(self, sentence: str) -> list[str]:
        out: list[str] = []
        for token in _TOKEN.findall(sentence.replace("’", "'")):
            fixed = self.spelling.get(token.lower())
            starts = not out or out[-1] in (".", "!", "?", ":")
            if starts and token.lower() in ("you've", "you're", "you'd", "you'll", "your", "you"):
                token = token.lower()
            if fixed is not None:
                out.append(fixed)
            elif token.isupper() and len(token) > 1 or starts and known(token.lower()):
                out.append(token.lower())  # shouting ("ALWAYS"), or a capital only because a sentence starts
            else:
                out.append(token)
        return out

    def _clean(self, clause: list[str]) -> list[str]:
        """A clause without openers, frames, sarcasm, blame, name-calling and absolutes."""
        clause = _strip_front(clause, [(w,) for w in self.openers])
        clause = _remove(clause, self.removed)
        clause = self._drop_frame(clause)
        clause = _remove(clause, self.wish_frames)
        clause = self._drop_name_calling(clause)
        clause = self._soften_absolutes(clause)
        return _strip_front(clause, [(w,) for w in self.openers])

    def _drop_frame(self, clause: list[str]) -> list[str]:
        """"I find it hurtful that you …" → "you …"."""
        lower = [t.lower() for t in clause]
        if lower and lower[0] in ("i", "i'm", "it", "it's", "this", "by") and not _starts_event(lower):
            for i, word in enumerate(lower[:-1]):
                if word in self.frame_ends and lower[i + 1] in ("you", "he", "she", "they", "your", "you're"):
                    return clause[i + 1 :]
        return clause

    def _wish(self, lower: list[str]) -> list[str] | None:
        """"it would be courteous if you did not take calls …": the sentence without its wish frame, or None."""
        for phrase in self.wish_frames:
            if tuple(lower[: len(phrase)]) == phrase:
                return lower[len(phrase):]
        return None

    def _drop_name_calling(self, clause: list[str]) -> list[str]:
        """"you selfish idiot" as a whole clause goes; an insult word anywhere else goes too."""
        lower = [t.lower() for t in clause]
        if lower and lower[0] == "you" and len(lower) > 1 and all((w,) in self.insults or w in _PUNCTUATION for w in lower[1:]):
            return []
        for i in range(len(lower) - 1):  # "…, you absolute child" at the end of a clause
            if lower[i] == "you" and lower[i + 1 :] and all((w,) in self.insults for w in lower[i + 1 :]):
                return clause[:i]
        for i in range(2, len(lower)):
            if " ".join(lower[i - 2 : i]) in self.name_calling and (lower[i],) in self.insults:
                clause = [*clause[:i], "names", *clause[i + 1 :]]
                break
        return _remove(clause, self.insults)

    def _generalises(self, clause: list[str]) -> bool:
        """Whether a clause says "always", "never" or "every time" (an evaluation, not what a camera saw)."""
        lower = [t.lower() for t in clause]
        return "never" in lower or any(_matches(lower[i:], p) for i in range(len(lower)) for p, r in self.absolutes.items()
                                       if p[0] in ("always", "every", "constantly", "all", "each"))

    def _soften_absolutes(self, clause: list[str]) -> list[str]:
        """"never" becomes what did not happen; "always", "every time" … go ("every time she …" → "when she …")."""

        def replacement(phrase: tuple[str, ...], following: str) -> list[str]:
            if " ".join(phrase) in self.when_before_subject and following in _SUBJECT_AFTER:
                return ["when"]
            return self.absolutes[phrase]

        return _replace(_unnever(clause), list(self.absolutes), replacement)

    def _event(self, clauses: list[tuple[list[str], bool]], partner: str) -> list[str]:
        """The clause where the partner does something, from the partner on: the first that tells one event
        rather than "always" or "never", and not only what was promised or said. Before it, a clause about
        someone of theirs ("your mother criticised my cooking") is joined with "and"."""
        subjects = {"you", "you're", "you've", "you'd", "you'll"} | _PARTNER_SUBJECTS.get(partner, set())
        candidates = []
        for index, (clause, generalises) in enumerate(clauses):
            lower = [t.lower() for t in clause]
            start = next((i for i, w in enumerate(lower[:-1]) if w in subjects and lower[i + 1] not in _PUNCTUATION), None)
            if start is not None:
                said = lower[start + 1] in _SAYING
                candidates.append((generalises or said, index, clause[start:]))
        if not candidates:
            return self._event_without_subject([c for c, _ in clauses])
        _, index, event = min(candidates, key=lambda c: c[0])  # the first of the best
        before = [w for w in clauses[index - 1][0] if w not in _PUNCTUATION] if index else []
        if before and before[0].lower() == "your" and len(before) + len(event) <= 14:
            event = [*before, "and", *event]
        return [w for w in event if w not in _PUNCTUATION]

    def _event_without_subject(self, clauses: list[list[str]]) -> list[str]:
        """"…, scrolling your phone in bed" → "you were scrolling your phone in bed"; "roll your eyes" → "you roll …"."""
        for clause in clauses:
            words = [w for w in clause if w not in _PUNCTUATION]
            if words and words[0].lower() in ("for", "by", "about") and len(words) > 1 and words[1].lower().endswith("ing"):
                words = words[1:]  # "thanks for spending the grocery money …"
            if len(words) < 2:
                continue
            first = words[0].lower()
            if first.endswith("ing") and _is_verb(first):
                return ["you", "were", *words]
            if _is_verb(first) and _lemma(first) == first and first not in ("i", "it", "we", "my", "our", "the"):
                return ["you", *words]
        return []

    def _speak_to_you(self, event: list[str], partner: str) -> list[str]:
        """Words about a partner spoken about ("he leaves his towels") turned to "you leave your towels"."""
        if partner == "you":
            return event
        own = _PARTNER_WORDS[partner]
        out: list[str] = []
        agree = False
        for index, word in enumerate(event):
            lower = word.lower()
            if lower in own and lower in self.pronouns:
                following = event[index + 1].lower() if index + 1 < len(event) else ""
                has = lower in ("he's", "she's", "hes", "shes") and _is_participle(following)
                out.append("you've" if has else self.pronouns[lower])  # "he's got" → "you've got"
                agree = lower == partner  # "he leaves" → "you leave"
                continue
            if lower == "her" and partner == "she":
                following = event[index + 1].lower() if index + 1 < len(event) else ""
                out.append("your" if following and following not in _NOT_NOUN and not _is_verb_only(following) else "you")
                continue
            if agree and lower in ("just", "only", "still", "also", "really", "simply", "don't", "didn't"):
                out.append(word)
                continue
            if agree:
                out.append(self.verbs.get(lower) or _base_if_third_person(word))
                agree = False
                continue
            out.append(word)
        return out

    def _topic(self, event: list[str], words: frozenset[str], text: str) -> str:
        """The topic with most of its words in the sentence, those of the event counting twice; the first
        listed on a tie."""
        said = f" {text} "
        happened = {w.lower() for w in event}
        happened_text = f" {' '.join(sorted(happened))} "

        def hits(topic: dict[str, Any]) -> int:
            found = [w for w in topic["words"] if ((w in words) if " " not in w else (f" {w} " in said))]
            return len(found) + sum((w in happened) if " " not in w else (f" {w} " in happened_text) for w in found)

        best = max(self.topics, key=lambda name: hits(self.topics[name]))
        return best if hits(self.topics[best]) else "general"

    # --- saying it ---------------------------------------------------------------------------------

    def requests(self, draft: Draft) -> list[str]:
        """The topic's requests, those tied to words of what happened first."""
        topic = self.topics[draft.topic]
        text = f" {draft.event.lower()} {' '.join(sorted(draft.words))} "
        tied = [r["ask"] for r in topic["requests"] if r.get("when") and any(f" {w} " in text for w in r["when"])]
        return tied + [r["ask"] for r in topic["requests"] if not r.get("when")]

    def suggest(self, draft: Draft, version: int = 0, feeling: str | None = None) -> str:
        """Version `version` of the suggestion (a different shape each time), at most max_words words: the event
        is shortened first, then the need left out."""
        topic = self.topics[draft.topic]
        requests = self.requests(draft)
        request = requests[(version // len(self.shapes)) % len(requests)]
        values = {"feeling": feeling or draft.feeling or topic["feeling"], "need": topic["need"], "request": request,
                  "appreciation": topic["appreciation"], "felt": "felt" if draft.past else "feel"}
        event = draft.event.split()
        with_need, shorter = self.shapes[version % len(self.shapes)]
        # the event keeps at least ten words before the need is left out, and at least four in any case
        tries = [(with_need, len(event)), (with_need, 10), (shorter, len(event)), (shorter, 10), (shorter, 8), (shorter, 6),
                 (self.shapes[-1][-1], 6), (self.shapes[-1][-1], 4)]
        for shape, limit in tries:
            text = _render(shape, " ".join(_trim(event, limit, self.rules)), values)
            if _count(text) <= self.rules["max_words"]:
                break
        return text

    def rephrase(self, sentence: str, version: int = 0) -> str | None:
        draft = self.draft(sentence)
        return self.suggest(draft, version) if draft else None


_PARTNER_WORDS = {
    "he": {"he", "him", "his", "himself", "he's", "hes", "he'd", "he'll"},
    "she": {"she", "her", "hers", "herself", "she's", "shes", "she'd", "she'll"},
    "they": {"they", "them", "their", "theirs", "themselves", "they're", "theyre"},
}
_EMPTY = frozenset({"are", "is", "were", "was", "be", "been", "am", "so", "such", "a", "an", "just", "really", "being", "you",
                    "your", "you're", "not", "don't", "didn't"})
"""Words that alone say nothing of what happened."""
_PARTNER_SUBJECTS = {"he": {"he", "he's", "hes", "he'd", "he'll"}, "she": {"she", "she's", "shes", "she'd", "she'll"},
                     "they": {"they", "they're", "theyre", "they'd", "they'll"}}
_SAYING = frozenset({"say", "says", "said", "promise", "promised", "promises", "reckon", "reckons", "think", "thinks", "tell", "tells"})
"""Verbs of what the partner said: an event is what they did ("you stayed at the office till ten")."""
_NOT_NOUN = frozenset({"to", "in", "on", "at", "for", "with", "and", "that", "about", "from", "by", "a", "the", "when",
                       "if", "because", "so", "or", "but", "after", "before", "again", "back", "off", "out", "up", "down"})


def _partner(lower: list[str]) -> str:
    """Who the partner is: "you" when the sentence speaks to them, else the first he, she or they that acts."""
    if any(w in ("you", "you're", "you've", "you'd", "you'll", "your") for w in lower):
        return "you"
    for word in lower:
        for partner, words in _PARTNER_WORDS.items():
            if word in words:
                return partner
    return "you"


def _clauses(tokens: list[str]) -> list[list[str]]:
    """Split at punctuation, and at "and", "but" or "so" that start a new clause."""
    out: list[list[str]] = [[]]
    for index, token in enumerate(tokens):
        following = tokens[index + 1].lower() if index + 1 < len(tokens) else ""
        if token in _PUNCTUATION:
            out[-1].append(token)
            out.append([])
        elif token.lower() in ("and", "but", "so", "then") and following in _SUBJECT_AFTER or token.lower() == "and" and following == "your":
            out.append([])
        else:
            out[-1].append(token)
    return [c for c in out if [w for w in c if w not in _PUNCTUATION]]


def _phrases(items: list[str]) -> list[tuple[str, ...]]:
    """Phrases as word tuples, longest first so "every single time" wins over "every"."""
    return sorted({tuple(str(p).lower().split()) for p in items}, key=len, reverse=True)


def _matches(words: list[str], phrase: tuple[str, ...]) -> bool:
    """Whether the words start with the phrase; "*" in a phrase matches any one word."""
    return len(words) >= len(phrase) and all(p in ("*", w) for p, w in zip(phrase, words))


def _strip_front(tokens: list[str], phrases: list[tuple[str, ...]]) -> list[str]:
    changed = True
    while changed and tokens:
        changed = False
        lower = [t.lower() for t in tokens[:6]]
        for phrase in phrases:
            if tuple(lower[: len(phrase)]) == phrase:
                tokens = tokens[len(phrase):]
                changed = True
                break
    return tokens


def _remove(tokens: list[str], phrases: list[tuple[str, ...]]) -> list[str]:
    return _replace(tokens, phrases, lambda phrase, following: [])


def _replace(tokens: list[str], phrases: list[tuple[str, ...]], replacement: Callable[[tuple[str, ...], str], list[str]]) -> list[str]:
    """Each phrase found (longest first, "*" any one word) replaced by replacement(phrase, the word after it)."""
    out: list[str] = []
    lower = [t.lower() for t in tokens]
    i = 0
    while i < len(tokens):
        phrase = next((p for p in phrases if _matches(lower[i:], p)), None)
        if phrase is None:
            out.append(tokens[i])
            i += 1
            continue
        out += replacement(phrase, lower[i + len(phrase)] if i + len(phrase) < len(lower) else "")
        i += len(phrase)
    return out


def _unnever(clause: list[str]) -> list[str]:
    """"you never check" → "you don't check", "you never once went" → "you didn't go", "we're never in" → "we're
    not in", "you've never asked" → "you've not asked"."""
    out: list[str] = []
    i = 0
    while i < len(clause):
        if clause[i].lower() != "never":
            out.append(clause[i])
            i += 1
            continue
        i += 1
        while i < len(clause) and clause[i].lower() in ("once", "even", "ever", "really", "just"):
            i += 1
        after_have = bool(out) and out[-1].lower() in ("have", "has", "had", "'ve", "you've", "i've", "we've")
        if i < len(clause) and not after_have and _is_verb(clause[i].lower()):
            out.append("didn't" if _is_past_verb(clause[i].lower()) else "don't")
            out.append(_lemma(clause[i]))
            i += 1
        else:
            out.append("not")
    return out


def _starts_event(lower: list[str]) -> bool:
    return bool(lower) and lower[0] in ("you", "he", "she", "they")


def _trim(event: list[str], limit: int, rules: dict[str, Any]) -> list[str]:
    """At most `limit` words, cut between clauses ("while", "because") where possible, else before a
    preposition, and never ending on "the" or "with"."""
    if len(event) > limit:
        for words in (set(rules["cut_between"]), set(rules["cut_before"])):
            points = [i for i in range(3, limit + 1) if event[i].lower() in words]
            if points:
                event = event[: points[-1]]
                break
        else:
            event = event[:limit]
    dangling = set(rules["dangling"])
    while len(event) > 2 and event[-1].lower() in dangling:
        event = event[:-1]
    return event


def _render(shape: str, event: str, values: dict[str, str]) -> str:
    text = shape.format(when=event, **values)
    return text[0].upper() + text[1:]


def _count(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9£$][A-Za-z0-9'’£$-]*", text))


def _is_past(event: list[str]) -> bool:
    """Whether the event is told in the past: its first verb after the subject."""
    if event[0].lower() in ("you're", "you've", "you'll"):
        return False
    for word in event[1:4]:
        lower = word.lower()
        if lower in ("didn't", "did", "was", "were", "weren't", "wasn't", "had"):
            return True
        if lower in ("don't", "do", "are", "is", "have", "keep", "always", "you're", "you've"):
            return False
        if _is_verb(lower):
            return _is_past_verb(lower)
    return False


def _is_verb(word: str) -> bool:
    return verb(word.lower()) is not None


def _is_verb_only(word: str) -> bool:
    found = verb(word.lower())
    return found is not None and not found.also_noun_or_adjective


def _lemma(word: str) -> str:
    found = verb(word.lower())
    return found.lemma if found else word


def _is_past_verb(word: str) -> bool:
    found = verb(word)
    return found is not None and found.past


def _is_participle(word: str) -> bool:
    found = verb(word)
    return word in ("got", "been") or found is not None and found.participle


def _base_if_third_person(word: str) -> str:
    """"leaves" → "leave", "finishes" → "finish"; anything else unchanged."""
    found = verb(word.lower())
    return found.lemma if found and found.third_person else word
