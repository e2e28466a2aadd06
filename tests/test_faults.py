"""Faults an always-on device meets, each survived: the microphone disappearing, the speech synthesiser failing
or hanging, the database locked, unwritable, full or corrupt, broken data files, SIGTERM mid-break."""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from assistant.audio import WavSource
from assistant.messages import AudioChunk
from assistant.session import build_dialogue, build_voice_loop
from assistant.settings import Settings
from assistant.speaker import NullSpeaker
from assistant.storage import DB_NAME, Store
from tests.conftest import run_kindly
from tests.speech import join, silence, speak


class FlakyMicrophone:
    """The hardware edge: a WAV file played as a microphone that vanishes mid-utterance, then comes back.
    It raises the error sounddevice raises when a device is unplugged."""

    def __init__(self, wav: Path, fail_at_s: float, failures: int = 2) -> None:
        self.source = WavSource(wav)
        self.fail_at_s = fail_at_s
        self.failures_left = failures
        self.opened = 0

    def chunks(self) -> Iterator[AudioChunk]:
        import sounddevice

        self.opened += 1
        for chunk in self.source.chunks():
            if self.failures_left and chunk.start_s >= self.fail_at_s:
                self.failures_left -= 1
                raise sounddevice.PortAudioError("Stream is stopped [PaErrorCode -9983]")
            if self.opened > 1 and chunk.start_s < self.fail_at_s:
                continue  # after reopening, the stream goes on from where the device dropped out
            yield chunk

    def close(self) -> None:
        pass


@pytest.mark.speech
def test_microphone_lost_mid_utterance_is_retried_and_listening_resumes(tmp_path: Path, speech_env: dict, caplog: pytest.LogCaptureFixture) -> None:
    os.environ["KINDLY_CACHE_DIR"] = speech_env["KINDLY_CACHE_DIR"]
    wav = join([silence(0.5), speak("we always fight about money", "festival"), silence(10.0), speak("I need a break", "festival"), silence(3.0)], tmp_path / "in.wav")
    microphone = FlakyMicrophone(wav, fail_at_s=1.2)
    pauses: list[float] = []
    with build_voice_loop(Settings(country="US", data_dir=str(tmp_path / "data")), microphone, NullSpeaker(), listen_mode="always") as loop:
        loop._sleep = pauses.append
        with caplog.at_level(logging.ERROR):
            turns = loop.run()
    assert microphone.opened == 3 and pauses == [1.0, 2.0]  # retried with growing pauses, same process
    assert caplog.text.count("the microphone stopped") == 2
    assert [t.match.intent for t in turns][-1] == "cooldown.start"  # listening resumed


