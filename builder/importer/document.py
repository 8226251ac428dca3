"""One Word document read whole: its title, Markdown body, photos with their captions, the
source and date it names, and what a person should know about the reading (warnings).
Pure: bytes in, a Reading out; nothing is written (draft.py writes)."""
from __future__ import annotations

from dataclasses import dataclass

from builder.errors import WARNING, Problem
from builder.importer.from_html import parse_html, tree_to_markdown
from builder.importer.layout import Layout, lay_out
from builder.importer.word import read_docx


@dataclass(frozen=True, slots=True)
class ImportedPhoto:
    name: str                   # photo-1.jpg, as the case folder will hold it
    data: bytes                 # as the document held it: the build turns it upright and strips its metadata
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Reading:
    title: str
    title_from: str             # message code: where the title was found
    body: str                   # Markdown
    photos: tuple[ImportedPhoto, ...]
    layout: Layout
    warnings: tuple[Problem, ...]


def read_document(data: bytes, shown: str, fallback_title: str) -> Reading:
    """Read a .docx (raises word.Unreadable when it cannot be). `shown`: the file as problems
    name it; `fallback_title`: the title when the document shows none (its file name)."""
    word = read_docx(data)
    tree = parse_html(word.html)
    layout = lay_out(tree, word.pictures, tuple(line for box in word.text_boxes for line in box))
    body = tree_to_markdown(tree).markdown
    warnings = []
    title, title_from = layout.title, f"import_title_{layout.title_from}"
    if not title:
        title, title_from = fallback_title, "import_title_file_name"
        warnings.append(Problem(shown, None, "import_no_title", {"title": title}, WARNING))
    if word.text_boxes:
        warnings.append(Problem(shown, None, "import_text_boxes", {"count": len(word.text_boxes)}, WARNING))
    if word.comments:
        warnings.append(Problem(shown, None, "import_comments", {"count": word.comments}, WARNING))
    if word.changes:
        warnings.append(Problem(shown, None, "import_changes", {"count": word.changes}, WARNING))
    for picture, near in layout.left_out:
        warnings.append(Problem(shown, None, "import_picture_unreadable",
                                {"number": picture.number, "kind": picture.kind, "near": near}, WARNING))
    if word.linked:
        warnings.append(Problem(shown, None, "import_picture_linked", {"count": word.linked}, WARNING))
    photos = tuple(ImportedPhoto(p.name, p.picture.data, p.caption) for p in layout.placed)
    return Reading(title, title_from, body, photos, layout, tuple(warnings))
