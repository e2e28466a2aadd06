"""Speech-to-text engines behind one streaming interface: start, accept(chunk) → partial text, finish()."""

from __future__ import annotations

from typing import Protocol

from assistant.messages import SAMPLE_RATE, Transcript


class Recognizer(Protocol):
    """One engine, one utterance at a time."""

    name: str

    def start(self) -> None:
        """Begin a new utterance."""

    def accept(self, pcm: bytes) -> str:
        """Feed 16 kHz mono 16-bit audio; returns the words heard so far."""

    def finish(self) -> Transcript:
        """End the utterance and return what was heard."""


def transcribe(recognizer: Recognizer, pcm: bytes, chunk_bytes: int = 9600) -> Transcript:
    """Run a whole recording through the front end and a recogniser in chunks, as streaming audio would arrive
    (long digital silences shortened first); `audio_seconds` is the recording's length."""
    import dataclasses

    from assistant.stt.frontend import FrontEnd, shorten_digital_silence

    front = FrontEnd()
    audio_seconds = len(pcm) / 2 / SAMPLE_RATE
    pcm = shorten_digital_silence(pcm)
    recognizer.start()
    for offset in range(0, len(pcm), chunk_bytes):
        recognizer.accept(front.process(pcm[offset : offset + chunk_bytes]))
    return dataclasses.replace(recognizer.finish(), audio_seconds=audio_seconds)
