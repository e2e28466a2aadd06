"""Which transcript to believe when an utterance was decoded twice: by the open language model, which hears any
sentence, and by the grammar of the intents' commands, which hears commands more reliably but turns everything
into some command.

The rule, measured on 60 real coffee orders (barista-dev) and 366 spoken Kindly sentences (tests/data/dev.yaml
and tests/golden/spoken.yaml, by flite awb, festival and espeak-ng): the decoders' scores did not tell right from
wrong grammar sentences, but the matcher did.
1. Both understood as the same intent: the grammar's words (cleaner slot values), unless the open transcript
   carries something the grammar cannot (the words to soften, an agreement).
2. Else an open transcript the matcher accepts (or a disclosure) stands.
3. Else the grammar's, if the matcher accepts it and the open transcript holds most of its words (OVERLAP) or
   one of its slot values ("brown sugar", "twenty minutes"): a command heard badly. A sentence outside Kindly's
   scope that the grammar forced into a command shares few words and no value ("add milk to the shopping list"
   heard by the grammar as "add two to the break").
Grammar only: 57/60 orders, 249/366 Kindly sentences; open only: 49 and 350; this rule with words alone: 55 and
348 (OVERLAP 0.5: 56 and 344; 0.8: 54 and 350). On all 310 orders, words alone chose right 276 times clean and
151 in kitchen noise at 6 dB (grammar only: 284 and 194), words or a value 287 and 181, with the same choices on
366 Kindly sentences (flite awb, festival, espeak-ng): the orders the open model garbled still had the drink or
the milk in them.
4. In a noisy room (the voice less than NOISY_DB above the room, stt/snr.py): the grammar's, if the matcher
   accepts it and the open transcript means nothing and is shorter. Noise leaves the open model fragments ("and
   he was" for "brew a twenty ounce house coffee") that share nothing with the command the grammar still heard;
   a whole sentence outside Kindly's scope ("play some music in the kitchen") is as long as the command the
   grammar forces it into, or longer. With the noise adaptation, on all 310 orders (rules 1-3 → with rule 4;
   grammar only): kitchen noise at 6 dB 198 → 206 (213), at 12 dB 270 → 271 (270); clean orders and those at
   24 dB measure above 25 dB, so nothing changes there. Without "shorter", 6 dB reached 211, but festival in
   white noise then heard 5 of 6 sentences outside Kindly's scope as commands (tests/test_speech.py); with it,
   on those sentences by festival, flite rms and flite slt in that noise, 100 of 105 are understood (99
   without rule 4) and one sentence outside the scope is taken for a command either way.
0. Before all of these: a lone word the open model hears for a short answer (SOUND_ALIKES) gives way to the
   grammar's sentence, if the matcher accepts it: "now" is how it hears "no" and "nah", and a bare "now" would
   end a break.
Safety comes before all of these (recall first): if the chosen transcript discloses nothing but already leans
toward one (LEAN), and one of the open model's N-best hypotheses (N_BEST) discloses, that hypothesis is heard.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

from assistant.messages import Transcript

COMMAND_SECONDS = 20.0
"""The grammar decoder hears only an utterance's first 20 s: no command is longer (the longest recording of a
coffee order in barista-dev is 15 s, silence included), and a long recording costs only the open decoder."""
OVERLAP = 0.7
"""Share of the grammar sentence's words that the open transcript must also hold, for rule 3."""
N_BEST = 5
"""How many of the open model's N-best hypotheses are read for a disclosure the chosen transcript lacks."""
LEAN = 0.05
"""Least probability of a disclosure (the disclosure model's) that the chosen transcript must have for the N-best
hypotheses to be read. Measured on development data: two training personas and eight training safety sets left
out of the language model, spoken by flite awb, rms, slt, festival kal and slt HTS (400 disclosures, 400 requests
and 600 ordinary sentences about conflict, many of them near-misses such as "I'm scared she'll find out I forgot
our anniversary"). Disclosures reaching safety, and false alarms among the other 1,000:
- the chosen transcript alone: 374 and 19;
- the first 2 or 5 N-best hypotheses too, whatever the chosen one leans to: 384 and 31, 390 and 45;
- the same when it leans (LEAN 0.05): 384 and 23, 390 and 27 (0.1: 388 and 24; 8 hypotheses: 391 and 29).
The 16 disclosures that only the N-best heard leaned 0.058 or more ("he break my sin card because i talked to the
support for her"); 15 of the 18 false alarms the lean stops leaned less than 0.01."""
SOUND_ALIKES = frozenset({"now", "down", "us"})
"""Whole open transcripts that were another short word, never themselves a command. On development data (1,815
short answers of the training personas and 400 of their requests, by flite awb, rms, slt, festival kal and slt
HTS, two personas left out of the language model), the open model heard a lone "now" 15 times: always for
"no", "nah" or "nope" (the grammar heard "no", "nah", "nope" or "not yet"); a lone "down" 3 times, each time
for "help", which the grammar heard; and a lone "us" 3 times, twice for "yes", which the grammar heard (the
third, "you what?", the grammar did not hear at all). A general rule (the grammar's sentence whenever it sounds
like the open transcript: phoneme edit distance up to a third or a half) lost more than it gained, 49 against
15: the grammar drops words ("definitely not" heard as "definitely")."""
NOISY_DB = 25.0
"""Below this signal-to-noise ratio (stt/snr.py) an utterance is heard in a noisy room, and rule 4 applies."""


