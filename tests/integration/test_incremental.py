"""An incremental build writes exactly what a cold build of the same sources writes (issue 12).

A property test: hypothesis draws a sequence of edits to a real site (a body, a title, a date
into the future and back, a case moved to another model site or category, tags and actions,
a case added, deleted or renamed, a photo added, replaced or removed, a model site renamed,
site.yaml, a template or a UI string, a draft flag, a problem the gate reports, as an error or
made a warning …); after each edit the site is built again
in place (with everything the last build left in .cache/ and the output folder), and a copy of
the sources without .cache/ is built cold into another folder. The two outputs must be the same
file for file and byte for byte, or both builds must fail with the same problems.

CI runs a bounded number of sequences; set SHOWCASE_INCREMENTAL_EXAMPLES=500 (or more) to run
many more locally. The preview's builds (build.Session, drafts shown) are checked the same way.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import time
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from builder import unchanged
from builder.build import BuildOptions, Session, build_site
from builder.errors import BuildError
from builder.render import fragments
from builder.render.theme import packaged_themes_dir
from tests.conftest import SITES, snapshot
from tests.photos import jpeg_bytes

EXAMPLES = int(os.environ.get("SHOWCASE_INCREMENTAL_EXAMPLES", "10"))
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, print_blob=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])

MORE_CASES = {
    f"content/cases/extra-{n}/index.md": (
        f"---\ntitle: 补充案例{n}\nsite: {'xizhai-cun' if n % 2 else 'fuxi-shequ'}\ndate: 2023-0{n}-1{n}\n"
        f"category: {'农村' if n % 2 else '社区'}\nactions: [平安建设]\ntags: [议事协商{', 乡风文明' if n % 3 else ''}]\n---\n\n"
        f"## 做法\n\n第{n}个补充案例的正文，讲议事协商。\n")
    for n in range(1, 5)
}


# --- the edits ---------------------------------------------------------------------------------

def _cases(root: Path) -> list[Path]:
    return sorted((root / "content/cases").glob("*/index.md"))


def _sites(root: Path) -> list[Path]:
    return sorted((root / "content/sites").glob("*/index.md"))


def _split(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front) or {}, body


def _join(path: Path, front: dict, body: str) -> None:
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n" + body
    path.write_text(text, encoding="utf-8")


def _front(path: Path, change) -> None:
    front, body = _split(path)
    change(front)
    _join(path, front, body)


def edit_body(root, rng):
    path = rng.choice(_cases(root))
    front, body = _split(path)
    _join(path, front, body + f"\n新增的一段话{rng.randrange(1000)}。\n")


def edit_title(root, rng):
    _front(rng.choice(_cases(root)), lambda f: f.update(title=f"{f.get('title', '')}（修订{rng.randrange(100)}）"))


def edit_summary(root, rng):
    _front(rng.choice(_cases(root)), lambda f: f.update(summary=f"新的摘要{rng.randrange(100)}。"))


def edit_date(root, rng):
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    past = f"20{rng.randrange(18, 24)}-0{rng.randrange(1, 10)}-1{rng.randrange(0, 10)}"
    _front(rng.choice(_cases(root)), lambda f: f.update(date=dt.date.fromisoformat(rng.choice([future, past]))))


def move_case(root, rng):
    def change(front):
        if rng.random() < 0.5:
            front["site"] = rng.choice([p.parent.name for p in _sites(root)] + ["no-such-site"])
        else:
            front["category"] = rng.choice(["农村", "社区", "机关", "企业"])
    _front(rng.choice(_cases(root)), change)


def edit_tags(root, rng):
    def change(front):
        if rng.random() < 0.5:
            front["tags"] = rng.sample(["议事协商", "乡风文明", "网格", "调解", "调节", "养老"], rng.randrange(0, 4))
        else:
            front["actions"] = rng.sample(["平安建设", "强村富民"], rng.randrange(0, 3))
    _front(rng.choice(_cases(root)), change)


def add_case(root, rng):
    folder = _free(root / "content/cases" / f"new-{rng.randrange(10**6)}")
    name = folder.name
    folder.mkdir(parents=True)
    site = rng.choice([p.parent.name for p in _sites(root)] or ["xizhai-cun"])
    (folder / "index.md").write_text(
        f"---\ntitle: 新案例{name}\nsite: {site}\ndate: 2024-0{rng.randrange(1, 10)}-0{rng.randrange(1, 10)}\n"
        f"category: 农村\ntags: [议事协商]\n---\n\n新案例的正文。\n", encoding="utf-8")


def delete_case(root, rng):
    cases = _cases(root)
    if len(cases) > 1:
        shutil.rmtree(rng.choice(cases).parent)


def _free(folder: Path) -> Path:
    while folder.exists():
        folder = folder.with_name(folder.name + "x")
    return folder


def rename_case(root, rng):
    folder = rng.choice(_cases(root)).parent
    folder.rename(_free(folder.with_name(f"renamed-{rng.randrange(10**6)}")))


def photo(root, rng):
    folder = rng.choice(_cases(root)).parent
    existing = sorted(folder.glob("*.jpg"))
    what = rng.choice(["add", "replace", "remove"]) if existing else "add"
    color = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
    if what == "add":
        (folder / f"photo-{rng.randrange(100)}.jpg").write_bytes(jpeg_bytes((96, 64), color=color, gps=False))
    elif what == "replace":
        rng.choice(existing).write_bytes(jpeg_bytes((64, 96), color=color, gps=False))
    else:
        rng.choice(existing).unlink()


def rename_site(root, rng):
    path = rng.choice(_sites(root))
    if rng.random() < 0.5:
        _front(path, lambda f: f.update(title=f"{f.get('title', '')}{rng.randrange(10)}号"))
        return
    old = path.parent.name
    new = _free(path.parent.with_name(f"{old}-{rng.randrange(100)}")).name
    path.parent.rename(path.parent.with_name(new))
    for case in _cases(root):                   # the cases follow, as a careful editor would
        front, _ = _split(case)
        if front.get("site") == old:
            _front(case, lambda f: f.update(site=new))


def edit_site_yaml(root, rng):
    path = root / "site.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    choice = rng.randrange(4)
    if choice == 0:
        config["title"] = f"测试示范案例库{rng.randrange(10)}"
    elif choice == 1:
        config["paginate"] = rng.randrange(1, 5)
    elif choice == 2:
        config["subtitle"] = rng.choice(["", "党建引领基层治理", "新的副标题"])
    else:
        config["categories"] = rng.sample(["农村", "社区", "机关", "企业"], 4)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def edit_template(root, rng):
    folder = root / "templates"
    folder.mkdir(exist_ok=True)
    name = rng.choice(["404.html", "case.html", "partials/cards.html"])
    target = folder / name
    if target.exists() and rng.random() < 0.4:
        target.unlink()
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    text = (packaged_themes_dir() / "default/templates" / name).read_text(encoding="utf-8")
    target.write_text(text.replace("</", f"<!-- 本站{rng.randrange(100)} --></", 1), encoding="utf-8")


def edit_ui_string(root, rng):
    theme = root / "themes/default"
    if not theme.exists():
        shutil.copytree(packaged_themes_dir() / "default", theme)
    strings = theme / "i18n/zh-CN.yaml"
    text = strings.read_text(encoding="utf-8")
    strings.write_text(text.replace("skip_to_content: ", f"skip_to_content: {rng.randrange(10)}", 1), encoding="utf-8")


# Problems the gate reports (gate/memo.py keeps what it found): an error or, with `lenient`
# below, a warning; added to a case's body, or taken out again.
PROBLEMS = ("情况待补充。", "详见[旧的页面](/cases/no-such-case/)。", '<img src="https://cdn.example.com/p.png" alt="外来图片">')
FOREIGN = '<img src="https://cdn.example.com/t.png" alt="">'


def toggle_problem(root, rng):
    path = rng.choice(_cases(root))
    front, body = _split(path)
    paragraphs = body.split("\n\n")
    if any(marker in paragraphs for marker in PROBLEMS):
        paragraphs = [text for text in paragraphs if text not in PROBLEMS]
    else:
        paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), rng.choice(PROBLEMS))
    body = "\n\n".join(paragraphs)
    _join(path, front, body)


def lenient(root, rng):
    """The site's rules that may be warnings made warnings, or errors again (review: warnings:)."""
    path = root / "site.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    review = config.setdefault("review", {})
    if review.pop("warnings", None) is None:
        review["warnings"] = rng.sample(["link_broken", "foreign_resource", "foreign_host", "body_too_short"],
                                        rng.randrange(2, 5))
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def foreign_template(root, rng):
    """A picture from another host in the case template (check_hosts), or taken out again."""
    target = root / "templates/case.html"
    text = target.read_text(encoding="utf-8") if target.exists() else \
        (packaged_themes_dir() / "default/templates/case.html").read_text(encoding="utf-8")
    target.parent.mkdir(exist_ok=True)
    target.write_text(text.replace(FOREIGN, "") if FOREIGN in text else text.replace("</article>", FOREIGN + "</article>", 1),
                      encoding="utf-8")


