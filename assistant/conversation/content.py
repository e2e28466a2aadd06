"""Spoken content as data: reply variants and intent descriptions."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml

from assistant import datafile
from assistant.errors import DataFileError
from assistant.resources import content


class Replies:
    """Chooses a variant for each reply: the first, then the next each time it is said again, so two turns in a
    row never get the same words and what Kindly says is predictable. `seed` starts each reply at a random one."""

    def __init__(self, path: Path | None = None, seed: int | None = None) -> None:
        data = _load_yaml(path or content("replies.yaml"))
        self.variants: dict[str, list[str]] = data["replies"]
        self.descriptions: dict[str, str] = data["describe"]
        self._last: dict[str, int] = {}
        self._random = random.Random(seed)
        self._seeded = seed is not None

    def say(self, key: str, **values: Any) -> str:
        """One variant of reply `key` with its placeholders filled."""
        options = self.variants[key]
        if key in self._last:
            index = (self._last[key] + 1) % len(options)
        else:
            index = self._random.randrange(len(options)) if self._seeded else 0
        self._last[key] = index
        return options[index].format(**values)

    def has(self, key: str) -> bool:
        return key in self.variants


def _load_yaml(path: Path) -> dict[str, Any]:
    try:
        return datafile.parse(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise DataFileError([f"{path}: cannot be read ({error})"], "Reinstall Kindly.") from None
