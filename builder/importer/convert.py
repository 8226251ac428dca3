"""Word 97-2003 (.doc) and WPS (.wps) files are binary formats mammoth cannot read. Where
LibreOffice is installed, `showcase import --convert` has it turn them into .docx, headless, in
a temporary folder with a profile of its own (so a LibreOffice window the user has open does not
swallow the request); the original is never touched."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

OLD_SUFFIXES = (".doc", ".wps", ".dot", ".wpt", ".rtf")
TIMEOUT = 180                   # seconds for one document: LibreOffice's first start is slow
_WINDOWS_PLACES = ("LibreOffice/program/soffice.exe", "LibreOffice 7/program/soffice.exe")


def find_soffice() -> str | None:
    """The LibreOffice program: on the PATH, or where its installer puts it on Windows."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for base in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
        for place in _WINDOWS_PLACES if base else ():
            candidate = Path(base) / place
            if candidate.is_file():
                return str(candidate)
    return None


def convert_to_docx(path: Path, soffice: str) -> bytes | None:
    """The .docx LibreOffice makes of `path`, or None when it made none (a damaged file, a
    password, LibreOffice failing or taking longer than TIMEOUT)."""
    with tempfile.TemporaryDirectory(prefix="showcase-convert-") as work:
        work_dir = Path(work)
        source = work_dir / ("source" + path.suffix.lower())     # an ASCII name: no quoting trouble anywhere
        shutil.copyfile(path, source)
        profile = (work_dir / "profile").resolve().as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work_dir / "out"), str(source)]
        try:
            subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=TIMEOUT, check=False)
        except (OSError, subprocess.SubprocessError):
            return None
        made = work_dir / "out" / "source.docx"
        return made.read_bytes() if made.is_file() else None
