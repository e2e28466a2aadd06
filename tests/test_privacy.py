"""Privacy: no network during a voice session, no audio kept unless asked, safety turns nowhere on disk or in logs,
owner-only files."""

from __future__ import annotations

import logging
import os
import socket
import stat
import tempfile
from pathlib import Path

import pytest

from assistant.audio import RecordingSource, WavSource
from assistant.session import build_voice_loop
from assistant.settings import Settings
from assistant.speaker import NullSpeaker
from tests.speech import join, silence, speak

pytestmark = pytest.mark.speech
DISCLOSURE = "she threatened to hurt me"


def _session_wav(tmp_path: Path) -> Path:
    return join([silence(0.5), speak("I need a break", "festival"), silence(9.0), speak(DISCLOSURE, "festival"), silence(9.0),
                 speak("remember that we agreed to walk the dog together", "festival"), silence(5.0)], tmp_path / "session.wav")


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_a_full_voice_session_opens_no_network_socket(tmp_path: Path, speech_env: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    wav = _session_wav(tmp_path)
    os.environ["KINDLY_CACHE_DIR"] = speech_env["KINDLY_CACHE_DIR"]
    attempts: list[tuple] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network access is not allowed in this test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    with build_voice_loop(Settings(country="US", data_dir=str(tmp_path / "data")), WavSource(wav), NullSpeaker(), listen_mode="always") as loop:
        turns = loop.run()
    assert len(turns) == 3 and turns[0].match.intent == "cooldown.start"  # the whole session ran
    assert attempts == []


def test_no_audio_is_kept_unless_record_is_given(tmp_path: Path, speech_env: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    wav = _session_wav(tmp_path)
    data, cache, temporary = tmp_path / "data", Path(speech_env["KINDLY_CACHE_DIR"]), tmp_path / "tmp"
    os.environ["KINDLY_CACHE_DIR"] = str(cache)
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))  # the loop's temporary files, apart from other test workers'
    before = _files(cache)
    with build_voice_loop(Settings(country="US", data_dir=str(data)), WavSource(wav), NullSpeaker(), listen_mode="always") as loop:
        loop.run()
    written = (_files(cache) | _files(temporary) | _files(data)) - before
    assert not [p for p in written if p.suffix == ".wav"], written
    recorded = tmp_path / "heard.wav"
    with build_voice_loop(Settings(country="US", data_dir=str(data)), RecordingSource(WavSource(wav), recorded), NullSpeaker(), listen_mode="always") as loop:
        loop.run()
    assert recorded.stat().st_size > 32000 * 10


def test_safety_turns_appear_in_no_log_and_no_database(tmp_path: Path, speech_env: dict, caplog: pytest.LogCaptureFixture) -> None:
    wav = _session_wav(tmp_path)
    os.environ["KINDLY_CACHE_DIR"] = speech_env["KINDLY_CACHE_DIR"]
    with caplog.at_level(logging.DEBUG, logger="assistant"):
        with build_voice_loop(Settings(country="US", data_dir=str(tmp_path / "data")), WavSource(wav), NullSpeaker(), listen_mode="always") as loop:
            turns = loop.run()
    heard = {t.match.intent: t.transcript.text for t in turns}
    assert "heard: " + heard["cooldown.start"] in caplog.text  # ordinary turns are logged at debug level
    assert heard["safety.crisis"] not in caplog.text and "threatened" not in caplog.text
    for path in (tmp_path / "data").iterdir():
        content = path.read_bytes()
        assert b"threatened" not in content and heard["safety.crisis"].encode() not in content, path


def test_database_and_settings_files_are_owner_only(tmp_path: Path) -> None:
    from assistant.storage import DB_NAME, Store
    from tests.conftest import run_kindly

    Store(tmp_path / "data").add_agreement("we take turns cooking")
    assert stat.S_IMODE((tmp_path / "data" / DB_NAME).stat().st_mode) == 0o600
    config = tmp_path / "config" / "config.toml"
    assert run_kindly("config", "init", env={"KINDLY_CONFIG": str(config)}).returncode == 0
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
