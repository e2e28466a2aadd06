"""The wheel carries intents/ and voices/, so an installed Kindly finds them from any folder."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_intents_voices_and_content(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    wheel = next(tmp_path.glob("kindly_voice-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for path in ROOT.joinpath("intents").glob("*.yaml"):
        assert f"assistant/_data/intents/{path.name}" in names
    for path in ROOT.joinpath("voices").glob("*.yaml"):
        assert f"assistant/_data/voices/{path.name}" in names
    assert "assistant/content/replies.yaml" in names and "assistant/content/helplines.yaml" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "kindly = assistant.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
