"""Shared fixtures: the real catalog and matcher, a dialogue on a temporary database, and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import intents
from assistant.matcher import Matcher
from assistant.session import build_dialogue
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return Matcher(intents.load())


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
def speech_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for speech commands: a cache shared by the session (language models built once)."""
    cache = tmp_path_factory.mktemp("kindly-cache")
    return {"KINDLY_CACHE_DIR": str(cache)}


@pytest.fixture(scope="session")
def sphinx(speech_env: dict[str, str]):
    """The real PocketSphinx recogniser with Kindly's language model."""
    from assistant.stt.sphinx_engine import SphinxRecognizer

    return SphinxRecognizer(intents.load(), Path(speech_env["KINDLY_CACHE_DIR"]))
