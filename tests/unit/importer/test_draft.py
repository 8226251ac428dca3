"""Writing an imported case: front matter that reads back exactly, a folder made whole or not
at all, never one written over."""
from __future__ import annotations

import datetime as dt

import pytest
import yaml

from builder.importer.document import ImportedPhoto
from builder.importer.draft import Draft, case_text, write_draft

DRAFT = Draft(title='西翟村: "基层智理" #1', site="xizhai-cun", site_title="西翟村", category="农村",
              date=dt.date(2025, 6, 12), body="## 基本情况\n\n正文。\n",
              photos=(ImportedPhoto("photo-1.jpg", b"jpeg", "图为：议事现场 #2"), ImportedPhoto("photo-2.png", b"png")),
              summary="正文。", source="城关镇党委")


def test_the_front_matter_is_comment_free_yaml_that_reads_back_as_given():
    text = case_text(DRAFT)
    front, body = text.split("---\n")[1], text.split("---\n", 2)[2]
    assert "#" not in front.replace("#1", "").replace("#2", "")
    assert yaml.safe_load(front) == {
        "title": '西翟村: "基层智理" #1', "site": "xizhai-cun", "date": dt.date(2025, 6, 12),
        "category": "农村", "summary": "正文。", "source": "城关镇党委", "draft": True,
        "photos": [{"src": "photo-1.jpg", "caption": "图为：议事现场 #2"}, {"src": "photo-2.png"}]}
    assert body == "\n## 基本情况\n\n正文。\n"


def test_the_case_is_written_under_a_free_folder_name_with_its_photos(tmp_path):
    (tmp_path / "content" / "cases" / "xizhai-jiceng-zhili").mkdir(parents=True)
    index, problems = write_draft(tmp_path, DRAFT)
    assert problems == [] and index == tmp_path / "content" / "cases" / "xizhai-jiceng-zhili-2" / "index.md"
    assert sorted(p.name for p in index.parent.iterdir()) == ["index.md", "photo-1.jpg", "photo-2.png"]
    assert (index.parent / "photo-1.jpg").read_bytes() == b"jpeg"
    assert sorted(p.name for p in (tmp_path / "content" / "cases").iterdir()) == ["xizhai-jiceng-zhili", "xizhai-jiceng-zhili-2"]


def test_a_folder_that_exists_in_any_letter_case_is_never_written_into(tmp_path):
    existing = tmp_path / "content" / "cases" / "Yishi"
    existing.mkdir(parents=True)
    index, problems = write_draft(tmp_path, DRAFT, tmp_path / "content" / "cases" / "yishi")
    assert index is None and [(p.code, p.params) for p in problems] == [("import_exists", {"path": "content/cases/yishi/"})]
    assert list(existing.iterdir()) == []


def test_a_write_that_fails_half_way_leaves_no_folder_behind(tmp_path):
    broken = Draft(**{**{f: getattr(DRAFT, f) for f in DRAFT.__dataclass_fields__},
                      "photos": (ImportedPhoto("photo-1.jpg", b"jpeg"), ImportedPhoto("no/such/folder.jpg", b"x"))})
    with pytest.raises(OSError):
        write_draft(tmp_path, broken)
    assert list((tmp_path / "content" / "cases").iterdir()) == []
