"""Photos through `showcase build`: <picture> markup, sizes, no metadata in any output image,
share cards, the cache (hits, invalidation, damage, pruning), progress, and broken photos
reported with every other problem while the previous output stays as it was."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from builder.images import codec as images_codec
from builder.images import cache as images_cache
from builder.cli.console import Console, PhotoProgress
from conftest import SITE_YAML, case_md, snapshot
from photos import exif_tags, heic_bytes, jpeg_bytes, metadata_in, png_bytes

WIDTHS_YAML = SITE_YAML + "images:\n  widths: [120, 240, 480]\n  quality: 80\n"
PHOTOS_FM = "photos:\n  - src: photo-1.jpg\n    caption: 村民议事会现场\n  - src: photo-2.jpg\n    caption: 议事记录"


def photo_case(unlisted: tuple[str, ...] = (), **files: bytes) -> dict[str, str | bytes]:
    """A case with photo-1.jpg and photo-2.jpg listed in photos:, and `files` listed after them
    (but for those named in `unlisted`, which are only put in the folder)."""
    extra = "".join(f"\n  - src: {name}" for name in files if name not in unlisted and not name.startswith("photo-"))
    site = {"content/cases/yishi/index.md": case_md(body="## 基本情况\n\n议事平台。\n") .replace(
        "category: 农村\n", "category: 农村\n" + PHOTOS_FM + extra + "\n")}
    defaults = {"photo-1.jpg": jpeg_bytes((600, 450), orientation=1), "photo-2.jpg": jpeg_bytes((600, 450), orientation=6)}
    for name, data in {**defaults, **files}.items():
        site[f"content/cases/yishi/{name}"] = data
    return site


def build(cli, root: Path, *args):
    return cli("build", "--source", root, *args)


def page(root: Path, url: str = "cases/yishi/") -> str:
    return (root / "output" / url / "index.html").read_text(encoding="utf-8")


def output_images(root: Path) -> list[Path]:
    return sorted(p for p in (root / "output").rglob("*") if p.suffix in (".jpg", ".webp", ".png"))


@pytest.fixture
def site(make_site):
    return make_site(photo_case(), site_yaml=WIDTHS_YAML)


@pytest.fixture
def no_racy_wait(monkeypatch):
    """Photos written by the test a moment ago may go into the digest memo at once."""
    monkeypatch.setattr(images_cache, "RACY_NS", 0)


# --- markup and files ------------------------------------------------------------------------

def test_case_page_shows_each_photo_as_picture_with_webp_srcset_and_jpeg_fallback(cli, site):
    result = build(cli, site)
    assert result.code == 0, result.err
    html = page(site)
    figures = re.findall(r'<figure class="photo">.*?</figure>', html, re.S)
    assert len(figures) == 2
    first = figures[0]
    name = re.search(r'/cases/yishi/(photo-1)-120w\.([0-9a-f]{10})\.webp', first)
    assert name, first
    base = f"/cases/yishi/photo-1-{{w}}w.{name.group(2)}"
    webp = ", ".join(base.format(w=w) + f".webp {w}w" for w in (120, 240, 480))
    jpeg = ", ".join(base.format(w=w) + f".jpg {w}w" for w in (120, 240, 480))
    assert f'<source type="image/webp" srcset="{webp}" sizes="' in first
    assert f'<img src="{base.format(w=240)}.jpg" srcset="{jpeg}" sizes="' in first
    assert 'width="480" height="360" alt="村民议事会现场" loading="lazy" decoding="async">' in first
    assert "<figcaption>村民议事会现场</figcaption>" in first
    assert 'width="450" height="600" alt="议事记录"' in figures[1]          # the turned photo is portrait


def test_renditions_have_the_configured_sizes_and_the_photo_its_shape(cli, site):
    assert build(cli, site).code == 0
    sizes = {}
    for path in output_images(site):
        with Image.open(path) as image:
            sizes[re.sub(r"\.[0-9a-f]{10}\.", ".", path.name)] = image.size
    assert sizes == {
        "photo-1-120w.jpg": (120, 90), "photo-1-240w.jpg": (240, 180), "photo-1-480w.jpg": (480, 360),
        "photo-1-120w.webp": (120, 90), "photo-1-240w.webp": (240, 180), "photo-1-480w.webp": (480, 360),
        # turned upright it is 450 wide: its own width stands in for the 480 it cannot fill
        "photo-2-120w.jpg": (120, 160), "photo-2-240w.jpg": (240, 320), "photo-2-450w.jpg": (450, 600),
        "photo-2-120w.webp": (120, 160), "photo-2-240w.webp": (240, 320), "photo-2-450w.webp": (450, 600),
        "photo-1-share.jpg": (1200, 630),
        "share-default.jpg": (1200, 630),                # the theme's, for pages without photos
    }


def test_no_output_image_carries_metadata(cli, make_site):
    files = photo_case(**{"photo-1.jpg": jpeg_bytes((600, 450), orientation=3, extras=True),
                          "photo-3.png": png_bytes("RGBA", (300, 200)),
                          "photo-4.webp": (lambda b: (Image.open(io.BytesIO(jpeg_bytes((300, 200)))).save(
                              b, "WEBP", exif=Image.open(io.BytesIO(jpeg_bytes())).getexif()), b.getvalue())[1])(io.BytesIO())})
    files["content/cases/yishi/index.md"] = files["content/cases/yishi/index.md"].replace(
        "    caption: 议事记录\n", "    caption: 议事记录\n  - src: photo-3.png\n  - src: photo-4.webp\n")
    root = make_site(files, site_yaml=WIDTHS_YAML)
    assert build(cli, root).code == 0
    made = [p for p in output_images(root) if "/static/" not in p.as_posix()]
    assert len(made) == 1 + 6 * 4
    for path in made:
        assert metadata_in(path.read_bytes()) == [], path.name


def test_a_photo_narrower_than_every_width_is_not_upscaled(cli, make_site):
    root = make_site(photo_case(**{"photo-1.jpg": jpeg_bytes((100, 80))}), site_yaml=WIDTHS_YAML)
    assert build(cli, root).code == 0
    small = [p.name for p in output_images(root) if p.name.startswith("photo-1-") and "share" not in p.name]
    assert sorted(re.sub(r"\.[0-9a-f]{10}\.", ".", n) for n in small) == ["photo-1-100w.jpg", "photo-1-100w.webp"]


UNLISTED = {"b-later.jpg": jpeg_bytes((300, 200)), "a-first.png": png_bytes("RGB"), "身份证.jpg": jpeg_bytes((300, 200))}


def test_photos_not_chosen_are_neither_processed_nor_published(cli, make_site):
    files = photo_case(unlisted=tuple(UNLISTED), **UNLISTED)
    files["content/cases/yishi/index.md"] = files["content/cases/yishi/index.md"].replace(
        "议事平台。\n", "议事平台。\n\n![议事现场](a-first.png)\n")
    root = make_site(files, site_yaml=WIDTHS_YAML)
    result = build(cli, root)
    assert result.code == 0, result.err
    assert "图片：新处理 3 张" in result.out                  # photo-1, photo-2 and a-first, shown in the body
    names = {p.name.split("-")[0] for p in output_images(root) if "/static/" not in p.as_posix()}
    assert names == {"photo", "a"}
    assert not any("b-later" in p.name or "shenfenzheng" in p.name for p in (root / "output").rglob("*"))
    check = cli("check", "--source", root)
    assert check.code == 0, check.err
    assert ("content/cases/yishi/index.md:6: 警告：未使用的图片“b-later.jpg”：没有写进 photos:，也没有用在正文里，不会发布"
            in check.err)
    assert "未使用的图片“身份证.jpg”" in check.err and "未使用的图片“a-first.png”" not in check.err


def test_unlisted_photos_are_published_in_the_gallery_in_file_name_order_when_the_site_asks(cli, make_site):
    root = make_site(photo_case(unlisted=tuple(UNLISTED), **UNLISTED),
                     site_yaml=WIDTHS_YAML + "  publish_unlisted: true\n")
    assert build(cli, root).code == 0
    html = page(root)
    order = re.findall(r'<img src="/cases/yishi/([a-z0-9-]+?)-\d+w\.', html)
    assert order[-5:] == ["photo-1", "photo-2", "a-first", "b-later", "shenfenzheng"]


def test_a_broken_unlisted_photo_is_a_warning_and_is_left_out(cli, make_site):
    root = make_site(photo_case(unlisted=("坏.jpg",), **{"坏.jpg": b"not a picture"}),
                     site_yaml=WIDTHS_YAML + "  publish_unlisted: true\n")
    result = build(cli, root)
    assert result.code == 0, result.err
    assert result.err.startswith("content/cases/yishi/坏.jpg: 警告：图片已损坏或格式不支持（不是图片文件，或是不支持的图片格式）")
    assert "huai" not in " ".join(p.name for p in output_images(root))
    quiet = make_site(photo_case(unlisted=("坏.jpg",), **{"坏.jpg": b"not a picture"}), site_yaml=WIDTHS_YAML,
                      name="default")
    result = build(cli, quiet)
    assert (result.code, result.err) == (0, "")                # not chosen: not even opened


def test_chinese_and_spaced_file_names_get_distinct_ascii_output_names(cli, make_site):
    root = make_site(photo_case(**{"照片 1.jpg": jpeg_bytes((300, 200), color=(10, 10, 10)),
                                   "照片-1.jpg": jpeg_bytes((300, 200), color=(200, 200, 200))}),
                     site_yaml=WIDTHS_YAML)
    assert build(cli, root).code == 0
    names = [p.name for p in output_images(root) if p.name.startswith("zhaopian-1-240w")]
    assert len(names) == 4 and len({n.split(".")[1] for n in names}) == 2
    assert all(p.relative_to(root).as_posix().isascii() for p in output_images(root))


def test_share_card_for_the_cover_and_the_default_for_pages_without_photos(cli, site):
    assert build(cli, site).code == 0
    card = re.search(r'<meta property="og:image" content="/cases/yishi/(photo-1-share\.[0-9a-f]{10}\.jpg)">', page(site))
    assert card and (site / "output/cases/yishi" / card.group(1)).is_file()
    assert '<meta property="og:image" content="/static/share-default.jpg">' in page(site, "sites/xizhai-cun/")


def test_a_configured_share_image_is_made_into_a_clean_card(cli, make_site):
    yaml = WIDTHS_YAML + "  share_image: 分享图.jpg\n"
    root = make_site({**photo_case(), "分享图.jpg": jpeg_bytes((2000, 1000), extras=True)}, site_yaml=yaml)
    assert build(cli, root).code == 0
    card = re.search(r'<meta property="og:image" content="/(static/site-share\.[0-9a-f]{10}\.jpg)">', page(root, "sites/xizhai-cun/"))
    assert card, page(root, "sites/xizhai-cun/")[:1500]
    data = (root / "output" / card.group(1)).read_bytes()
    assert Image.open(io.BytesIO(data)).size == (1200, 630) and metadata_in(data) == []


def test_a_missing_share_image_is_reported(cli, make_site):
    root = make_site(photo_case(), site_yaml=WIDTHS_YAML + "  share_image: static/share.jpg\n")
    result = build(cli, root)
    assert result.code == 1
    assert "site.yaml: images.share_image 设置的分享图片 static/share.jpg 不存在" in result.err


def test_published_originals_are_stripped_but_keep_their_turn(cli, make_site):
    root = make_site(photo_case(**{"photo-2.jpg": jpeg_bytes((600, 450), orientation=6, extras=True)}),
                     site_yaml=WIDTHS_YAML + "  publish_originals: true\n")
    assert build(cli, root).code == 0
    original = next((root / "output/cases/yishi").glob("photo-2-original.*.jpg"))
    data = original.read_bytes()
    assert exif_tags(data) == {0x0112: 6}
    assert Image.open(io.BytesIO(data)).size == (600, 450)
    assert f'<a class="photo-original" href="/cases/yishi/{original.name}">' in page(root)


def test_originals_are_not_published_unless_asked(cli, site):
    assert build(cli, site).code == 0
    assert not list((site / "output").rglob("*original*"))


def test_a_heic_photo_is_published_as_jpeg_and_webp(cli, make_site):
    data = heic_bytes((300, 400))
    if data is None:
        pytest.skip("pillow-heif is not installed")
    root = make_site(photo_case(**{"iphone.heic": data}), site_yaml=WIDTHS_YAML)
    assert build(cli, root).code == 0
    made = sorted(p.name.split(".")[0] for p in (root / "output/cases/yishi").glob("iphone-*"))
    assert made == ["iphone-120w", "iphone-120w", "iphone-240w", "iphone-240w", "iphone-300w", "iphone-300w"]


# --- the cache -------------------------------------------------------------------------------

def test_a_rebuild_with_unchanged_photos_reads_and_decodes_none(cli, site, monkeypatch, no_racy_wait):
    first = build(cli, site)
    assert "图片：新处理 2 张，0 张未变" in first.out
    before = snapshot(site / "output")
    monkeypatch.setattr(images_codec, "make_files", lambda job: pytest.fail(f"made {job.source} again"))
    monkeypatch.setattr(images_cache, "file_digest", lambda path: pytest.fail(f"read {path} again"))
    again = build(cli, site)
    assert again.code == 0, again.err
    assert "图片：新处理 0 张，2 张未变（用缓存）" in again.out
    assert snapshot(site / "output") == before


def test_a_changed_photo_is_made_again_and_its_old_files_removed(cli, site, no_racy_wait):
    assert build(cli, site).code == 0
    old = {p.name for p in output_images(site)}
    (site / "content/cases/yishi/photo-1.jpg").write_bytes(jpeg_bytes((600, 450), color=(10, 200, 10)))
    result = build(cli, site)
    assert "图片：新处理 1 张，1 张未变" in result.out
    new = {p.name for p in output_images(site)}
    assert {n for n in old - new if n.startswith("photo-1")} and not {n for n in old - new if n.startswith("photo-2")}


def test_a_changed_quality_makes_every_photo_again_and_prunes_the_old_cache(cli, site):
    assert build(cli, site).code == 0
    cache = site / ".cache/images"
    old = {p.name for p in cache.iterdir()}
    (site / "site.yaml").write_text(WIDTHS_YAML.replace("quality: 80", "quality: 60"), encoding="utf-8")
    result = build(cli, site)
    assert "图片：新处理 2 张，0 张未变" in result.out
    left = {p.name for p in cache.iterdir()}
    assert not old & left, "entries for the old quality are pruned"
    share = [n for n in left if n.endswith("-share.jpg")]
    assert len(share) == 1


def test_a_damaged_cache_entry_is_made_again(cli, site, no_racy_wait):
    assert build(cli, site).code == 0
    victim = next(p for p in (site / ".cache/images").glob("*-480.jpg"))
    victim.write_bytes(victim.read_bytes()[:200])
    result = build(cli, site)
    assert result.code == 0 and "图片：新处理 1 张，1 张未变" in result.out
    served = next((site / "output/cases/yishi").glob("*-480w.*.jpg"), None)
    for path in (site / "output/cases/yishi").glob("*-480w.*.jpg"):
        Image.open(path).load()                           # whole again
    assert served is not None


def test_the_cache_is_not_pruned_by_a_failed_build(cli, site):
    assert build(cli, site).code == 0
    cache = {p.name for p in (site / ".cache/images").iterdir()}
    (site / "site.yaml").write_text(WIDTHS_YAML.replace("quality: 80", "quality: 60") + "titel: x\n", encoding="utf-8")
    assert build(cli, site).code == 1
    assert cache <= {p.name for p in (site / ".cache/images").iterdir()}


# --- broken photos ---------------------------------------------------------------------------

@pytest.mark.parametrize("data, detail", [
    (b"", "文件是空的，0 字节"),
    ("不是图片".encode("utf-8"), "不是图片文件，或是不支持的图片格式"),
    (jpeg_bytes((600, 450))[:3000], "文件不完整，可能没有传完或下载中断"),
], ids=["empty", "text", "truncated"])
def test_a_broken_photo_is_a_problem_naming_the_file(cli, make_site, data, detail):
    root = make_site(photo_case(**{"坏照片.jpg": data}), site_yaml=WIDTHS_YAML)
    result = build(cli, root)
    assert result.code == 1
    assert f"content/cases/yishi/坏照片.jpg: 图片已损坏或格式不支持（{detail}）" in result.err
    assert "构建失败：1 个问题" in result.err
    assert "Traceback" not in result.err


def test_a_broken_photo_in_english(cli, make_site):
    root = make_site(photo_case(**{"x.jpg": b""}), site_yaml=WIDTHS_YAML)
    result = build(cli, root, "--lang", "en")
    assert "content/cases/yishi/x.jpg: the image is damaged or not in a supported format (the file is empty, 0 bytes)" in result.err


def test_a_broken_photo_and_a_yaml_error_are_reported_together_and_the_old_output_stays(cli, site):
    assert build(cli, site).code == 0
    before = snapshot(site / "output")
    (site / "content/cases/yishi/坏.jpg").write_text("hello", encoding="utf-8")
    index = site / "content/cases/yishi/index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("议事平台。", "议事平台。\n\n![](坏.jpg)"), encoding="utf-8")
    (site / "content/cases/other").mkdir()
    (site / "content/cases/other/index.md").write_text("---\ntitle: [broken\n---\n\nText.\n", encoding="utf-8")
    result = build(cli, site)
    assert result.code == 1
    assert "content/cases/yishi/坏.jpg: 图片已损坏或格式不支持（不是图片文件，或是不支持的图片格式）" in result.err
    assert "content/cases/other/index.md:2" in result.err
    assert "构建失败：2 个问题" in result.err
    assert snapshot(site / "output") == before


# --- progress --------------------------------------------------------------------------------

class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_one_updating_line_in_a_terminal():
    out = _Terminal()
    ticks = iter([0.0, 10.0, 20.0])
    progress = PhotoProgress(Console(out=out, err=io.StringIO()), clock=lambda: next(ticks))
    progress(0, 4)
    progress(1, 4)
    progress(2, 4)
    progress(4, 4)
    text = out.getvalue()
    assert text.split("\r")[1:4] == ["处理图片 0/4", "处理图片 1/4，预计还需 30 秒", "处理图片 2/4，预计还需 20 秒"]
    assert text.endswith("\r") and "\n" not in text


@pytest.mark.parametrize("out, quiet, total", [(io.StringIO(), False, 50), (_Terminal(), True, 50), (_Terminal(), False, 2)])
def test_no_progress_line_in_a_pipe_with_q_or_for_few_photos(out, quiet, total):
    progress = PhotoProgress(Console(out=out, err=io.StringIO(), quiet=quiet))
    for done in range(total + 1):
        progress(done, total)
    assert out.getvalue() == ""


def test_a_quiet_build_prints_one_line_for_new_photos_and_nothing_when_none_are_new(cli, site):
    first = build(cli, site, "-q")
    assert first.code == 0 and first.out == "图片：新处理 2 张，0 张未变（用缓存），用时 " + first.out.split("用时 ")[1]
    assert first.out.count("\n") == 1
    again = build(cli, site, "-q")
    assert again.code == 0 and again.out == ""
