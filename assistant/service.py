"""The systemd user service that keeps Kindly listening on a Raspberry Pi: starts at boot, restarts on failure,
logs to the journal."""

from __future__ import annotations

import os
from pathlib import Path

UNIT = """[Unit]
Description=Kindly, an offline voice companion for couples
Documentation=https://pypi.org/project/kindly-voice/
After=sound.target pipewire.service pulseaudio.service
StartLimitIntervalSec=300
StartLimitBurst=10

[Service]
Type=simple
ExecStart={python} -m assistant listen
Restart=on-failure
RestartSec=5
Environment=PYTHONUNBUFFERED=1
# stdout and stderr go to the journal: journalctl --user -u kindly

[Install]
WantedBy=default.target
"""


def unit_text(python: str) -> str:
    return UNIT.format(python=python)


def unit_path() -> Path:
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "systemd" / "user" / "kindly.service"


def write_unit(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
