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
