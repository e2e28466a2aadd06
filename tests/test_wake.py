"""Wake-up by voice, with real speech through the real recogniser; the settings around it."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from assistant.audio import WavSource
from assistant.session import build_voice_loop
from assistant.settings import Settings
from assistant.speaker import WavSpeaker
from assistant.wake import EARCON_S, Waker, earcon
from tests.speech import join, silence, speak

pytestmark = pytest.mark.speech


def _run(tmp_path: Path, parts: list[Path], **settings: str) -> tuple[list, WavSpeaker]:
    os.environ.setdefault("KINDLY_CACHE_DIR", str(tmp_path / "cache"))
    wav = join(parts, tmp_path / "in.wav")
    speaker = WavSpeaker(tmp_path / "out.wav")
    with build_voice_loop(Settings(country="US", data_dir=str(tmp_path / "data"), **settings), WavSource(wav), speaker) as loop:
        return loop.run(), speaker


def test_nothing_happens_without_the_wake_phrase(tmp_path: Path) -> None:
    turns, speaker = _run(tmp_path, [silence(0.5), speak("I need a break", "festival"), silence(2.0)])
    assert turns == [] and speaker.seconds == 0


def test_wake_phrase_and_request_in_one_breath(tmp_path: Path) -> None:
    turns, _ = _run(tmp_path, [silence(0.5), speak("hey kindly, I need a break", "festival"), silence(2.0)])
    assert [t.match.intent for t in turns] == ["cooldown.start"]


def test_wake_phrase_alone_chimes_then_hears_the_request_and_a_follow_up(tmp_path: Path) -> None:
    parts = [silence(0.5), speak("hey kindly", "festival"), silence(1.5), speak("I need a break", "festival"), silence(8.0),
             speak("yes please", "festival"), silence(1.5)]
    turns, speaker = _run(tmp_path, parts)
    assert [t.match.intent for t in turns] == ["cooldown.start", "control.yes"]
    chime = np.frombuffer(bytes(speaker.pcm[: int(EARCON_S * 32000)]), dtype="<i2")
    assert np.abs(chime).max() > 1000  # the earcon played first


def test_a_follow_up_after_the_window_needs_the_wake_phrase_again(tmp_path: Path) -> None:
    parts = [silence(0.5), speak("hey kindly, I need a break", "festival"), silence(20.0), speak("say that again", "festival"), silence(1.5)]
    turns, _ = _run(tmp_path, parts)
    assert [t.match.intent for t in turns] == ["cooldown.start"]


def test_always_mode_needs_no_wake_phrase(tmp_path: Path) -> None:
    turns, _ = _run(tmp_path, [silence(0.5), speak("I need a break", "festival"), silence(2.0)], listen_mode="always")
    assert [t.match.intent for t in turns] == ["cooldown.start"]


def test_a_wake_phrase_the_recogniser_cannot_hear_is_refused(tmp_path: Path) -> None:
    from assistant.errors import UsageError

    with pytest.raises(UsageError, match="zorblax"):
        _run(tmp_path, [silence(0.2)], wake_phrase="hey zorblax")


def test_earcon_is_short_and_soft() -> None:
    tone = np.frombuffer(earcon(), dtype="<i2")
    assert len(tone) == int(EARCON_S * 16000) and 2000 < np.abs(tone).max() < 6000


def test_waker_strips_the_phrase() -> None:
    waker = Waker("wake", "hey kindly")
    assert waker.hear("hey kindly i need a break", 0.0) == ("i need a break", True)
    assert waker.hear("i need a break", 0.0) == ("", False)


def _heard(text: str, voice: str, speed: int, cache: Path) -> str:
    from assistant import wavfile
    from assistant.understanding import intents
    from assistant.stt import transcribe
    from assistant.stt.sphinx_engine import SphinxRecognizer

    return transcribe(SphinxRecognizer(intents.load(), cache), wavfile.read(speak(text, voice, speed))).text


def test_wake_phrase_is_heard_in_nine_of_ten_voices_and_speeds(speech_env: dict) -> None:
    from tests.speech import VOICES

    waker = Waker("wake", "hey kindly")
    woke = [waker.hear(_heard("hey kindly", voice, speed, Path(speech_env["KINDLY_CACHE_DIR"])), 0.0)[1] for voice, speed in VOICES]
    assert sum(woke) >= 9, list(zip(VOICES, woke))


def test_no_false_wake_in_minutes_of_other_talk_and_noise(speech_env: dict) -> None:
    from assistant import wavfile
    from assistant.understanding import intents
    from assistant.stt import transcribe
    from assistant.stt.sphinx_engine import SphinxRecognizer
    from tests.speech import CONFUSABLE, ESPEAK_ONLY, VOICES, ordinary_talk, speak

    recognizer = SphinxRecognizer(intents.load(), Path(speech_env["KINDLY_CACHE_DIR"]))
    waker = Waker("wake", "hey kindly")
    voices = VOICES + ESPEAK_ONLY
    seconds, woken = 0.0, []
    for index, text in enumerate(ordinary_talk() + CONFUSABLE):
        voice, speed = voices[index % len(voices)]
        transcript = transcribe(recognizer, wavfile.read(speak(text, voice, speed, noise=0.02 if index % 3 == 0 else 0.0)))
        seconds += transcript.audio_seconds
        if waker.hear(transcript.text, 0.0)[1]:
            woken.append((text, transcript.text))
    assert seconds > 150  # a few minutes of speech
    assert len(woken) / seconds * 600 < 1, woken  # fewer than one false wake per 10 minutes
