"""The typed values that flow through Kindly: AudioChunk → Utterance → Transcript → Match → Reply."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SAMPLE_RATE = 16_000
"""Every stage after the audio source works on 16 kHz mono 16-bit PCM."""


@dataclass(frozen=True)
class AudioChunk:
    """A short piece of 16 kHz mono 16-bit little-endian PCM."""

    pcm: bytes
    start_s: float = 0.0

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / SAMPLE_RATE


@dataclass(frozen=True)
class Utterance:
    """One spoken turn cut out of the stream by the endpointer."""

    pcm: bytes
    speech_end_s: float
    """Time, in seconds of stream audio, where the speech itself ended (before the trailing silence)."""

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / SAMPLE_RATE


@dataclass(frozen=True)
class Transcript:
    """What the recogniser heard."""

    text: str
    engine: str
    audio_seconds: float = 0.0
    decode_seconds: float = 0.0
    alternatives: dict[str, str] = field(default_factory=dict)
    """What each decoding heard ("open", "grammar"), for evaluation; `text` is the one chosen."""


@dataclass(frozen=True)
class Match:
    """What the matcher understood: the best intent (None when out of scope) and how sure it is."""

    text: str
    intent: str | None
    confidence: float
    slots: dict[str, Any] = field(default_factory=dict)
    runners_up: tuple[tuple[str, float], ...] = ()
    candidate: str | None = None
    """Best intent even when rejected, so the chat can ask "Did you mean …?"."""
    disclosure: tuple[str, ...] = ()
    """For safety.crisis: the kinds of harm disclosed (physical, threats, selfharm …). Never logged."""

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "intent": self.intent, "confidence": round(self.confidence, 3), "slots": self.slots}


@dataclass(frozen=True)
class Reply:
    """What Kindly answers: text to speak, and how."""

    text: str
    voice: str = "default"
    """Voice profile name from voices/."""
    private: bool = False
    """Safety turns: never logged, stored or read back."""
    end_session: bool = False
    printed: str = ""
    """Extra text shown on screen but not spoken (quiet mode resources)."""
    cue: bool = False
    """A timed cue of a guided exercise (breathing), spoken at its scheduled time."""
    suggestion: str = ""
    """Words offered for the person to say to their partner, inside `text`: spoken after a pause, in the calm
    voice (slow when the reply's voice is slow), so it is clear which words are Kindly's own."""
