"""Hand freed memory back to the operating system between turns.

The recogniser, the synthesiser and numpy allocate and free many native blocks every turn. glibc keeps freed
blocks in its heaps, so a service that runs for days grows although nothing is kept (measured by
scripts/soak.py): about 10 KB a turn from fragmentation, and about 10 MB at once the first time a long reply
is synthesised in the speech thread, whose separate heap `malloc_trim` cannot fully shrink. So every thread
shares the main heap, and `malloc_trim` returns its free pages after each turn. Elsewhere these are no-ops.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import lru_cache


M_ARENA_MAX = -8
"""mallopt parameter number from glibc's malloc.h."""


def share_one_heap() -> None:
    """Make threads started from now on allocate from the main heap (call before starting any)."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(M_ARENA_MAX, 1)


def release_free_memory() -> None:
    """Return unused heap pages to the system (glibc only; takes about a millisecond)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    """glibc, or None on other systems and C libraries (musl has neither function)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim, libc.mallopt  # noqa: B018 - both must exist
    except (OSError, AttributeError):
        return None
    return libc
