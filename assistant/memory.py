"""Hand freed memory back to the operating system between turns.

The recogniser, the synthesiser and numpy allocate and free many small native blocks every turn. glibc keeps
freed blocks in its heaps, fragmented, so a service that runs for days grows by about 10 KB a turn although
nothing is kept (measured by scripts/soak.py). `malloc_trim` returns those pages; elsewhere it is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import lru_cache
from typing import Callable


def release_free_memory() -> None:
    """Return unused heap pages to the system (glibc only; takes about a millisecond)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # musl and other C libraries have no malloc_trim
        return None
