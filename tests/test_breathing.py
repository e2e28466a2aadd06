"""Paced breathing keeps time by the clock: with a fake clock, and with real speech written to a file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.conversation.breathing import SETUP_SECONDS, Coach

LENGTH = 120.0
TOLERANCE = 0.02 * LENGTH


@pytest.mark.parametrize("pattern", ["resonance", "longer_exhale", "box"])
def test_two_minutes_end_within_two_percent(pattern: str) -> None:
    coach = Coach()
    exercise, _ = coach.begin(1000.0, pattern, LENGTH)
    spoken: list[tuple[float, str]] = []
    now = 1000.0
    while not exercise.finished:
        now += 0.25
        spoken += [(now, text) for text in coach.due(exercise, now)]
    first, end = spoken[0][0], spoken[-1][0]
    assert abs((end - first) - LENGTH) <= TOLERANCE
    assert "normal" in spoken[-1][1]


def test_cues_never_drift_even_when_speech_is_slow() -> None:
    """Cues are due at start + the phases before them, whatever happened in between."""
    coach = Coach()
    exercise, _ = coach.begin(0.0, "resonance", LENGTH)
    planned = [cue.at for cue in exercise.cues]
    now, heard = 0.0, []
    while exercise.cues:
        now += 1.7  # a slow device that only gets round every 1.7 s
        for _ in coach.due(exercise, now):
            heard.append(now)
    assert all(0 <= h - p < 1.7 for h, p in zip(heard, planned))
    assert planned[-1] - planned[0] == pytest.approx(LENGTH - exercise.pattern.phases[-1][1])


def test_default_pattern_has_no_hold_and_about_six_breaths_a_minute() -> None:
    pattern = Coach().patterns[Coach().default]
    assert not pattern.has_hold and 60 / pattern.period == pytest.approx(6, abs=0.5)
    phases = dict(pattern.phases)
    assert phases["out"] > phases["in"]


def test_slower_and_faster_keep_the_end_time() -> None:
    coach = Coach()
    exercise, _ = coach.begin(0.0, "resonance", LENGTH)
    end = exercise.end
    coach.adjust(exercise, 20.0, slower=True)
    coach.adjust(exercise, 50.0, slower=False)
    coach.adjust(exercise, 70.0, slower=True)
    times = [cue.at for cue in exercise.cues]
    assert times == sorted(times) and times[-1] < end and exercise.end == end
    gaps = [b - a for a, b in zip(times, times[1:]) if a > 80]
    assert max(gaps) > 6.0  # slower: the exhale got longer


@pytest.mark.speech
def test_real_speech_to_a_file_keeps_time(tmp_path: Path) -> None:
    """The whole voice loop, accelerated: a spoken request, then silence; cues are played into a WAV file."""
    from assistant.audio import WavSource
    from assistant.session import build_voice_loop
    from assistant.settings import Settings
    from assistant.speaker import WavSpeaker
    from tests.speech import join, silence, speak

    os.environ.setdefault("KINDLY_CACHE_DIR", str(tmp_path / "cache"))
    wav = join([silence(0.5), speak("guide me through a breathing exercise", "festival"), silence(140)], tmp_path / "breathe.wav")
    speaker = WavSpeaker(tmp_path / "played.wav")
    with build_voice_loop(Settings(country="US", data_dir=str(tmp_path / "data")), WavSource(wav, trailing_silence_s=0), speaker, listen_mode="always") as loop:
        loop.run()
        spoken = list(loop.spoken)
    opening_at = spoken[0][0]
    cues = [(t, text) for t, text in spoken[1:]]
    assert cues[0][0] - opening_at == pytest.approx(SETUP_SECONDS, abs=0.1)
    assert "normal" in cues[-1][1]
    assert abs((cues[-1][0] - cues[0][0]) - LENGTH) <= TOLERANCE
    expected = [SETUP_SECONDS + 10 * k + (0 if i % 2 == 0 else 4) for k in range(12) for i in range(2)]
    for (at, _), planned in zip(cues, expected):
        assert at - opening_at == pytest.approx(planned, abs=0.1)
    assert speaker.seconds > 20  # the cues were really spoken into the file