class Judge(Protocol):
    """What the matcher offers: `match(text)`, `slot_values(text)` and `thresholds.accept`."""

    thresholds: Any

    def match(self, text: str) -> Any: ...

    def slot_values(self, text: str) -> dict[str, Any]: ...

    def disclosure(self, text: str) -> Any: ...

    def disclosure_and_lean(self, text: str) -> tuple[Any, float]: ...


def transcript(engine: str, open_text: str, grammar_text: str, audio_seconds: float, decode_seconds: float,
               judge: Judge | None, snr_db: float = math.inf, n_best: tuple[str, ...] = ()) -> Transcript:
    """What an engine heard, from its two decodings: the grammar's counts only for utterances no longer than
    COMMAND_SECONDS, and only with a judge; all stay in `alternatives`. `snr_db`: how far the voice stood above
    the room (stt/snr.py). `n_best`: the open model's N-best hypotheses, read only for a disclosure."""
    if audio_seconds > COMMAND_SECONDS:
        grammar_text = ""
    text, alternatives, n_best = open_text, {"open": open_text, "grammar": grammar_text}, n_best[:N_BEST]
    if judge is not None:
        text = disclosed(choose(open_text, grammar_text, judge, snr_db < NOISY_DB), n_best, judge)
        alternatives.update({f"n-best {rank}": words for rank, words in enumerate(n_best, 1)})
    return Transcript(text, engine, audio_seconds, decode_seconds, alternatives=alternatives)


def disclosed(text: str, n_best: tuple[str, ...], judge: Judge) -> str:
    """The chosen transcript, or the first N-best hypothesis that discloses when it does not but leans toward it."""
    if not n_best:
        return text
    found, lean = judge.disclosure_and_lean(text)
    if found is not None or lean < LEAN:
        return text
    return next((words for words in n_best if judge.disclosure(words) is not None), text)


def choose(open_text: str, grammar_text: str, judge: Judge, noisy: bool = False) -> str:
    if not grammar_text:
        return open_text
    heard = judge.match(grammar_text)
    if heard.intent is None:
        return open_text
    accept = judge.thresholds.accept
    if open_text in SOUND_ALIKES and heard.confidence >= accept:
        return grammar_text
    said = judge.match(open_text) if open_text else None
    if said is not None and said.intent == heard.intent:
        return open_text if set(said.slots) - set(heard.slots) else grammar_text
    if said is not None and said.intent is not None and said.confidence >= accept:
        return open_text
    if heard.confidence >= accept and (overlap(open_text, grammar_text) >= OVERLAP or shares_a_value(open_text, heard.slots, judge)):
        return grammar_text
    if noisy and heard.confidence >= accept and (said is None or said.intent is None) and len(open_text.split()) < len(grammar_text.split()):
        return grammar_text
    return open_text


def shares_a_value(open_text: str, slots: dict[str, Any], judge: Judge) -> bool:
    """Whether the open transcript also says one of the grammar sentence's slot values."""
    said = judge.slot_values(open_text) if open_text else {}
    return any(name in said and said[name] == value for name, value in slots.items())


def overlap(open_text: str, grammar_text: str) -> float:
    """Share of the grammar sentence's words that the open transcript also has."""
    grammar_words = grammar_text.split()
    heard = set(open_text.split())
    return sum(w in heard for w in grammar_words) / len(grammar_words) if grammar_words else 0.0
