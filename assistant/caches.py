"""Old cache entries are removed, so the cache does not grow without end on a Pi's SD card.

Each model is cached in a folder named by a key of the data and code it was built from, so every new version of
Kindly, and every edit of an intent folder, adds a folder (about 38 MB of understanding models, 10 MB of
language model). A folder is marked when it is used; when a new one is built, the folders beside it that have not
been used for UNUSED_DAYS are removed. Someone who switches between intent folders keeps both.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

_LOGGER = logging.getLogger(__name__)
UNUSED_DAYS = 30


def used(entry: Path) -> None:
    """Mark a cache folder as used now (its modification time)."""
    try:
        os.utime(entry)
    except OSError as error:  # a read-only cache is still read
        _LOGGER.debug("could not mark %s as used (%s)", entry, error)


def remove_unused_beside(entry: Path) -> list[Path]:
    """Remove the folders beside `entry` that have not been used for UNUSED_DAYS; returns them."""
    oldest = time.time() - UNUSED_DAYS * 86_400
    removed = []
    for folder in entry.parent.iterdir():
        try:
            if folder != entry and folder.is_dir() and folder.stat().st_mtime < oldest:
                shutil.rmtree(folder)
                removed.append(folder)
        except OSError as error:
            _LOGGER.debug("could not remove the unused cache folder %s (%s)", folder, error)
    if removed:
        _LOGGER.info("removed %d cache folders unused for %d days beside %s", len(removed), UNUSED_DAYS, entry)
    return removed
