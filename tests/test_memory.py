"""Freed native memory goes back to the system between turns, so a days-long service does not creep up."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

import pytest

from assistant.memory import release_free_memory

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc heaps only")


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def test_freed_small_blocks_are_returned_to_the_system() -> None:
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    blocks = []
    for _ in range(100_000):  # 100 MB in 1 KB blocks, each touched so its page is really in memory
        block = libc.malloc(1024)
        ctypes.memset(block, 1, 1024)
        blocks.append(block)
    keeper = blocks.pop()  # the last block stays, so glibc cannot shrink the heap from the top by itself
    for block in blocks:
        libc.free(block)
    before = rss_mb()
    release_free_memory()
    after = rss_mb()
    libc.free(keeper)
    assert before - after > 50, f"resident memory {before:.0f} MB -> {after:.0f} MB"
