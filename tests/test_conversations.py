"""Scripted conversations through the same dialogue engine that voice uses, with a fake clock."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml

from assistant.conversation.dialogue import Dialogue
from assistant.messages import Reply
from assistant.session import build_dialogue
from assistant.settings import Settings

os.environ["TZ"] = "UTC"  # return times in the scripts ("4:20") are read in UTC
time.tzset()
SCRIPTS = yaml.safe_load((Path(__file__).parent / "golden" / "conversations.yaml").read_text())
START = 1_764_000_000.0


class FakeClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


def _check(turn: dict, replies: list[Reply], label: str) -> None:
    text = " ".join(r.text + " " + r.printed for r in replies).lower()
    for words in turn.get("says", []):
        assert words.lower() in text, (label, text)
    for words in turn.get("not", []):
        assert words.lower() not in text, (label, text)
    if "voice" in turn:
        assert replies and all(r.voice == turn["voice"] for r in replies), (label, [r.voice for r in replies])
    if "private" in turn:
        assert replies and all(r.private == turn["private"] for r in replies), label
    if turn.get("silent"):
        assert not replies, (label, text)
    for words in turn.get("suggestion", []):
        assert replies and all(words.lower() in r.suggestion.lower() for r in replies), (label, [r.suggestion for r in replies])
    for words in turn.get("suggestion_not", []):
        assert all(words.lower() not in f" {r.suggestion.lower()} " for r in replies), (label, [r.suggestion for r in replies])
    for words in turn.get("printed", []):
        assert any(words.lower() in r.printed.lower() for r in replies), (label, [r.printed for r in replies])


def _new(tmp_path: Path, clock: FakeClock, country: str) -> Dialogue:
    return build_dialogue(Settings(country=country, data_dir=str(tmp_path)), clock=clock, seed=3)


@pytest.mark.parametrize("script", SCRIPTS, ids=[s["name"] for s in SCRIPTS])
def test_conversation(script: dict, tmp_path: Path) -> None:
    clock = FakeClock()
    dialogue = _new(tmp_path, clock, script.get("country", "US"))
    spoken: list[str] = []
    for index, turn in enumerate(script["turns"]):
        label = f"turn {index + 1}: {turn}"
        if "say" in turn:
            match, reply = dialogue.turn(turn["say"])
            if "intent" in turn:
                assert match.intent == turn["intent"], (label, match)
            replies = [reply]
            spoken.append(reply.text)
        elif "wait" in turn:
            replies = []
            target = clock.now + float(turn["wait"])
            while clock.now < target:  # advance in 1 s steps, as the voice loop ticks continuously
                clock.now = min(target, clock.now + 1.0)
                replies += dialogue.tick()
        elif "away" in turn:
            clock.now += float(turn["away"])  # Kindly is not running: the clock moves, nothing ticks
            replies = []
        else:
            assert turn.get("restart")
            dialogue = _new(tmp_path, clock, script.get("country", "US"))
            resumed = dialogue.resume()
            replies = [resumed] if resumed else []
        _check(turn, replies, label)
    if script.get("all_different"):
        assert len(set(spoken)) == len(spoken), spoken


def test_there_are_at_least_40_conversations_covering_every_flow() -> None:
    assert len(SCRIPTS) >= 40
    intents = {t.get("intent") for s in SCRIPTS for t in s["turns"]}
    for needed in ("cooldown.start", "cooldown.extend", "cooldown.end", "breathing.start", "rephrase.start", "validate.feeling",
                   "dynamic.explain", "dynamic.identify", "theme.advice", "agreement.add", "agreement.list", "balance.tip",
                   "therapist.info", "safety.crisis", "help", "control.stop", "control.repeat", "control.yes", "control.no"):
        assert needed in intents, needed


def test_no_reply_variant_is_used_twice_in_a_row(tmp_path: Path) -> None:
    dialogue = _new(tmp_path, FakeClock(), "US")
    replies = [dialogue.turn("what can you do")[1].text for _ in range(6)]
    assert all(a != b for a, b in zip(replies, replies[1:]))


def test_every_reply_is_short_unless_guided_or_safety(tmp_path: Path) -> None:
    dialogue = _new(tmp_path, FakeClock(), "US")
    for key, variants in dialogue.ctx.replies.variants.items():
        if key.startswith(("safety.", "cooldown.return", "therapist.individual")):
            continue
        for text in variants:
            assert len(text.split()) <= 25, (key, text)
