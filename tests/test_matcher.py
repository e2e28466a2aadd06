"""The matcher on golden sentences, on the sentences Kindly's authors wrote, and on held-out personas."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.understanding.matcher import SAFETY_INTENT, Matcher
from assistant.understanding.normalize import normalise

DATA = Path(__file__).parent
GOLDEN = yaml.safe_load((DATA / "golden" / "parse.yaml").read_text())
HELD_OUT = yaml.safe_load((DATA / "data" / "heldout.yaml").read_text())


@pytest.mark.parametrize("case", GOLDEN, ids=[c["text"] or "<empty>" for c in GOLDEN])
def test_golden_sentence(matcher: Matcher, case: dict) -> None:
    match = matcher.match(case["text"])
    assert match.intent == case["intent"], (match.confidence, match.runners_up)
    for name, value in (case.get("slots") or {}).items():
        assert match.slots.get(name) == value


def _accuracy(matcher: Matcher, items: list[tuple[str, str | None]]) -> tuple[float, list[str]]:
    wrong = [f"{s!r} -> {matcher.match(s).intent} (want {want})" for s, want in items if matcher.match(s).intent != want]
    return 1 - len(wrong) / len(items), wrong


def test_held_out_in_scope_accuracy(matcher: Matcher) -> None:
    items = [(s, name) for name, sentences in HELD_OUT["in_scope"].items() for s in sentences]
    accuracy, wrong = _accuracy(matcher, items)
    assert accuracy >= 0.95, wrong


def test_held_out_personas_are_understood(matcher: Matcher) -> None:
    """Sentences written blind from four personas no model trained on (figures: scripts/eval_matcher.py). A floor
    under the measured figures, so a change that loses what people say fails here."""
    from assistant.understanding import training

    examples = training.persona_examples(sorted((DATA / "data" / "personas").glob("*.yaml")))
    inscope = [e for e in examples if e.intent != training.OUT_OF_SCOPE]
    outside = [e for e in examples if e.intent == training.OUT_OF_SCOPE]
    right = sum(matcher.match(e.text).intent == e.intent for e in inscope) / len(inscope)
    rejected = sum(matcher.match(e.text).intent is None for e in outside) / len(outside)
    assert right >= 0.9 and rejected >= 0.9, (right, rejected)


def test_held_out_out_of_scope_rejected(matcher: Matcher) -> None:
    accuracy, wrong = _accuracy(matcher, [(s, None) for s in HELD_OUT["out_of_scope"]])
    assert accuracy >= 0.95, wrong


def test_every_held_out_crisis_sentence_goes_to_safety(matcher: Matcher) -> None:
    accuracy, wrong = _accuracy(matcher, [(s, SAFETY_INTENT) for s in HELD_OUT["crisis"]])
    assert accuracy == 1.0, wrong


def test_safety_wins_over_a_break_request(matcher: Matcher) -> None:
    assert matcher.match("I need a time out, she threatened me").intent == SAFETY_INTENT


def test_runners_up_and_confidence_range(matcher: Matcher) -> None:
    match = matcher.match("can we take a break")
    assert 0 <= match.confidence <= 1
    assert match.runners_up and all(name != match.intent for name, _ in match.runners_up)


def test_near_miss_is_rejected_with_a_candidate(matcher: Matcher) -> None:
    match = matcher.match("my car needs new brake pads")
    assert match.intent is None and match.confidence < matcher.thresholds.reject


@pytest.mark.parametrize(
    ("spoken", "normalised"),
    [
        ("Um, I NEED a break!!", "i need a break"),
        ("I'm like, so done, you know?", "i am so done"),
        ("give me 20 mins", "give me twenty mins"),
        # a long run of digits is a phone number, said digit by digit; a year is said as a year
        ("Call 10111, quickly", "call one zero one one one quickly"), ("since 2019", "since twenty nineteen"),
        ("I’d like a break", "i would like a break"),
        ("Hey Kindly, what's up", "what is up"),
        ("I'm feart tae go hame, he's been hittin' me", "i am afraid to go home he has been hitting me"),
        ("He knew where I'd been before I'd got home, he's got a tracker", "he knew where i had been before i had got home he has got a tracker"),
        ("I'd rather go, he's gone", "i would rather go he is gone"),
        ("we cannae fix the wi-fi, it's a ruin", "we can not fix the wifi it is a ruin"),
        ("I divvent want to gan hyem the neet", "i do not want to go home the night"),
        ("Mi cyaan tek it, mi a go kill miself", "me can not take it me a go kill myself"),
        # the sounds that answer are words; the same sounds alone or inside a sentence are hesitations
        ("Uh-huh.", "yes"), ("mm hmm, go on", "yes go on"), ("mhm", "yes"), ("Uh-uh.", "no"),
        ("uh, uh, I need a break", "i need a break"), ("hmm", ""),
    ],
)
def test_normalise_spoken_text(spoken: str, normalised: str) -> None:
    assert normalise(spoken) == normalised


@pytest.mark.parametrize(("hypothesis", "intent"), [
    ("<s> uh huh </s>", "control.yes"), ("um mm hmm", "control.yes"), ("mm hm", "control.yes"), ("<s> uh uh </s>", "control.no"),
    ("uh uh i need a break <sil>", "cooldown.start"),
])
def test_an_answer_sound_the_recogniser_hears_is_an_answer(matcher: Matcher, hypothesis: str, intent: str) -> None:
    """PocketSphinx's words leave hesitations out, but not "uh huh" (yes) or a whole "uh uh" (no)."""
    from assistant.stt.sphinx_engine import _plain

    match = matcher.match(_plain(hypothesis))
    assert match.intent == intent and match.confidence >= matcher.thresholds.accept


