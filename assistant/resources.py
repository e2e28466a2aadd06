"""Where Kindly's data lives: shipped data (intents, voices, content) and the user's own folders."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped(folder: str) -> Path:
    """A top-level data folder (`intents`, `voices`): inside the wheel when installed, else the repo's."""
    installed = _PACKAGE / "_data" / folder
    return installed if installed.is_dir() else _PACKAGE.parent / folder


def content(name: str) -> Path:
    """A content file shipped inside the package (replies, resources)."""
    return _PACKAGE / "content" / name
