"""Scripted conversations through the same dialogue engine that voice uses."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.session import build_dialogue
from assistant.settings import Settings

SCRIPTS = yaml.safe_load((Path(__file__).parent / "golden" / "conversations.yaml").read_text())


@pytest.mark.parametrize("script", SCRIPTS, ids=[s["name"] for s in SCRIPTS])
def test_conversation(script: dict, tmp_path: Path) -> None:
    dialogue = build_dialogue(Settings(country="US", data_dir=str(tmp_path)), seed=3)
    replies: list[str] = []
    for turn in script["turns"]:
        match, reply = dialogue.turn(turn["say"])
        if "intent" in turn:
            assert match.intent == turn["intent"], (turn["say"], match)
        text = reply.text.lower()
        for words in turn.get("says", []):
            assert words.lower() in text, (turn["say"], reply.text)
        for words in turn.get("not", []):
            assert words.lower() not in text, (turn["say"], reply.text)
        replies.append(reply.text)
    if script["name"] == "balance tips differ each time":
        assert len(set(replies)) == len(replies)


def test_unknown_country_never_guesses_a_number(tmp_path: Path) -> None:
    dialogue = build_dialogue(Settings(country="ZZ", data_dir=str(tmp_path)))
    reply = dialogue.turn("I'm scared of him")[1].text
    assert "local emergency number" in reply and not any(ch.isdigit() for ch in reply)


def test_uk_resources(tmp_path: Path) -> None:
    dialogue = build_dialogue(Settings(country="UK", data_dir=str(tmp_path)))
    reply = dialogue.turn("she hit me")[1].text
    assert "999" in reply and "0808 2000 247" in reply


def test_every_catalog_intent_has_a_short_answer(tmp_path: Path) -> None:
    from assistant.handlers import HANDLERS

    dialogue = build_dialogue(Settings(country="US", data_dir=str(tmp_path)))
    for name in dialogue.matcher.catalog.intents:
        if name.startswith("control.") or name == "safety.crisis":
            continue
        assert name in HANDLERS, name
    for key, variants in dialogue.ctx.replies.variants.items():
        for text in variants:
            if not key.startswith(("safety.", "breathing.", "cooldown.")):
                assert len(text.split()) <= 25, (key, text)
