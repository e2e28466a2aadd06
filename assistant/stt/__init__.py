"""Speech-to-text engines behind one streaming interface: start, accept(chunk) → partial text, finish()."""

from __future__ import annotations

from typing import Protocol

from assistant.messages import Transcript


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
    """Run a whole utterance through a recogniser in chunks, as streaming audio would arrive."""
    recognizer.start()
    for offset in range(0, len(pcm), chunk_bytes):
        recognizer.accept(pcm[offset : offset + chunk_bytes])
    return recognizer.finish()