def flip_draft(root, rng):
    _front(rng.choice(_cases(root)), lambda f: f.update(draft=not f.get("draft", False)))


def edit_page(root, rng):
    path = root / "content/pages/about.md"
    if path.exists():
        path.write_text(path.read_text(encoding="utf-8") + f"\n补充{rng.randrange(100)}。\n", encoding="utf-8")


def nothing(root, rng):
    pass


def time_passes(root, rng):
    """Every source file as if written a minute ago: the next build may find that nothing
    changed without building (builder.unchanged)."""
    stamp = time.time_ns() - 60 * 10**9
    for path in [root, *root.rglob("*")]:
        if not {".cache", "out"} & set(path.relative_to(root).parts):
            os.utime(path, ns=(stamp, stamp))


EDITS = {f.__name__: f for f in (edit_body, edit_title, edit_summary, edit_date, move_case, edit_tags, add_case,
                                  delete_case, rename_case, photo, rename_site, edit_site_yaml, edit_template,
                                  edit_ui_string, flip_draft, edit_page, nothing, time_passes, toggle_problem,
                                  lenient, foreign_template)}
edits = st.lists(st.tuples(st.sampled_from(sorted(EDITS)), st.integers(0, 2**32)), min_size=1, max_size=6)


# --- the property ------------------------------------------------------------------------------

