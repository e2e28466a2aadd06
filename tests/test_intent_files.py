"""Loading intent files: the shipped catalog is complete, and every kind of mistake is reported with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.understanding import intents
from assistant.errors import DataFileError
from tests.conftest import run_kindly

CATALOG = """
cooldown.start cooldown.extend cooldown.end breathing.start rephrase.start validate.feeling dynamic.explain
dynamic.identify theme.advice agreement.add agreement.list balance.tip therapist.info safety.crisis help
control.stop control.repeat control.yes control.no
""".split()

GOOD_SLOTS = "slots:\n  minutes:\n    kind: duration\n"


def test_shipped_catalog_has_every_contract_intent() -> None:
    catalog = intents.load()
    assert set(CATALOG) <= set(catalog.intents)
    assert set(catalog.slots["theme"].values) == {"finances", "intimacy", "decisions", "responsibilities"}
    assert set(catalog.slots["dynamic"].values) == {"demand_withdrawal", "distancer_pursuer", "fear_shame"}
    assert set(catalog.slots["practice"].values) == {"honesty", "compromise", "boundaries", "interests", "fair_fighting", "trust"}
    assert "the budget" in catalog.slots["theme"].values["finances"]


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("intents:\n  a.b:\n    examples: [hello]\n    colour: blue\n", 4, "unknown key 'colour'"),
        ("intents:\n  a.b:\n    examples:\n      - \"(i need a break\"\n", 4, "unbalanced bracket"),
        ("intents:\n  a.b:\n    examples:\n      - \"take {nap}\"\n", 4, "unknown slot '{nap}'"),
        ("intents:\n  a.b:\n    priority: high\n    examples: [hi]\n", 3, "priority"),
        ("intents:\n  a.b:\n    examples: []\n", 3, "non-empty list"),
        ("intents:\n  a.b: [oops\n", 3, "not valid YAML"),
        ("intents:\n  a.b:\n    description: no examples\n", 2, "missing 'examples'"),
    ],
)
def test_bad_file_names_file_and_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    _write(tmp_path, "slots.yaml", GOOD_SLOTS)
    path = _write(tmp_path, "bad.yaml", text)
    with pytest.raises(DataFileError) as error:
        intents.load(tmp_path)
    assert f"{path}:{line}:" in str(error.value)
    assert words in str(error.value)


def test_duplicate_intent_across_files(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", "intents:\n  x.y:\n    examples: [hello]\n")
    second = _write(tmp_path, "b.yaml", "intents:\n  x.y:\n    examples: [hi]\n")
    with pytest.raises(DataFileError, match=f"{second}:2: intent 'x.y' is defined twice"):
        intents.load(tmp_path)


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    _write(tmp_path, "bad.yaml", "intents:\n  a.b:\n    examples: [\"(x\"]\n    bogus: 1\n")
    with pytest.raises(DataFileError) as error:
        intents.load(tmp_path)
    assert len(error.value.problems) == 2


def test_cli_refuses_to_start_with_a_bad_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", "intents:\n  a.b:\n    examples: [\"[please\"]\n")
    result = run_kindly("parse", "hello", env={"KINDLY_INTENTS_DIR": str(tmp_path)})
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kindly: error: ") and f"{path}:3:" in lines[0]
    assert b"Traceback" not in result.stderr and result.stdout == b""
