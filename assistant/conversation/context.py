"""What handlers and flows share: content, settings, storage, the clock and the state of the conversation."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from assistant.conversation.breathing import Coach
from assistant.conversation.content import Replies
from assistant.conversation.rephrase import Rephraser
from assistant.messages import Match, Reply
from assistant.settings import Settings
from assistant.storage import Store


class Flow(Protocol):
    """A conversation that spans turns: it claims the turns that belong to it."""

    def handle(self, text: str, match: Match, ctx: "Context") -> Reply | None:
        """A reply if this turn belongs to the flow, else None."""

    def tick(self, now: float, ctx: "Context") -> list[Reply]:
        """Replies that are due by the clock."""


@dataclass
class Context:
    """What handlers may use: content, settings, storage, the clock, and the state of the conversation."""

    replies: Replies
    settings: Settings
    store_factory: Callable[[], Store]
    clock: Callable[[], float] = time.time
    offer: Match | None = None
    """What to do if the person answers yes to the question just asked."""
    flow: Flow | None = None
    """A multi-turn flow that claims the turns that belong to it."""
    safety_mode: bool = False
    """Set after a disclosure: conflict coaching stays off for the rest of the session (kept in memory only)."""
    more: str | None = None
    """The reply key that "tell me more" says next: one step deeper into the last topic."""
    tips_given: list[str] = field(default_factory=list)
    topics_of: Callable[[str], dict[str, Any]] = lambda text: {}
    rephraser: Rephraser = field(default_factory=Rephraser)
    coach: Coach = field(default_factory=Coach)
    _store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = self.store_factory()
        return self._store

    def clock_time(self, at: float) -> str:
        """A time as people say it: "8:40"."""
        moment = time.localtime(at)
        return f"{(moment.tm_hour % 12) or 12}:{moment.tm_min:02d}"
