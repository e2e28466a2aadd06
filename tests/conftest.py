"""Shared fixtures: the real catalog and matcher, a dialogue on a temporary database, and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.session import build_dialogue, build_matcher
from assistant.settings import Settings
from assistant.understanding import intents
from assistant.understanding.matcher import Matcher

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.setdefault("KINDLY_CACHE_DIR", str(Path.home() / ".cache" / "kindly-test-cache")))
"""Trained models and speech language models, shared by every test and `kindly` subprocess: each is cached under
a key of its data and code, so a stale one is never used, and they are built once per machine."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `long` first: with the suite spread over workers (scripts/test), a soak started last would
    run on alone for minutes after the rest had finished."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


def recogniser_cache(folder: Path) -> Path:
    """A cache folder of its own for the recogniser's state (its language models and saved cepstral mean) that
    shares CACHE's trained understanding models: they are keyed by their data, and training them takes a minute."""
    (CACHE / "understanding").mkdir(parents=True, exist_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "understanding").symlink_to(CACHE / "understanding")
    return folder


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return build_matcher(Settings(cache_dir=str(CACHE)))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(country="US", data_dir=str(tmp_path / "data"))


@pytest.fixture
def dialogue(settings: Settings):
    return build_dialogue(settings, seed=1)


def run_kindly(*args: str, stdin: bytes | str | None = None, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the real `kindly` command line in a subprocess."""
    data = stdin.encode() if isinstance(stdin, str) else stdin
    full_env = {**os.environ, "LANG": "C.UTF-8", **(env or {})}
    return subprocess.run([sys.executable, "-m", "assistant", *args], input=data, capture_output=True, env=full_env, timeout=timeout)


@pytest.fixture(scope="session")
def speech_env() -> dict[str, str]:
    """Environment for speech commands: the shared cache (language models and trained models built once)."""
    return {"KINDLY_CACHE_DIR": str(CACHE)}


@pytest.fixture(scope="session")
def sphinx(speech_env: dict[str, str]):
    """The real PocketSphinx recogniser with Kindly's language model."""
    from assistant.stt.sphinx_engine import SphinxRecognizer

    return SphinxRecognizer(intents.load(), Path(speech_env["KINDLY_CACHE_DIR"]))
