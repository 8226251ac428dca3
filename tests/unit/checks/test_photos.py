"""The photo checks of `showcase check`, on real phone-like JPEGs with EXIF: the displayed size
after the orientation, captions from front matter or the body, and the size limits."""
from __future__ import annotations

import io
import struct
import warnings

import pytest
from conftest import SITE_YAML, case_md
from PIL import Image
from photos import jpeg_bytes, png_bytes, truncated_jpeg

from builder.checks.photos import check_photos, image_size
from builder.config import load_config
from builder.content.load import load_content
from builder.content.markdown import MarkdownCache

SMALL_WIDTHS = SITE_YAML + "images:\n  widths: [320, 640]\n"


def checked(root, lang="zh"):
    """Every photo problem of every case, printed as `showcase check` prints it."""
    site, problems = load_config(root)
    content, problems = load_content(root, site, MarkdownCache(None), workers=1)
    assert problems == []
    found = [p for case in content.cases for p in check_photos(root, case.doc, site)]
    return [p.format(lang) for p in found]


def without_exif(data: bytes) -> bytes:
    buffer = io.BytesIO()
    Image.open(io.BytesIO(data)).save(buffer, "JPEG")
    return buffer.getvalue()


def with_damaged_exif(data: bytes) -> bytes:
    junk = b"Exif\0\0II*\0\xff\xff\xff\x7f" + b"\x01" * 20
    return data[:2] + b"\xff\xe1" + struct.pack(">H", len(junk) + 2) + junk + data[2:]


# --- the displayed size ----------------------------------------------------------------------------

@pytest.mark.parametrize("orientation, size", [(1, (400, 300)), (2, (400, 300)), (3, (400, 300)), (4, (400, 300)),
                                               (5, (300, 400)), (6, (300, 400)), (7, (300, 400)), (8, (300, 400))])
def test_a_phone_photo_is_measured_the_way_it_is_shown_after_its_exif_orientation(tmp_path, orientation, size):
    path = tmp_path / "photo.jpg"
    path.write_bytes(jpeg_bytes((400, 300), orientation=orientation))
    assert image_size(path) == size


@pytest.mark.parametrize("data, size", [
    (without_exif(jpeg_bytes((400, 300))), (400, 300)),
    (with_damaged_exif(without_exif(jpeg_bytes((400, 300)))), (400, 300)),
    (png_bytes("RGBA", (240, 180)), (240, 180)),
    (truncated_jpeg(), (800, 600)),             # the header is whole: the size is known
    (b"not a picture at all", None),
    (b"", None),
])
def test_pictures_without_exif_with_damaged_exif_or_damaged_pixels_are_measured_or_skipped(tmp_path, data, size):
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")         # Pillow warns about the damaged EXIF it reads past
        assert image_size(path) == size


def test_a_missing_file_has_no_size(tmp_path):
    assert image_size(tmp_path / "gone.jpg") is None


# --- captions ----------------------------------------------------------------------------------------

def test_photos_without_a_caption_are_named_with_the_line_that_lists_them(make_site):
    front = "\n  - src: a.jpg\n    caption: 议事会现场\n  - src: b.jpg\n  - c.jpg"
    root = make_site({"content/cases/yishi/index.md": case_md(photos=front),
                      **{f"content/cases/yishi/{n}.jpg": jpeg_bytes((800, 600)) for n in "abcd"}}, site_yaml=SMALL_WIDTHS)
    assert checked(root) == [
        "content/cases/yishi/index.md:6: 警告：未使用的图片“d.jpg”：没有写进 photos:，也没有用在正文里，不会发布\n"
        "    提示：要发布这张图片，在信息头的 photos: 下加一行 - src: d.jpg（再加一行 caption: 写上说明）；不需要就把它移出这个文件夹。",
        "content/cases/yishi/index.md:9: 警告：照片“b.jpg”没有说明文字\n"
        "    提示：在 photos: 中这张照片下面加一行 caption: 写明照片内容，例如 caption: 村民议事会现场。",
        "content/cases/yishi/index.md:10: 警告：照片“c.jpg”没有说明文字\n"
        "    提示：在 photos: 中这张照片下面加一行 caption: 写明照片内容，例如 caption: 村民议事会现场。"]


