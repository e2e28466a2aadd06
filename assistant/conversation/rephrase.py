"""Say it kindly: turn a harsh sentence into feeling + situation + need + one concrete request.

Nothing of the harsh sentence is copied except what it is about: the kinder version is built from the topic's
content and templates, so "you always", name-calling and sarcasm cannot leak through.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from assistant.understanding.normalize import normalise
from assistant.resources import content


@dataclass(frozen=True)
class Topic:
    name: str
    words: tuple[str, ...]
    theme: str
    situation: str
    feeling: str
    need: str
    requests: tuple[str, ...]


class Rephraser:
    """Finds the topic of a harsh sentence and builds gentler versions of it."""

    def __init__(self) -> None:
        data = yaml.safe_load(content("rephrase.yaml").read_text(encoding="utf-8"))
        self.topics = [Topic(name, tuple(t["words"]), t["theme"], t["situation"], t["feeling"], t["need"], tuple(t["requests"]))
                       for name, t in data["topics"].items()]
        self.blame_words = frozenset(data["blame_words"])
        self.templates: list[str] = data["templates"]
        self.texts = data

    def topic_of(self, sentence: str) -> Topic | None:
        said = normalise(sentence).split()
        # "family's" is normalised to "familys": count the word without its possessive s too
        words = " " + " ".join(said + [w[:-1] for w in said if w.endswith("s")]) + " "
        for topic in self.topics:
            if any(f" {w} " in words for w in topic.words):
                return topic
        return None

    def kinder(self, topic: Topic, version: int = 0) -> str:
        """Version `version` (0, 1, 2 …) of the gentler sentence for a topic."""
        template = self.templates[version % len(self.templates)]
        request = topic.requests[version % len(topic.requests)]
        return template.format(feeling=topic.feeling, situation=topic.situation, need=topic.need,
                               need_to=topic.need.replace("to ", "", 1) if topic.need.startswith("to ") else topic.need,
                               request=request)

    def from_need(self, need: str, version: int = 0) -> str:
        """A gentler sentence when the topic was unclear and the person said what they need."""
        need = normalise(need)
        for prefix in ("i need ", "i want ", "i would like ", "i just need ", "i just want "):
            if need.startswith(prefix):
                need = need[len(prefix):]
        need = need if need.startswith(("to ", "more ", "some ", "a ", "an ", "you ", "them ")) else f"{need}" if need else "to be heard"
        opening = self.texts["open_topic"]
        topic = Topic("open", (), "", opening["situation"], opening["feeling"], need, (opening["request"],))
        return self.kinder(topic, version)
