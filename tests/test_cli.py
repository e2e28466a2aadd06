"""The command-line contract of `kindly parse`, `kindly chat`, --version and --help, run as real processes."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import run_kindly


def _objects(stdout: bytes) -> list[dict]:
    return [json.loads(line) for line in stdout.decode().splitlines()]


def test_parse_arguments_json() -> None:
    result = run_kindly("parse", "I need a break", "what's the weather like", "--json")
    assert result.returncode == 0, result.stderr
    first, second = _objects(result.stdout)
    assert first["text"] == "I need a break" and first["intent"] == "cooldown.start"
    assert set(first) == {"text", "intent", "confidence", "slots"} and 0 <= first["confidence"] <= 1
    assert second["intent"] is None


def test_parse_stdin_one_object_per_line_in_order() -> None:
    lines = ["give me twenty minutes", "", "we fight about money", "\xff\xfe not text"]
    data = b"give me twenty minutes\n\nwe fight about money\n\xff\xfe not text\n"
    result = run_kindly("parse", "--json", stdin=data)
    assert result.returncode == 0, result.stderr
    objects = _objects(result.stdout)
    assert len(objects) == len(lines)
    assert objects[0]["slots"] == {"minutes": 20}
    assert objects[1] == {"text": "", "intent": None, "confidence": 0.0, "slots": {}}
    assert objects[2]["slots"] == {"theme": "finances"}
    assert objects[3]["text"].startswith("\ufffd\ufffd") and objects[3]["intent"] != "safety.crisis"  # undecodable bytes are replaced


def test_chat_script_from_stdin(tmp_path) -> None:
    turns = "i need a break\nyes\nsay that again\n"
    result = run_kindly("chat", "--json", "--data-dir", str(tmp_path), stdin=turns)
    assert result.returncode == 0, result.stderr
    objects = _objects(result.stdout)
    assert [o["intent"] for o in objects] == ["cooldown.start", "control.yes", "control.repeat"]
    assert set(objects[0]) == {"heard", "intent", "confidence", "slots", "reply", "private"}
    assert "breath" in objects[1]["reply"].lower()
    assert objects[2]["reply"] == objects[1]["reply"]


def test_version_and_help() -> None:
    assert run_kindly("--version").stdout.decode().startswith("kindly ")
    help_text = run_kindly("--help").stdout.decode()
    assert "parse" in help_text and "chat" in help_text


def test_bad_usage_exits_2_with_one_line() -> None:
    result = run_kindly("parse", "--no-such-option")
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr


def test_bad_setting_names_it(tmp_path) -> None:
    result = run_kindly("parse", "hi", env={"KINDLY_BREAK_MINUTES": "soon"})
    assert result.returncode == 2
    assert result.stderr.decode().strip() == "kindly: error: setting 'break_minutes' must be a int, not 'soon'."


def test_parse_imports_nothing_of_speech() -> None:
    code = (
        "import sys; from assistant.cli import main; main(['parse', 'i need a break']); "
        "heavy = {'vosk', 'pocketsphinx', 'pyttsx3', 'sounddevice'} & set(sys.modules); "
        "sys.stderr.write(repr(sorted(heavy)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert result.stderr.decode().strip().endswith("[]"), result.stderr


def test_a_command_help_lists_its_own_options_and_the_global_ones_stay_in_kindly_help() -> None:
    chat = run_kindly("chat", "--help").stdout.decode()
    assert "--json" in chat and "--country" not in chat and "--break-minutes" not in chat and "kindly --help" in chat
    top = run_kindly("--help").stdout.decode()
    assert "--country" in top and "--break-minutes" in top
    # the global options still work after the command
    assert run_kindly("parse", "I need a break", "--break-minutes", "25").returncode == 0


def test_typed_chat_takes_stop_and_slower_during_a_breathing_exercise(tmp_path, matcher) -> None:
    """In a terminal the exercise runs in real time; lines typed meanwhile are heard at once. (The matcher
    fixture builds the shared model cache first, so the child does not spend the waits below training.)"""
    import os
    import pty
    import select
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: kindly chat in a terminal
        os.environ["KINDLY_DATA_DIR"] = str(tmp_path)
        os.execv(sys.executable, [sys.executable, "-m", "assistant", "chat", "--country", "US"])
    seen = b""

    def read_until(marker: bytes, seconds: float) -> bytes:
        nonlocal seen
        end = time.time() + seconds
        while marker not in seen and time.time() < end:
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    seen += os.read(fd, 4096)
                except OSError:
                    break
        return seen

    try:
        read_until(b"you: ", 60)
        os.write(fd, b"guide me through a breathing exercise\n")
        assert b"type stop, slower or faster" in read_until(b"type stop", 20)
        os.write(fd, b"slower\n")
        assert b"Slower" in read_until(b"Slower", 10)
        os.write(fd, b"stop\n")
        assert b"Let your breathing settle" in read_until(b"settle", 10)
        end = time.time() + 10
        while not seen.rstrip().endswith(b"you:") and time.time() < end:  # read on: earlier prompts are in seen
            if select.select([fd], [], [], 0.1)[0]:
                seen += os.read(fd, 4096)
        assert seen.rstrip().endswith(b"you:")  # back at the prompt, the exercise over
    finally:
        os.write(fd, b"\x04")
        os.waitpid(pid, 0)
