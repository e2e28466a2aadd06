"""Build the parts of a conversation from settings, in one place, for chat, voice and tests alike."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from assistant import intents
from assistant.content import Replies
from assistant.dialogue import Dialogue
from assistant.handlers import Context
from assistant.matcher import Matcher, Thresholds
from assistant.settings import Settings
from assistant.storage import Store


def build_matcher(settings: Settings) -> Matcher:
    thresholds = Thresholds(reject=settings.reject_threshold, accept=settings.accept_threshold)
    return Matcher(intents.load(Path(settings.intents_dir) if settings.intents_dir else None), thresholds)


def build_dialogue(settings: Settings, clock: Callable[[], float] = time.time, seed: int | None = None) -> Dialogue:
    context = Context(Replies(seed=seed), settings, lambda: Store(settings.data_path), clock)
    return Dialogue(build_matcher(settings), context)
