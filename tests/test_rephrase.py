"""Say it kindly, over harsh sentences written for this test: every kinder version keeps the topic, speaks as
"I", makes exactly one request, and carries none of the blame words of the original."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from assistant.conversation.rephrase import Rephraser

HARSH = yaml.safe_load((Path(__file__).parent / "golden" / "harsh.yaml").read_text())
REQUEST = re.compile(r"\b(could you|would you|could we|can you)\b")


@pytest.fixture(scope="module")
def rephraser() -> Rephraser:
    return Rephraser()


def test_at_least_sixty_harsh_sentences() -> None:
    assert len(HARSH) >= 60


@pytest.mark.parametrize("case", HARSH, ids=[c["say"] for c in HARSH])
@pytest.mark.parametrize("version", [0, 1, 2])
def test_kinder_version(rephraser: Rephraser, case: dict, version: int) -> None:
    topic = rephraser.topic_of(case["say"])
    assert topic is not None, case["say"]
    kinder = rephraser.kinder(topic, version)
    lowered = kinder.lower()
    assert case["keep"] in lowered
    assert re.search(r"\bi (feel|need)\b|\bi'm feeling\b", lowered)
    assert len(REQUEST.findall(lowered)) == 1 and lowered.count("?") == 1
    said = set(re.findall(r"[a-z']+", case["say"].lower()))
    leaked = (said & rephraser.blame_words) & set(re.findall(r"[a-z']+", lowered))
    assert not leaked, (kinder, leaked)
    assert "you always" not in lowered and "you never" not in lowered


def test_unclear_topic_builds_from_the_need(rephraser: Rephraser) -> None:
    assert rephraser.topic_of("you are unbelievable") is None
    kinder = rephraser.from_need("I need you to apologise")
    assert kinder.lower().startswith("i feel") and "apologise" in kinder and kinder.count("?") == 1
