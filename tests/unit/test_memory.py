"""Giving freed memory back between stages: glibc's malloc_trim on Linux, nothing elsewhere."""
from __future__ import annotations

import sys

import pytest

import builder.memory as memory


@pytest.fixture
def fresh_lookup():
    memory._malloc_trim.cache_clear()
    yield
    memory._malloc_trim.cache_clear()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's")
def test_freed_memory_is_given_back_on_this_platform(fresh_lookup):
    trim = memory._malloc_trim()
    assert trim is not None                              # glibc: the function was found
    assert trim(0) in (0, 1)                             # 1: memory was given back, 0: none to give
    memory.release_free_memory()
    memory.release_free_memory()                         # and again: harmless


@pytest.mark.parametrize("platform", ["win32", "darwin", "cygwin", "emscripten"])
def test_elsewhere_it_does_nothing(monkeypatch, fresh_lookup, platform):
    monkeypatch.setattr(memory.sys, "platform", platform)
    called = []
    monkeypatch.setattr(memory.ctypes, "CDLL", lambda *a: called.append(a))
    assert memory._malloc_trim() is None
    memory.release_free_memory()
    assert called == []                                  # the C library is not even looked at


def test_a_linux_c_library_without_malloc_trim_is_skipped(monkeypatch, fresh_lookup):
    class Musl:                                          # musl has no malloc_trim
        def __getattr__(self, name):
            raise AttributeError(name)
    monkeypatch.setattr(memory.sys, "platform", "linux")
    monkeypatch.setattr(memory.ctypes, "CDLL", lambda *a: Musl())
    assert memory._malloc_trim() is None
    memory.release_free_memory()


def test_the_lookup_is_made_once(monkeypatch, fresh_lookup):
    looked = []
    monkeypatch.setattr(memory.sys, "platform", "linux")
    monkeypatch.setattr(memory.ctypes, "CDLL", lambda *a: looked.append(a) or type("C", (), {"malloc_trim": staticmethod(lambda pad: looked.append(pad))})())
    memory.release_free_memory()
    memory.release_free_memory()
    assert looked == [(None,), 0, 0]
