"""The soak, small: 500 turns of mixed speech, silence and noise through the whole pipeline, accelerated.
The 10,000-turn run is `python scripts/soak.py` (its figures are in the closing note of the proof issue).
It takes about five minutes, on one of the suite's parallel workers while the others run the rest (scripts/test).
With 150 turns, memory measured from the middle of a cold run still grew 10.8 MB: too few turns to tell."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TURNS = 500


@pytest.mark.speech
@pytest.mark.long
def test_500_turns_without_error_or_growth(speech_env: dict) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "soak.py"), "--turns", str(TURNS)], capture_output=True, text=True,
                            timeout=1200, env={**__import__("os").environ, **speech_env})
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    figures = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    assert figures["errors"] == "none"
    clips = out.splitlines()[0]
    assert clips.startswith(f"clips played: {TURNS},")
    answered = int(clips.rsplit(": ", 1)[1])
    assert answered > TURNS // 5  # noise and silence get no answer, and speech heard while Kindly talks only reaches the stop spotter
    growth = float(figures[f"memory growth from clip {TURNS // 2} to the end"].split(" MB")[0])
    assert growth < 10.0
