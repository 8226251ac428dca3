"""builder.desk.photos: an uploaded photo's name never leaves the case's folder and never takes
another file's place; only photos are taken, by what the file is; thumbnails come out upright
and without metadata."""
from __future__ import annotations

import io

import pytest
from PIL import Image
from photos import RED, jpeg_bytes, metadata_in, png_bytes

from builder.desk.photos import UploadRefused, place_upload, safe_name, thumbnail


@pytest.mark.parametrize("raw, taken, expected", [
    ("IMG_2041.jpg", [], "IMG_2041.jpg"),
    ("IMG_2041.jpg", ["IMG_2041.jpg"], "IMG_2041-2.jpg"),
    ("IMG_2041.jpg", ["img_2041.JPG", "IMG_2041-2.jpg"], "IMG_2041-3.jpg"),
    ("../../site.yaml.jpg", [], "site-yaml.jpg"),
    ("C:\\Users\\张三\\Desktop\\议事会 现场(1).jpg", [], "议事会-现场-1.jpg"),
    ("/etc/passwd.jpg", [], "passwd.jpg"),
    (".hidden.jpg", [], "hidden.jpg"),
    ("con.jpg", [], "photo-con.jpg"),
    ("....jpg", [], "photo.jpg"),
    ("a\x00b.jpg", [], "a-b.jpg"),
    ("x" * 300 + ".jpg", [], "x" * 60 + ".jpg"),
])
def test_an_uploads_name_is_one_plain_name_in_the_folder_and_never_one_already_there(raw, taken, expected):
    assert safe_name(raw, ".jpg", taken) == expected


def received(tmp_path, data: bytes):
    path = tmp_path / "upload.part"
    path.write_bytes(data)
    return path


def test_a_phone_photo_is_placed_in_the_folder_under_its_own_name(tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    data = jpeg_bytes((400, 300), orientation=6)
    assert place_upload(received(tmp_path, data), "IMG_2041.JPG", folder) == "IMG_2041.JPG"
    assert (folder / "IMG_2041.JPG").read_bytes() == data           # the original, untouched
    assert place_upload(received(tmp_path, data), "IMG_2041.JPG", folder) == "IMG_2041-2.JPG"
    assert not (tmp_path / "upload.part").exists()


def test_a_picture_named_for_another_format_gets_the_suffix_of_what_it_is(tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    assert place_upload(received(tmp_path, png_bytes("RGB")), "image.jpg", folder) == "image.png"
    assert place_upload(received(tmp_path, jpeg_bytes((40, 30))), "截图.jfif", folder) == "截图.jpg"


@pytest.mark.parametrize("data, code", [
    (b"%PDF-1.4 not a photo", "desk_upload_not_photo"),
    (b"<script>alert(1)</script>", "desk_upload_not_photo"),
    (b"", "desk_upload_empty"),
])
def test_anything_but_a_photo_is_refused_and_nothing_is_left_behind(tmp_path, data, code):
    folder = tmp_path / "case"
    folder.mkdir()
    with pytest.raises(UploadRefused) as caught:
        place_upload(received(tmp_path, data), "x.jpg", folder)
    assert caught.value.code == code
    assert list(folder.iterdir()) == [] and not (tmp_path / "upload.part").exists()


def test_a_photo_over_50_mb_is_refused(tmp_path, monkeypatch):
    import builder.desk.photos as photos
    monkeypatch.setattr(photos, "MAX_BYTES", 1000)
    folder = tmp_path / "case"
    folder.mkdir()
    with pytest.raises(UploadRefused) as caught:
        place_upload(received(tmp_path, jpeg_bytes((400, 300))), "x.jpg", folder)
    assert caught.value.code == "desk_upload_too_large"


def test_a_thumbnail_is_upright_small_and_free_of_metadata(tmp_path):
    photo = tmp_path / "IMG.jpg"
    photo.write_bytes(jpeg_bytes((1200, 900), orientation=6, extras=True))     # stored sideways
    data = thumbnail(photo, 320, tmp_path / "thumbs")
    image = Image.open(io.BytesIO(data))
    assert image.size == (320, 427)                      # portrait, as the phone was held
    red = image.convert("RGB").getpixel((image.width - 5, 5))
    assert red[0] > 180 and red[1] < 80                  # the marked corner is top right after turning
    assert metadata_in(data) == []
    assert thumbnail(photo, 320, tmp_path / "thumbs") == data and len(list((tmp_path / "thumbs").iterdir())) == 1
    _ = RED
