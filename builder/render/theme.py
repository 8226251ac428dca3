"""Finding a theme, its UI strings and its static files; naming template errors.

A site's own themes/<name>/ wins over the theme shipped in the package, and a site's
templates/ folder overrides theme templates file by file.
"""
from __future__ import annotations

import hashlib
import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2

from builder.errors import Problem
from builder.yamlio.fields import describe
from builder.yamlio.source import decode_source, parse_yaml

PACKAGE_DIR = Path(__file__).resolve().parent.parent      # builder/
FINGERPRINTED = (".css", ".js")


def packaged_themes_dir() -> Path:
    """Installed wheels carry the themes in builder/themes; a checkout has them beside builder/."""
    inside = PACKAGE_DIR / "themes"
    return inside if inside.is_dir() else PACKAGE_DIR.parent / "themes"


@dataclass(frozen=True, slots=True)
class Theme:
    root: Path                        # the site root
    dir: Path                         # the theme folder
    template_dirs: tuple[Path, ...]   # site templates/ first, then the theme's

    def strings(self, language: str) -> tuple[dict[str, str], list[Problem]]:
        """The theme's UI strings for `language` (falling back to zh-CN), checked like site.yaml."""
        path = self.strings_file(language)
        return self._read_strings(path) if path else ({}, [])

    def strings_file(self, language: str) -> Path | None:
        """The file `strings` reads for `language`: the language, its base, then zh-CN."""
        for name in (language, language.split("-")[0], "zh-CN"):
            path = self.dir / "i18n" / f"{name}.yaml"
            if path.is_file():
                return path
        return None

    def _read_strings(self, path: Path) -> tuple[dict[str, str], list[Problem]]:
        shown = self.locate_file(path)
        text, problems = decode_source(path.read_bytes(), shown)
        if text is None:
            return {}, problems
        parsed, problems = parse_yaml(text, shown)
        if parsed is None:
            return {}, problems
        if not isinstance(parsed.value, dict):
            return {}, [Problem(shown, 1, "not_a_mapping", {"what": shown, "got": describe(parsed.value)})]
        return {str(k): "" if v is None else str(v) for k, v in parsed.value.items()}, problems     # a key written twice

    def locate_file(self, path: Path) -> str:
        """A theme file as the user should look for it: relative to the site when inside it."""
        for base in (self.root, self.dir.parent.parent):
            try:
                return path.resolve().relative_to(base.resolve()).as_posix()
            except ValueError:
                continue
        return path.as_posix()

    def static_files(self) -> list[tuple[str, Path]]:
        """(name relative to static/, file) for the theme's and then the site's static files."""
        found: dict[str, Path] = {}
        for folder in (self.dir / "static", self.root / "static"):
            if folder.is_dir():
                for path in sorted(folder.rglob("*")):
                    if path.is_file() and not path.name.startswith("."):
                        found[path.relative_to(folder).as_posix()] = path
        return sorted(found.items())

    def locate(self, exc: jinja2.TemplateError) -> tuple[str, int | None]:
        """The template file (relative to the site root when inside it) and line of an error."""
        filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
        if not filename:
            for frame in reversed(traceback.extract_tb(exc.__traceback__)):
                if frame.filename.endswith((".html", ".xml", ".txt")):
                    filename, line = frame.filename, frame.lineno
                    break
        if not filename:
            return "", None
        return self.locate_file(Path(filename)), line


def load_theme(root: Path, name: str) -> tuple[Theme | None, list[Problem]]:
    for base in (root / "themes", packaged_themes_dir()):
        folder = base / name
        if (folder / "templates").is_dir():
            dirs = tuple(d for d in (root / "templates", folder / "templates") if d.is_dir())
            return Theme(root=root, dir=folder, template_dirs=dirs), []
    return None, [Problem("site.yaml", None, "theme_missing", {"theme": name})]


def static_outputs(theme: Theme) -> tuple[dict[str, str], dict[str, Path]]:
    """({asset name: output path}, {output path: source file}). CSS and JS get a content hash
    in their name so browsers may cache them for ever and still see a new version at once."""
    assets: dict[str, str] = {}
    files: dict[str, Path] = {}
    for name, path in theme.static_files():
        out = f"static/{name}"
        if path.suffix in FINGERPRINTED:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            out = f"static/{name[: -len(path.suffix)]}.{digest}{path.suffix}"
        assets[name] = out
        files[out] = path
    return assets, files
