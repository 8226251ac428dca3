"""Giving freed memory back to the operating system between stages.

The search stage makes and frees a few hundred megabytes of short-lived arrays and strings on a
big site. glibc keeps freed heap memory for the process to reuse, so without this the build
would carry it through rendering, where it adds to the peak (and is shared with the forked
render workers, who cannot use it either). `malloc_trim(0)` hands it back. Elsewhere (Windows,
macOS, musl) it does nothing: their allocators return large blocks by themselves.
"""
from __future__ import annotations

import ctypes
import functools
import sys


def release_free_memory() -> None:
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache          # the C library the process runs on: looked up once, the same for every build
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).malloc_trim      # the C library the interpreter runs on
    except (OSError, AttributeError):
        return None