def test_an_unused_photo_is_named_at_the_end_of_the_front_matter_when_there_is_no_photos_list(make_site):
    root = make_site({"content/cases/yishi/index.md": case_md(),
                      "content/cases/yishi/手机照片 1.jpg": jpeg_bytes((800, 600))}, site_yaml=SMALL_WIDTHS)
    assert checked(root, "en") == [
        "content/cases/yishi/index.md:6: warning: unused picture '手机照片 1.jpg': it is neither in photos: nor in the text, "
        "so it is not published\n"
        "    hint: to publish it, add a line - src: 手机照片 1.jpg under photos: in the front matter (and a line caption: "
        "with its caption); if it is not needed, move it out of the folder."]


def test_a_photo_captioned_in_the_body_or_given_alt_text_needs_no_caption_in_front_matter(make_site):
    body = "## 基本情况\n\n![群众议事会](a.jpg)\n\n图文并排：<img src=\"b.jpg\" alt=\"调解室\">\n\n![](c.jpg)\n"
    root = make_site({"content/cases/yishi/index.md": case_md(body=body),
                      **{f"content/cases/yishi/{n}.jpg": jpeg_bytes((800, 600)) for n in "abc"}}, site_yaml=SMALL_WIDTHS)
    assert checked(root, "en") == [
        "content/cases/yishi/index.md: warning: the photo 'c.jpg' in the folder is not listed in photos:, so it has no caption\n"
        "    hint: add '- src: c.jpg' and 'caption: …' under photos:, or move the photo out of the folder."]


# --- sizes -------------------------------------------------------------------------------------------

def test_a_photo_narrower_than_the_widest_rendition_is_a_warning_measured_as_shown(make_site):
    front = "\n  - {src: wide.jpg, caption: 横拍}\n  - {src: turned.jpg, caption: 竖拍}\n  - {src: narrow.jpg, caption: 小图}"
    root = make_site({"content/cases/yishi/index.md": case_md(photos=front),
                      "content/cases/yishi/wide.jpg": jpeg_bytes((800, 600)),
                      "content/cases/yishi/turned.jpg": jpeg_bytes((800, 600), orientation=6),     # shown 600 wide
                      "content/cases/yishi/narrow.jpg": jpeg_bytes((300, 200))}, site_yaml=SMALL_WIDTHS)
    assert checked(root) == [
        "content/cases/yishi/index.md:8: 警告：照片“turned.jpg”只有 600×800 像素，比网站最大的显示宽度 640 像素小，在大屏幕上会发虚\n"
        "    提示：如有原图，请换用原图（手机拍摄的原始照片一般足够大）；没有原图可以忽略这条警告。",
        "content/cases/yishi/index.md:9: 警告：照片“narrow.jpg”只有 300×200 像素，比网站最大的显示宽度 640 像素小，在大屏幕上会发虚\n"
        "    提示：如有原图，请换用原图（手机拍摄的原始照片一般足够大）；没有原图可以忽略这条警告。"]


def test_an_original_over_the_limit_is_an_error_with_its_size_in_megabytes(make_site):
    photo = jpeg_bytes((800, 600))
    padded = photo + b"\0" * (3 * 1024 * 1024 - len(photo) + 200_000)            # 3.2 MB; decoders ignore the tail
    yaml_text = SMALL_WIDTHS + "review:\n  max_photo_mb: 2.5\n"
    root = make_site({"content/cases/yishi/index.md": case_md(photos="\n  - {src: big.jpg, caption: 现场}"),
                      "content/cases/yishi/big.jpg": padded}, site_yaml=yaml_text)
    assert checked(root) == [
        "content/cases/yishi/index.md:7: 照片“big.jpg”有 3.2 MB，超过了 2.5 MB 的上限\n"
        "    提示：请用手机相册的“编辑/导出”或电脑上的画图工具另存一份较小的图片（长边 3000 像素左右即可）替换它。"
        "上限可在 site.yaml 的 review: max_photo_mb: 中修改。"]
    assert checked(root, "en")[0].split("\n")[0] == "content/cases/yishi/index.md:7: photo 'big.jpg' is 3.2 MB, more than the 2.5 MB limit"


def test_a_photo_within_the_limits_and_wide_enough_has_nothing_to_say(make_site):
    root = make_site({"content/cases/yishi/index.md": case_md(photos="\n  - {src: a.jpg, caption: 现场}"),
                      "content/cases/yishi/a.jpg": jpeg_bytes((800, 600))}, site_yaml=SMALL_WIDTHS)
    assert checked(root) == []


def test_a_picture_pillow_cannot_read_is_left_to_the_build_to_report(make_site):
    root = make_site({"content/cases/yishi/index.md": case_md(photos="\n  - {src: a.jpg, caption: 现场}"),
                      "content/cases/yishi/a.jpg": b"not a picture"}, site_yaml=SMALL_WIDTHS)
    assert checked(root) == []
