"""Agreements and the running break, kept in SQLite in the user data folder (owner-only, WAL, full sync)."""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import StorageError

_LOGGER = logging.getLogger(__name__)
DB_NAME = "kindly.db"
BUSY_TIMEOUT_MS = 3_000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS agreements (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    text TEXT NOT NULL,
    topic TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS cooldown (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    started_at REAL NOT NULL,
    ends_at REAL NOT NULL,
    checked_in INTEGER NOT NULL DEFAULT 0
);
"""


@dataclass(frozen=True)
class Agreement:
    id: int
    text: str
    topic: str
    created_at: float


@dataclass(frozen=True)
class Cooldown:
    started_at: float
    ends_at: float
    checked_in: bool


class Store:
    """One SQLite file; every write is committed (and synced) before it returns."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / DB_NAME
        self.set_aside: Path | None = None
        """Where a corrupt database was moved, if one was found at start-up."""
        self._cooldown: tuple[Cooldown | None] | None = None
        """The running break once read, in a tuple so that "no break" and "not read yet" differ."""
        try:
            self._open(folder)
        except sqlite3.DatabaseError as error:
            if "not a database" not in str(error) and "malformed" not in str(error):
                raise _storage_error(self.path, error) from None
            self.set_aside = self.path.with_name(f"{DB_NAME}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
            for suffix in ("", "-wal", "-shm"):
                companion = Path(str(self.path) + suffix)
                if companion.exists():
                    os.replace(companion, Path(str(self.set_aside) + suffix))
            _LOGGER.warning("database %s was damaged; kept it as %s and started a new one", self.path, self.set_aside)
            self._open(folder)

    def _open(self, folder: Path) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not self.path.exists():
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
            if self._db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("database disk image is malformed")
        except sqlite3.DatabaseError as error:
            if "not a database" in str(error) or "malformed" in str(error):
                if hasattr(self, "_db"):
                    self._db.close()
                raise
            raise _storage_error(self.path, error) from None
        except (OSError, sqlite3.Error) as error:
            raise _storage_error(self.path, error) from None

    def close(self) -> None:
        self._db.close()

    def check(self) -> str:
        """An empty string when the database is writable and intact, else what is wrong."""
        with self._writing():
            result = self._db.execute("PRAGMA integrity_check").fetchone()[0]
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("ROLLBACK")
        return "" if result == "ok" else f"integrity check says {result}"

    def add_agreement(self, text: str, topic: str = "") -> Agreement:
        now = time.time()
        with self._writing():
            cursor = self._db.execute("INSERT INTO agreements (text, topic, created_at) VALUES (?, ?, ?)", (text, topic, now))
        return Agreement(int(cursor.lastrowid or 0), text, topic, now)

    def agreements(self) -> list[Agreement]:
        with self._writing():
            rows = self._db.execute("SELECT id, text, topic, created_at FROM agreements ORDER BY id").fetchall()
        return [Agreement(*row) for row in rows]

    def remove_agreement(self, agreement_id: int) -> bool:
        with self._writing():
            cursor = self._db.execute("DELETE FROM agreements WHERE id = ?", (agreement_id,))
        return cursor.rowcount > 0

    def save_cooldown(self, cooldown: Cooldown | None) -> None:
        with self._writing():
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM cooldown")
            if cooldown:
                self._db.execute("INSERT INTO cooldown VALUES (1, ?, ?, ?)", (cooldown.started_at, cooldown.ends_at, int(cooldown.checked_in)))
            self._db.execute("COMMIT")
        self._cooldown = (cooldown,)

    def cooldown(self) -> Cooldown | None:
        """The running break. Read once, then kept in memory: this process is the only one that changes it,
        and the voice loop asks every 30 ms."""
        if self._cooldown is None:
            with self._writing():
                row = self._db.execute("SELECT started_at, ends_at, checked_in FROM cooldown").fetchone()
            self._cooldown = (Cooldown(row[0], row[1], bool(row[2])) if row else None,)
        return self._cooldown[0]

    def _writing(self) -> "_Guard":
        return _Guard(self.path)


class _Guard:
    """Turns sqlite3 errors into one-line StorageErrors naming the file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, error: BaseException | None, _tb: object) -> None:
        if isinstance(error, sqlite3.Error):
            raise _storage_error(self.path, error) from None


def _storage_error(path: Path, error: BaseException) -> StorageError:
    message = str(error)
    if "locked" in message:
        return StorageError(f"database {path} is locked by another program", "Close the other Kindly and try again.")
    if "readonly" in message or "read-only" in message or isinstance(error, PermissionError):
        return StorageError(f"database {path} cannot be written ({message})", "Check the folder's permissions or set data_dir.")
    if "full" in message:
        return StorageError(f"database {path} cannot be written: the disk is full", "Free some space and try again.")
    return StorageError(f"database {path} cannot be used ({message})", "Check the file, or set data_dir to another folder.")