@pytest.mark.speech
def test_speech_synthesiser_failure_prints_the_reply_and_goes_on(tmp_path: Path, speech_env: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyttsx3

    wav = join([silence(0.5), speak("I need a break", "festival"), silence(2.0), speak("what can you do", "festival"), silence(2.0)], tmp_path / "in.wav")
    env = {**speech_env, "KINDLY_DATA_DIR": str(tmp_path / "data")}
    os.environ.update(env)
    with build_voice_loop(Settings(country="US", data_dir=str(tmp_path / "data")), WavSource(wav), NullSpeaker(), listen_mode="always") as loop:
        engine = loop.synthesizer._engine
        monkeypatch.setattr(engine, "runAndWait", lambda: engine.proxy.notify("error", exception=RuntimeError("espeak crashed")) if hasattr(engine, "proxy") else loop.synthesizer._on_error(exception=RuntimeError("espeak crashed")))
        turns = loop.run()
    assert [t.match.intent for t in turns] == ["cooldown.start", "help"]
    assert not any(t.spoken for t in turns)


@pytest.mark.speech
def test_hung_speech_synthesiser_is_given_up(tmp_path: Path, speech_env: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant.tts as tts

    monkeypatch.setattr(tts, "TIMEOUT_S", 0.5)
    wav = join([silence(0.5), speak("I need a break", "festival"), silence(2.0), speak("what can you do", "festival"), silence(2.0)], tmp_path / "in.wav")
    os.environ["KINDLY_CACHE_DIR"] = speech_env["KINDLY_CACHE_DIR"]
    with build_voice_loop(Settings(country="US", data_dir=str(tmp_path / "data")), WavSource(wav), NullSpeaker(), listen_mode="always") as loop:
        calls: list[float] = []
        monkeypatch.setattr(loop.synthesizer._engine, "runAndWait", lambda: calls.append(time.sleep(3) or 1.0))
        turns = loop.run()
    assert [t.match.intent for t in turns] == ["cooldown.start", "help"] and not any(t.spoken for t in turns)
    assert loop.synthesizer._hung and len(calls) <= 1  # given up once; the second reply did not wait again


def test_locked_database_says_so_and_loses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant.storage as storage

    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 200)
    dialogue = build_dialogue(Settings(country="US", data_dir=str(tmp_path)))
    assert "we cook on sundays" in dialogue.turn("remember that we agreed we cook on sundays")[1].text.lower()
    assert "we cook on sundays" in dialogue.turn("yes")[1].text.lower()
    locker = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    assert "we walk the dog at night?" in dialogue.turn("remember that we agreed we walk the dog at night")[1].text.lower()
    reply = dialogue.turn("yes")[1].text
    assert "couldn't save" in reply
    locker.execute("ROLLBACK")
    locker.close()
    dialogue.turn("remember that we agreed we walk the dog at night")
    assert "we walk the dog at night" in dialogue.turn("yes")[1].text.lower()
    texts = [a.text for a in Store(tmp_path).agreements()]
    assert texts == ["we cook on sundays", "we walk the dog at night"]


def test_locked_database_on_the_command_line(tmp_path: Path) -> None:
    Store(tmp_path).add_agreement("we cook on sundays")
    locker = subprocess.Popen([sys.executable, "-c", f"import sqlite3,time; d=sqlite3.connect({str(tmp_path / DB_NAME)!r}, isolation_level=None); d.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
    try:
        result = run_kindly("agreements", "add", "we walk the dog", env={"KINDLY_DATA_DIR": str(tmp_path)})
    finally:
        locker.kill()
        locker.communicate()
    assert result.returncode == 1
    assert result.stderr.decode().strip() == f"kindly: error: database {tmp_path / DB_NAME} is locked by another program. Close the other Kindly and try again."


def test_read_only_database_names_the_file(tmp_path: Path) -> None:
    """Root writes anywhere, so the folder and file are made immutable (chattr +i), a read-only disk for root."""
    import shutil

    folder = tmp_path / "data"
    store = Store(folder)
    store.add_agreement("we cook on sundays")
    store.close()  # the last connection checkpoints the journal into the file
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(folder / DB_NAME)], capture_output=True).returncode != 0:
        pytest.skip("chattr is not available on this filesystem")
    subprocess.run(["chattr", "+i", str(folder)], check=True)
    try:
        result = run_kindly("agreements", "add", "we walk the dog", env={"KINDLY_DATA_DIR": str(folder)})
    finally:
        subprocess.run(["chattr", "-i", str(folder), str(folder / DB_NAME)], check=True)
    err = result.stderr.decode().strip()
    assert result.returncode == 1 and str(folder / DB_NAME) in err and "cannot" in err and err.count("\n") == 0, err
    assert [a.text for a in Store(folder).agreements()] == ["we cook on sundays"]


FULL_DISK = """
import resource, signal, sys
from pathlib import Path
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))
from assistant.storage import Store
from assistant.errors import StorageError
store = Store(Path(sys.argv[1]))
for n in range(100_000):
    try:
        store.add_agreement(f"agreement {n} " + "x" * 200)
    except StorageError as error:
        print("error", error, flush=True)
        break
    print("ack", n, flush=True)
"""


def test_full_disk_gives_a_clear_message_and_keeps_what_was_acknowledged(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", FULL_DISK, str(tmp_path)], capture_output=True, text=True, timeout=120)
    lines = result.stdout.splitlines()
    acknowledged = [int(line.split()[1]) for line in lines if line.startswith("ack")]
    assert lines[-1].startswith("error") and ("full" in lines[-1] or "cannot" in lines[-1]), lines[-1]
    stored = {a.text.split()[1] for a in Store(tmp_path).agreements()}
    assert {str(n) for n in acknowledged} <= stored and len(acknowledged) > 10


def test_corrupt_database_is_kept_aside_and_a_new_one_started(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / DB_NAME).write_bytes(b"this is not a database " * 500)
    with caplog.at_level(logging.WARNING):
        store = Store(tmp_path)
    assert store.set_aside is not None and store.set_aside.read_bytes().startswith(b"this is not a database")
    assert "kept it as" in caplog.text
    store.add_agreement("we start again")
    assert [a.text for a in store.agreements()] == ["we start again"]


def test_malformed_voices_file_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "default.yaml").write_text("rate: 160\nvolume: loud\nvoices:\n  linux: [en-us]\n")
    result = run_kindly("say", "hello", "--out", str(tmp_path / "x.wav"), "--voices-dir", str(tmp_path))
    assert result.returncode == 2
    err = result.stderr.decode().strip()
    assert err.count("\n") == 0 and f"{tmp_path / 'default.yaml'}:2:" in err and "volume" in err


def test_sigterm_during_a_break_shuts_down_cleanly_and_the_break_resumes(tmp_path: Path) -> None:
    env = {**os.environ, "KINDLY_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    chat = subprocess.Popen([sys.executable, "-m", "assistant", "chat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert chat.stdin is not None and chat.stdout is not None
    chat.stdin.write("I need a break\n")
    chat.stdin.flush()
    assert "20 minutes" in chat.stdout.readline()
    chat.send_signal(signal.SIGTERM)
    assert chat.wait(timeout=30) == 0
    chat.stdin.close()
    chat.stdout.close()
    again = run_kindly("chat", stdin="what can you do\n", env={"KINDLY_DATA_DIR": str(tmp_path)})
    assert "break is still on" in again.stdout.decode().splitlines()[0].lower()
