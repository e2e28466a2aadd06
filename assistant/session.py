"""Build the parts of a conversation from settings, in one place, for chat, voice and tests alike."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from assistant.conversation.content import Replies
from assistant.conversation.context import Context
from assistant.conversation.dialogue import Dialogue
from assistant.resources import shipped
from assistant.settings import Settings
from assistant.storage import Store
from assistant.understanding import intents, trained
from assistant.understanding.matcher import Matcher, Thresholds

_LOGGER = logging.getLogger(__name__)

if TYPE_CHECKING:
    from assistant.audio import AudioSource
    from assistant.loop import Turn, VoiceLoop
    from assistant.messages import Reply
    from assistant.speaker import Speaker


def build_matcher(settings: Settings, notice: Callable[[str], None] | None = None) -> Matcher:
    """The matcher for the configured intent folder, with its trained models (trained and cached at first use)."""
    folder = Path(settings.intents_dir) if settings.intents_dir else shipped("intents")
    catalog = intents.load(folder)
    models = trained.load_or_train(catalog, folder, settings.cache_path, notice or _LOGGER.info)
    thresholds = Thresholds(reject=settings.reject_threshold, accept=settings.accept_threshold)
    return Matcher(catalog, models, thresholds, cache_dir=settings.cache_path)


def build_dialogue(settings: Settings, clock: Callable[[], float] = time.time, seed: int | None = None,
                   notice: Callable[[str], None] | None = None) -> Dialogue:
    context = Context(Replies(seed=seed), settings, lambda: Store(settings.data_path), clock)
    return Dialogue(build_matcher(settings, notice), context)


def build_voice_loop(settings: Settings, source: "AudioSource", speaker: "Speaker", dialogue: Dialogue | None = None,
                     on_turn: Callable[["Turn"], None] | None = None, on_reply: Callable[["Reply"], None] | None = None,
                     listen_mode: str | None = None, clock_replies: bool = True,
                     notice: Callable[[str], None] | None = None) -> "VoiceLoop":
    """Everything the hands-free loop needs, from settings, around a given audio source and speaker."""
    from assistant import voices
    from assistant.endpoint import Endpointer
    from assistant.loop import VoiceLoop
    from assistant.memory import share_one_heap
    from assistant.spotter import StopSpotter
    from assistant.stt.engines import cache_dir, open_recognizer
    from assistant.tts import Synthesizer
    from assistant.wake import Waker

    share_one_heap()  # the loop runs for days: see assistant/memory.py
    dialogue = dialogue or build_dialogue(settings, notice=notice)
    recognizer = open_recognizer(settings, dialogue.matcher.catalog, settings.wake_phrase, judge=dialogue.matcher)
    waker = Waker(mode=listen_mode or settings.listen_mode, phrase=settings.wake_phrase, sensitivity=settings.wake_sensitivity)
    known = getattr(recognizer, "known_words", None)
    if known is not None and waker.mode == "wake":
        waker.check_words(known())
    profiles = voices.load(Path(settings.voices_dir)) if settings.voices_dir else None
    loop = VoiceLoop(source, recognizer, Endpointer(), dialogue, Synthesizer(profiles), speaker,
                     StopSpotter(cache_dir(settings)), on_turn=on_turn, on_reply=on_reply)
    loop.default_voice = settings.voice
    loop.clock_replies = clock_replies
    loop.waker = waker
    return loop
