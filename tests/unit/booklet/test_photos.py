"""Photos for print: upright, 300 dpi of their printed size, metadata-free, made once."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from photos import exif_tags, jpeg_bytes

from builder.booklet.photos import make_print_photos, pixels, print_size
from builder.model import Document, Photo, Rendition

RENDITION = (Rendition("x.jpg", 960, 720, "jpeg"),)


@pytest.mark.parametrize("displayed, size, printed", [
    ((4000, 3000), "large", (133.3, 100.0)),      # the height limits a 4:3 photo
    ((6000, 3000), "large", (150.0, 75.0)),       # the width limits a wide one
    ((3000, 4000), "large", (75.0, 100.0)),
    ((4000, 3000), "pair", (76.0, 57.0)),
])
def test_a_photo_is_printed_as_large_as_its_box_allows_keeping_its_proportions(displayed, size, printed):
    assert print_size(displayed, size) == printed


def test_300_dpi_of_a_printed_size_in_millimetres():
    assert pixels(25.4) == 300 and pixels(150) == 1772


def case_with(tmp_path, data: bytes, width: int, height: int) -> tuple[Photo, Document]:
    folder = tmp_path / "content" / "cases" / "a"
    folder.mkdir(parents=True)
    (folder / "p.jpg").write_bytes(data)
    photo = Photo(src="content/cases/a/p.jpg", name="p.jpg", line=9, width=width, height=height, renditions=RENDITION)
    return photo, Document(source="content/cases/a/index.md", slug="a", title="甲", photos=(photo,))


def test_a_sideways_phone_photo_is_printed_upright_at_300_dpi_without_its_metadata(tmp_path):
    # Stored 3000x2250 with orientation 6 ("turned right"): seen 2250 wide and 3000 high, the
    # stored top-left red corner at the top right, as every viewer (and the site) shows it.
    photo, doc = case_with(tmp_path, jpeg_bytes((3000, 2250), orientation=6), 2250, 3000)
    made, problems = make_print_photos(tmp_path, [(photo, doc, "large")], tmp_path / "cache")
    printed = made[(photo.src, "large")]
    assert problems == []
    assert (printed.width_mm, printed.height_mm) == (75.0, 100.0)
    data = printed.path.read_bytes()
    image = Image.open(io.BytesIO(data))
    assert image.size == (pixels(75.0), pixels(100.0)) == (886, 1181)
    red, green, blue = image.convert("RGB").getpixel((image.width - 10, 10))
    assert red > 180 and green < 90 and blue < 90, "the red corner is not at the top right: the photo is not upright"
    assert exif_tags(data) == {} or set(exif_tags(data)) <= {0x0128, 0x011A, 0x011B}   # at most the resolution


def test_print_photos_are_kept_and_not_made_again(tmp_path):
    photo, doc = case_with(tmp_path, jpeg_bytes((1600, 1200)), 1600, 1200)
    made, _ = make_print_photos(tmp_path, [(photo, doc, "pair")], tmp_path / "cache")
    path = made[(photo.src, "pair")].path
    stamp = path.stat().st_mtime_ns
    again, _ = make_print_photos(tmp_path, [(photo, doc, "pair")], tmp_path / "cache")
    assert again[(photo.src, "pair")].path == path and path.stat().st_mtime_ns == stamp


def test_a_photo_with_too_few_pixels_for_print_is_a_warning_naming_it_and_the_pixels_needed(tmp_path):
    photo, doc = case_with(tmp_path, jpeg_bytes((640, 480)), 640, 480)
    made, problems = make_print_photos(tmp_path, [(photo, doc, "large")], tmp_path / "cache")
    assert (photo.src, "large") in made
    assert [p.format() for p in problems] == [
        "content/cases/a/index.md:9: 警告：照片 p.jpg 只有 640×480 像素，印成 133 毫米宽时约 122 dpi，印出来会发虚\n"
        "    提示：印刷要约 300 dpi：请换用原图（宽至少 1574 像素），例如直接从手机或相机里拷出的照片，不要用从微信里保存的图片。"]
