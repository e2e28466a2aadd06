"""Endpointing: find where an utterance starts and ends in a stream of 30 ms chunks.

A frame counts as speech when the voice-activity detector says so *and* it is louder than the tracked noise
floor, so steady noise (a fan, a dishwasher) does not hold an utterance open. The trailing silence that ends a
turn is long while the words so far are not a complete request (upset people pause mid-sentence) and short
once they are ("i need a break").
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from assistant.audio import CHUNK_SECONDS
from assistant.messages import AudioChunk, Utterance


@dataclass(frozen=True)
class EndpointSettings:
    """Timing of turns, in seconds."""

    short_silence_s: float = 0.5
    """Silence that ends a turn once the words already make a complete request."""
    long_silence_s: float = 1.5
    """Silence that ends a turn otherwise, so a pause mid-sentence does not cut the person off."""
    max_utterance_s: float = 15.0
    """A turn longer than this is cut and understood as it is."""
    preroll_s: float = 0.3
    """Audio kept from before speech starts, so the first syllable is not lost."""
    start_frames: int = 4
    """Speech frames out of the last `start_window` needed to start a turn."""
    start_window: int = 6
    noise_margin_db: float = 6.0
    """How far above the noise floor a frame must be to count as speech."""
    vad_mode: int = 2
    """Voice-activity aggressiveness, 0 (loose) to 3 (strict)."""


class Endpointer:
    """Feed chunks; get an Utterance back when one ends."""

    def __init__(self, settings: EndpointSettings = EndpointSettings()) -> None:
        from pocketsphinx import Vad

        self.settings = settings
        self._vad = Vad(mode=settings.vad_mode)
        self._preroll: deque[bytes] = deque(maxlen=max(1, int(settings.preroll_s / CHUNK_SECONDS)))
        self._recent: deque[bool] = deque(maxlen=settings.start_window)
        self._noise_db = -60.0
        self.complete = False
        """Set by the caller when the words so far make a complete request: the shorter silence then applies."""
        self.reset()

    def reset(self) -> None:
        self.in_speech = False
        self._speech: list[bytes] = []
        self._silent_frames = 0
        self._last_speech_end = 0.0
        self.complete = False

    def is_speech(self, chunk: AudioChunk) -> bool:
        """This frame's decision, updating the noise floor from frames that are not speech."""
        samples = np.frombuffer(chunk.pcm, dtype=np.int16).astype(np.float32)
        level = 10 * np.log10(float(np.mean(samples * samples)) / 32768.0**2 + 1e-10)
        voiced = self._vad.is_speech(chunk.pcm)
        loud = level > self._noise_db + self.settings.noise_margin_db
        if not voiced or not loud:
            # Track the floor quickly downwards and slowly upwards.
            rate = 0.3 if level < self._noise_db else 0.02
            self._noise_db += rate * (level - self._noise_db)
        return voiced and loud

    def feed(self, chunk: AudioChunk) -> tuple[bool, Utterance | None]:
        """(speech started with this chunk, the utterance if it ended with this chunk)."""
        speech = self.is_speech(chunk)
        if not self.in_speech:
            self._recent.append(speech)
            self._preroll.append(chunk.pcm)
            if sum(self._recent) >= self.settings.start_frames:
                self.in_speech = True
                self._speech = list(self._preroll)
                self._recent.clear()
                self._last_speech_end = chunk.start_s + CHUNK_SECONDS
                return True, None
            return False, None
        self._speech.append(chunk.pcm)
        if speech:
            self._silent_frames = 0
            self._last_speech_end = chunk.start_s + CHUNK_SECONDS
        else:
            self._silent_frames += 1
        limit = self.settings.short_silence_s if self.complete else self.settings.long_silence_s
        too_long = len(self._speech) * CHUNK_SECONDS >= self.settings.max_utterance_s
        if self._silent_frames * CHUNK_SECONDS >= limit or too_long:
            utterance = Utterance(b"".join(self._speech), self._last_speech_end)
            self.reset()
            self._preroll.clear()
            return False, utterance
        return False, None

    def buffered(self) -> bytes:
        """The audio of the turn so far (pre-roll included)."""
        return b"".join(self._speech)
