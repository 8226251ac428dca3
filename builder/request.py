"""What a build is asked to do (BuildOptions), and where its caches live: imported by the command
line before it knows whether anything needs building, so nothing heavy is imported here."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

CACHE_DIR = ".cache"


@dataclass(frozen=True, slots=True)
class BuildOptions:
    output: Path | None = None          # default: site.yaml output_dir, relative to the site
    base_url: str | None = None
    relative: bool | None = None
    drafts: bool = False
    future: bool = False
    preview: bool = False               # `serve`: mark drafts and unreviewed cases on the page
    write: bool = True                  # False for `check`
    gate: bool | None = None            # run the rules whose errors stop a build; None: when writing
                                        # (`check` writes nothing and runs every rule itself)
    workers: int | None = None          # None: every core
    use_cache: bool = True
    progress: Callable[[int, int], None] | None = None   # (photos done, photos to do) while images are made
