"""The Markdown and front matter caches of a build, read from their files only when they are
first asked for. A rebuild takes nearly every document from content.ContentMemo; reading the
caches (25 MB of JSON at 5,000 cases) and saving them again cost 0.17 s of a rebuild that
converts one body. After a build, load_content converts a few documents without them (FEW),
so such a rebuild never reads them (a first build fills them); a cache never read is not saved (its file stays as it was:
every entry in it is still right, being keyed by a digest of its text).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from builder.content.frontmatter_cache import FrontMatterCache
from builder.content.markdown import MarkdownCache
from builder.store.jsoncache import JsonCache

FEW = 16                # documents load_content converts without the caches: one body takes a few ms


class _Deferred:
    """A JsonCache whose file is read when its entries are first asked for."""

    def __init__(self, path: Path | None):
        self.path, self.used, self.dirty, self._entries = path, set(), False, None

    @property
    def entries(self) -> dict[str, Any]:
        if self._entries is None:
            used = self.used
            JsonCache.__init__(self, self.path)         # reads the file: sets entries, used and dirty
            self.used |= used
        return self._entries

    @entries.setter
    def entries(self, value: dict[str, Any]) -> None:
        self._entries = value

    @property
    def unread(self) -> bool:
        return self._entries is None

    def save(self) -> None:
        if not self.unread:
            super().save()


class DeferredMarkdownCache(_Deferred, MarkdownCache):
    pass


class DeferredFrontMatterCache(_Deferred, FrontMatterCache):
    pass


def unread(cache: object) -> bool:
    """Is `cache` a deferred cache whose file was not read yet?"""
    return isinstance(cache, _Deferred) and cache.unread
