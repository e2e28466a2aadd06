"""Agreements in SQLite: the command line, owner-only files, and no acknowledged write lost when killed."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

from assistant.storage import DB_NAME, Store
from tests.conftest import run_kindly


def test_command_line_add_list_remove_export(tmp_path: Path) -> None:
    env = {"KINDLY_DATA_DIR": str(tmp_path)}
    added = run_kindly("agreements", "add", "we take turns cooking on weekdays", "--json", env=env)
    assert added.returncode == 0, added.stderr
    first = json.loads(added.stdout)
    run_kindly("agreements", "add", "we talk about money on Sundays", env=env)
    listed = json.loads(run_kindly("agreements", "list", "--json", env=env).stdout)
    assert [a["text"] for a in listed] == ["we take turns cooking on weekdays", "we talk about money on Sundays"]
    assert listed[1]["topic"] == "finances"
    assert run_kindly("agreements", "remove", str(first["id"]), env=env).returncode == 0
    exported = json.loads(run_kindly("agreements", "export", "--json", env=env).stdout)
    assert [a["text"] for a in exported] == ["we talk about money on Sundays"] and exported[0]["created_at"].endswith("+00:00")
    missing = run_kindly("agreements", "remove", "999", env=env)
    assert missing.returncode == 2 and "no agreement number 999" in missing.stderr.decode()


def test_controlling_agreement_is_refused_on_the_command_line(tmp_path: Path) -> None:
    env = {"KINDLY_DATA_DIR": str(tmp_path)}
    result = run_kindly("agreements", "add", "she does not see her friends anymore", env=env)
    assert result.returncode == 1 and "won't save" in result.stderr.decode()
    assert json.loads(run_kindly("agreements", "list", "--json", env=env).stdout) == []


def test_database_is_owner_only_in_wal_mode(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    store.add_agreement("we take turns cooking")
    path = tmp_path / "data" / DB_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()


WRITER = """
import sys
from pathlib import Path
from assistant.storage import Store
store = Store(Path(sys.argv[1]))
n = 0
while True:
    saved = store.add_agreement(f"agreement {sys.argv[2]}-{n}")
    print(f"ack {saved.text}", flush=True)
    n += 1
"""


def test_no_acknowledged_agreement_is_lost_when_killed(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    acknowledged: list[str] = []
    rng = random.Random(7)
    for round_ in range(20):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(folder), str(round_)], stdout=subprocess.PIPE, text=True)
        time.sleep(0.15 + rng.random() * 0.25)
        os.kill(writer.pid, signal.SIGKILL)
        out, _ = writer.communicate()
        acknowledged += [line[4:] for line in out.splitlines() if line.startswith("ack ")]
    with sqlite3.connect(folder / DB_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in db.execute("SELECT text FROM agreements")}
    assert len(acknowledged) > 20
    assert set(acknowledged) <= stored