def outcome(root: Path, options: BuildOptions, session: Session | None = None) -> tuple:
    """What a build gives: the files it wrote and its warnings, or its problems. Without a
    session, as `showcase build` does it: nothing at all when nothing changed (builder.unchanged)."""
    if session is None and options.use_cache:
        key = unchanged.options_key(root.resolve(), options.output, options.drafts, options.future, options.base_url,
                                    options.relative)
        same = unchanged.check(root.resolve(), key, unchanged.packaged_themes_dir())
        if same is not None:
            return "built", snapshot(options.output), [p.format("en") for p in same.summary.warnings]
    try:
        result = build_site(root, options, session)
    except BuildError as exc:
        return "failed", [p.format("en") for p in exc.problems]
    return "built", snapshot(options.output), [p.format("en") for p in result.warnings]


def cold_copy(root: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(root, target, ignore=shutil.ignore_patterns(".cache", "out", "output"))
    return target


def check_sequence(work: Path, sequence: list[tuple[str, int]], preview: bool, every_fragment: bool = False) -> None:
    """`every_fragment`: every page, however small, records where its kept() fragments are and
    takes them again from its old file (render.fragments; otherwise only big booklet pages do)."""
    threshold = fragments.FRAGMENTS_FROM
    fragments.FRAGMENTS_FROM = 0 if every_fragment else threshold
    try:
        _check_sequence(work, sequence, preview)
    finally:
        fragments.FRAGMENTS_FROM = threshold


def _check_sequence(work: Path, sequence: list[tuple[str, int]], preview: bool) -> None:
    root = work / "site"
    shutil.copytree(SITES / "basic", root, ignore=shutil.ignore_patterns(".cache", "output"))
    for rel, text in MORE_CASES.items():
        (root / rel).parent.mkdir(parents=True)
        (root / rel).write_text(text, encoding="utf-8")
    selection = {"drafts": True, "future": True, "preview": True} if preview else {}
    session = Session() if preview else None
    incremental = BuildOptions(output=root / "out", workers=1, **selection)
    outcome(root, incremental, session)
    # Each sequence ends with a minute passing and a build with nothing changed: the one
    # `showcase build` answers without building (builder.unchanged).
    for number, (name, seed) in enumerate([*sequence, ("time_passes", 0), ("nothing", 0), ("nothing", 0)]):
        EDITS[name](root, random.Random(seed))
        got = outcome(root, incremental, session)
        cold = cold_copy(root, work / "cold")
        expected = outcome(cold, BuildOptions(output=cold / "out", workers=1, **selection))
        assert got[0] == expected[0], (number, name, got[1] if got[0] == "failed" else expected[1])
        if got[0] == "failed":
            assert got[1] == expected[1], (number, name)
            continue
        differing = sorted(rel for rel in set(got[1]) | set(expected[1]) if got[1].get(rel) != expected[1].get(rel))
        assert not differing, (number, name, differing[:10])
        assert got[2] == expected[2], (number, name)


@PROPERTY
@given(sequence=edits, every_fragment=st.booleans())
def test_an_incremental_build_writes_what_a_cold_build_writes(tmp_path_factory, sequence, every_fragment):
    check_sequence(tmp_path_factory.mktemp("incremental"), sequence, preview=False, every_fragment=every_fragment)


@PROPERTY
@given(sequence=edits, every_fragment=st.booleans())
def test_the_previews_rebuilds_write_what_a_cold_preview_build_writes(tmp_path_factory, sequence, every_fragment):
    check_sequence(tmp_path_factory.mktemp("incremental-preview"), sequence, preview=True,
                   every_fragment=every_fragment)
