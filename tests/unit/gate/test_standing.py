"""A review belongs to the text it approved: on a real site, the stages recorded by `showcase
review`, then edits of every kind. Any edit of what is published (body, title, a photo's bytes,
the photo list) makes the review stale; edits of the review record, line endings or spaces at
line ends never do. The property test draws the edits at random."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.config import load_config
from builder.content.load import load_one
from builder.gate.standing import current_digest, review_progress, standing_of
from builder.model import Review
from conftest import SITE_YAML, record_review

CASE = "content/cases/a/index.md"
TEXT = """\
---
title: 西翟村议事平台
site: xizhai-cun
date: 2024-05-01
category: 农村
summary: "村里搭建了议事平台。"
photos:
  - src: photo-1.jpg
    caption: 议事会现场
  - src: photo-2.jpg
    caption: 议事记录
---

## 基本情况

村里搭建了议事平台，群众有事好商量。

## 主要做法

- **每月开会。** 大家的事大家办。
"""
STAGES = ("初审", "复审", "终审")
TODAY = dt.date(2025, 6, 1)
REQUIRE = SITE_YAML + "publish:\n  require_review: true\n"


def standing(root: Path):
    site, _ = load_config(root)
    item, problems = load_one(root, CASE, site)
    assert item is not None, problems
    return standing_of(item, site, TODAY, current_digest(root, item))


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory) -> dict[str, bytes]:
    """The files of a site whose case went through every stage, recorded by the real command."""
    root = tmp_path_factory.mktemp("reviewed")
    files = {"site.yaml": REQUIRE.encode("utf-8"), CASE: TEXT.encode("utf-8"),
             "content/cases/a/photo-1.jpg": b"\xff\xd8first photo", "content/cases/a/photo-2.jpg": b"\xff\xd8second photo",
             "content/cases/a/photo-3.jpg": b"\xff\xd8a photo not listed yet",
             "content/sites/xizhai-cun/index.md": "---\ntitle: 西翟村\nkind: 村\n---\n\n简介。\n".encode("utf-8")}
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    record_review(root, CASE, *STAGES, day="2025-05-01")
    assert standing(root).state == "published"
    return {rel: (root / rel).read_bytes() for rel in files}


def site_from(tmp_path: Path, files: dict[str, bytes], name: str) -> Path:
    root = tmp_path / name
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return root


# --- edits that change what is published -------------------------------------------------------

def _body(text: str, n: int) -> str:
    return text.replace("群众有事好商量。", f"群众有事好商量，第{n}次修改。")


def _title(text: str, n: int) -> str:
    return text.replace("title: 西翟村议事平台", f"title: 西翟村议事平台{n}")


def _caption(text: str, n: int) -> str:
    return text.replace("caption: 议事记录", f"caption: 议事记录{n}")


def _add_photo(text: str, n: int) -> str:
    return text.replace("    caption: 议事记录\n", "    caption: 议事记录\n  - src: photo-3.jpg\n", 1)


def _drop_photo(text: str, n: int) -> str:
    return text.replace("  - src: photo-2.jpg\n    caption: 议事记录\n", "", 1)


def _swap_photos(text: str, n: int) -> str:
    return text.replace("  - src: photo-1.jpg\n    caption: 议事会现场\n  - src: photo-2.jpg\n    caption: 议事记录\n",
                        "  - src: photo-2.jpg\n    caption: 议事记录\n  - src: photo-1.jpg\n    caption: 议事会现场\n")


def _summary(text: str, n: int) -> str:
    return text.replace('summary: "村里搭建了议事平台。"', f'summary: "村里搭建了议事平台{n}。"')


def _featured(text: str, n: int) -> str:
    return text.replace("category: 农村\n", "category: 农村\nfeatured: true\n")


TEXT_EDITS = [_body, _title, _caption, _add_photo, _drop_photo, _swap_photos, _summary, _featured]
PHOTO_EDITS = ["photo-1.jpg", "photo-2.jpg"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.one_of(st.sampled_from(TEXT_EDITS), st.sampled_from(PHOTO_EDITS)), min_size=1, max_size=4),
       neutral=st.lists(st.integers(0, 5), max_size=3))
def test_any_edit_of_what_is_published_after_the_last_stage_makes_the_review_stale(tmp_path_factory, reviewed, edits,
                                                                                  neutral):
    files = dict(reviewed)
    text = files[CASE].decode("utf-8")
    for number, edit in enumerate(edits):
        if isinstance(edit, str):         # the photo's bytes change, its name stays
            key = f"content/cases/a/{edit}"
            files[key] = files[key] + f" edited {number}".encode()
        else:
            text = edit(text, number)
    if text == files[CASE].decode("utf-8") and all(not isinstance(e, str) for e in edits):
        return                            # the edits undid each other (a photo dropped that a swap moved)
    for choice in neutral:                # neutral edits on top change nothing of that
        text = NEUTRAL_EDITS[choice](text)
    files[CASE] = text.encode("utf-8")
    root = site_from(tmp_path_factory.mktemp("edited"), files, "site")
    now = standing(root)
    assert (now.state, now.fell_back_from, now.waiting, now.done) == ("stale", "终审", "终审", ("初审", "复审"))


# --- edits that do not ---------------------------------------------------------------------------

def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _trailing_spaces(text: str) -> str:
    lines = text.split("\n")
    return "\n".join(line.removesuffix("\r") + ("  " if index % 2 else " \t") + ("\r" if line.endswith("\r") else "")
                     for index, line in enumerate(lines))


def _reviewer_renamed(text: str) -> str:
    return text.replace("by: 审核人", "by: 王五", 1)


def _review_comment(text: str) -> str:
    return text.replace("review:\n", "review:   # 三审记录\n  # 初审意见：同意\n", 1)


def _blank_lines_after(text: str) -> str:
    return text + "\n\n\n"


def _front_comment(text: str) -> str:
    return text.replace("category: 农村\n", "category: 农村   # 领域\n# 备注：无\n", 1)


NEUTRAL_EDITS = [_crlf, _trailing_spaces, _reviewer_renamed, _review_comment, _blank_lines_after, _front_comment]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.sampled_from(NEUTRAL_EDITS), min_size=1, max_size=4), bom=st.booleans())
def test_edits_of_the_review_record_line_endings_or_trailing_spaces_never_make_it_stale(tmp_path_factory, reviewed,
                                                                                      edits, bom):
    text = reviewed[CASE].decode("utf-8")
    for edit in edits:
        text = edit(text)
    files = {**reviewed, CASE: ("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8")}
    root = site_from(tmp_path_factory.mktemp("neutral"), files, "site")
    now = standing(root)
    assert (now.state, now.fell_back_from, now.waiting) == ("published", None, None), text


def test_recording_the_stage_again_makes_a_stale_review_whole(tmp_path, reviewed):
    files = {**reviewed, CASE: _body(reviewed[CASE].decode("utf-8"), 1).encode("utf-8")}
    root = site_from(tmp_path, files, "site")
    assert standing(root).state == "stale"
    record_review(root, CASE, "终审", day="2025-05-02")
    assert standing(root).state == "published"
    assert (root / CASE).read_text(encoding="utf-8").count("stage: 终审") == 2


# --- the rule itself, on records --------------------------------------------------------------------

def review(stage: str, digest: str = "") -> Review:
    return Review(stage, "甲", dt.date(2025, 5, 1), digest=digest)


@pytest.mark.parametrize("reviews, expected", [
    ((), ((), "初审", None)),
    ((review("初审", "d"),), (("初审",), "复审", None)),
    ((review("初审", "d"), review("复审", "d"), review("终审", "d")), (("初审", "复审", "终审"), None, None)),
    ((review("初审", "old"), review("复审", "d")), (("初审", "复审"), "终审", None)),       # the later stage saw it
    ((review("初审", "d"), review("复审", "old")), (("初审",), "复审", "复审")),
    ((review("初审", "d"), review("复审", "d"), review("终审", "old")), (("初审", "复审"), "终审", "终审")),
    ((review("初审", "d"), review("复审", "old"), review("复审", "d")), (("初审", "复审"), "终审", None)),
    ((review("初审"),), ((), "初审", "初审")),                        # written by hand, no digest: not verified
    ((review("其他", "x"), review("初审", "d")), (("初审",), "复审", None)),   # a stage the site does not have
])
def test_the_latest_recorded_stage_must_match_the_text_as_it_is(reviews, expected):
    done, waiting, fell_back = review_progress(reviews, STAGES, "d")
    assert (tuple(r.stage for r in done), waiting, fell_back) == expected


# --- what a plain build publishes, without building ----------------------------------------------

def test_publishable_is_what_a_plain_build_publishes(make_site, cli):
    from builder.gate.publishable import publishable
    from conftest import case_md
    root = make_site({"content/cases/a/index.md": case_md(title="甲"),
                      "content/cases/b/index.md": case_md(title="乙", draft="true"),
                      "content/cases/c/index.md": case_md(title="丙", date="2099-01-01"),
                      "content/pages/p.md": "---\ntitle: 页\ndraft: true\n---\n\n正文。\n"})
    model, problems = publishable(root, TODAY)
    assert problems == []
    assert ([c.title for c in model.cases], [s.title for s in model.sites], model.pages) == (["甲"], ["西翟村"], ())
    assert {i.title: model.standing_of(i).state for i in model.held_back} == {"乙": "draft", "丙": "future", "页": "draft"}
    assert cli("build", "--source", root).code == 0
    assert sorted(p.name for p in (root / "output/cases").iterdir() if p.is_dir()) == ["a"]