@pytest.mark.parametrize("open_text, grammar_text, chosen", [
    # a command the open model garbled but whose value it heard: the grammar's words
    ("the rake for forty five minutes", "take a break for forty five minutes", "grammar"),
    # sentences outside Kindly's scope that the grammar forced into a command: what was said
    ("add milk to the shopping list", "add two to the break", "open"),
    ("recommend a good book", "recommend a therapist", "open"),
    # the same command from both: the grammar's cleaner words, unless only the open one has the words to soften
    ("i need a brake for twenty minutes", "i need a break for twenty minutes", "grammar"),
    # a lone "now" is the open model's "no" or "nah" (else it would end a break); a lone "down" its "help", a lone
    # "us" its "yes"
    ("now", "nope", "grammar"), ("now", "nah", "grammar"), ("down", "help", "grammar"), ("us", "yes", "grammar"),
    # the same words inside a sentence the matcher accepts are what was said
    ("we are ready to talk now", "no", "open"), ("i feel really down", "help", "open"), ("can you help us", "yes", "open"),
])
def test_the_transcript_to_believe(matcher: Matcher, open_text: str, grammar_text: str, chosen: str) -> None:
    from assistant.stt.choice import choose

    assert choose(open_text, grammar_text, matcher) == {"open": open_text, "grammar": grammar_text}[chosen]


@pytest.mark.parametrize("heard, n_best, chosen", [
    # the recogniser's best guess leans toward a disclosure and one of its next guesses makes it: that one is heard
    ("he break my sin card because i talked to the support for her",
     ("he break my sin card because i talked to the support for", "he break my sim card because i talked to the support worker"), 1),
    ("i think about", ("i think about how to do it",), 0),
    # an ordinary sentence does not lean, so a garbled next guess that sounds like harm is not heard
    ("i am scared she will find out i forgot our anniversary", ("i am scared she will find bike i forgot our anniversary",), None),
    ("kindly stop", ("kindly stalked",), None),
    # a disclosure in the best guess stands as it is
    ("he hit me again", ("he hit me a game",), None),
])
def test_a_disclosure_among_the_recognisers_next_guesses_is_heard(matcher: Matcher, heard: str, n_best: tuple[str, ...],
                                                                   chosen: int | None) -> None:
    from assistant.stt.choice import disclosed

    assert disclosed(heard, n_best, matcher) == (heard if chosen is None else n_best[chosen])


@pytest.mark.parametrize("open_text, grammar_text, quiet, noisy", [
    # noise left the open model a fragment that means nothing: in a noisy room the grammar's command is believed
    ("and he was the", "i need a break for twenty minutes", "open", "grammar"),
    # a whole sentence outside Kindly's scope is not forced into a command, noise or not
    ("add milk to the shopping list", "add two to the break", "open", "open"),
    # what the open model understood still stands, and a disclosure always does
    ("he hit me again", "i need a break", "open", "open"),
    ("explain the pursue withdraw pattern", "i need a break", "open", "open"),
])
def test_in_a_noisy_room_the_grammar_is_believed_over_a_fragment_that_means_nothing(
        matcher: Matcher, open_text: str, grammar_text: str, quiet: str, noisy: str) -> None:
    from assistant.stt.choice import choose

    said = {"open": open_text, "grammar": grammar_text}
    assert choose(open_text, grammar_text, matcher, noisy=False) == said[quiet]
    assert choose(open_text, grammar_text, matcher, noisy=True) == said[noisy]
