"""A folder on this computer or a drive it sees: a USB stick, a shared network drive."""
from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from builder.errors import Problem
from builder.model import PublishTarget
from builder.publish.manifest import TEMP_DIR
from builder.publish.target import Target, local_problem, problem


class FolderTarget(Target):
    def __init__(self, settings: PublishTarget, root: Path):
        super().__init__(settings)
        self.root = root

    @property
    def label(self) -> str:
        return str(self.root)

    def connect(self) -> None:
        if not self.root.parent.is_dir():     # the USB stick is not plugged in: nothing made anywhere
            raise FileNotFoundError(2, "missing", str(self.root.parent))

    def read(self, rel: str) -> bytes | None:
        try:
            return (self.root / rel).read_bytes()
        except FileNotFoundError:
            return None

    def write(self, rel: str, source: Path | bytes, temp: str) -> None:
        temp_path = self.root / TEMP_DIR / temp
        temp_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if isinstance(source, bytes):
                temp_path.write_bytes(source)
            else:
                shutil.copyfile(source, temp_path)
            target = self.root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp_path, target)
        except BaseException:
            with contextlib.suppress(OSError):
                temp_path.unlink()
            raise

    def delete(self, rel: str) -> None:
        (self.root / rel).unlink(missing_ok=True)

    def remove_empty_folders(self, folders: list[str]) -> None:
        for folder in folders:
            with contextlib.suppress(OSError):
                (self.root / folder).rmdir()

    def clean_temp(self, token: str) -> None:
        temp = self.root / TEMP_DIR
        if temp.is_dir():
            for leftover in temp.glob(f"{token}*"):
                leftover.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                temp.rmdir()

    def explain(self, exc: BaseException, rel: str | None) -> Problem:
        if isinstance(exc, FileNotFoundError) and rel is None:
            return problem("publish_folder_missing", self, None, path=str(self.root.parent))
        if isinstance(exc, OSError):
            return local_problem(exc, self, rel)
        return super().explain(exc, rel)
