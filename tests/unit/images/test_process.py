"""The photo pipeline's parts: geometry, cache keys and entries, the digest memo, decoding every
kind of file to upright sRGB, clean outputs, stripped originals, and the worker pool."""
from __future__ import annotations

import io
import json
import multiprocessing
import os
import time
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from builder.images import cache as images_cache
from builder.images.process import estimate_memory, output_stem, run_jobs
from builder.images.cache import (ORIGINAL, RENDITIONS, SHARE, DigestMemo, Job, Params, entry_key, prune_cache,
                                  read_entry)
from builder.errors import Problem
from builder.i18n import Phrase
from builder.images.codec import BrokenImage, decode, make_files, strip_jpeg, strip_png
from builder.images.geometry import (covers_share_card, displayed_size, draft_request, draft_scale, fit_width,
                                     needed_scale, rendition_widths, transpose_for)
from photos import (RED, cmyk_jpeg_bytes, exif_tags, heic_bytes, image_bytes, jpeg_bytes, marked_image,
                    metadata_in, png16_rgb_bytes, png_bytes, swapped_primaries_icc, truncated_jpeg)

SMALL = Params(widths=(60, 120, 240), quality=80, webp_quality=75)


def near(color, expected, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(color, expected))


def pixel(image: Image.Image, fx: float, fy: float):
    return image.convert("RGB").getpixel((int((image.width - 1) * fx), int((image.height - 1) * fy)))


# --- geometry --------------------------------------------------------------------------------

@pytest.mark.parametrize("size, target, expected", [
    ((4000, 3000), 1600, (1600, 1200)),
    ((3000, 4000), 960, (960, 1280)),
    ((4000, 3000), 480, (480, 360)),
    ((1001, 3), 480, (480, 1)),
    ((1000, 1), 10, (10, 1)),                 # never 0 pixels high
])
def test_fit_width_scales_to_the_width_keeping_the_shape(size, target, expected):
    assert fit_width(size, target) == expected


@pytest.mark.parametrize("target", [800, 801, 5000])
def test_fit_width_never_upscales(target):
    assert fit_width((800, 600), target) == (800, 600)


@pytest.mark.parametrize("width, expected", [
    (4000, (480, 960, 1600)),
    (1600, (480, 960, 1600)),
    (1200, (480, 960, 1200)),     # its own width stands in for the 1600 it cannot reach
    (1000, (480, 960)),           # 1000 is within 10% of 960: not worth another file
    (600, (480, 600)),
    (480, (480,)),
    (300, (300,)),                # narrower than the smallest width: one rendition, its own size
])
def test_rendition_widths_are_the_configured_ones_the_photo_can_fill(width, expected):
    assert rendition_widths(width, (1600, 480, 960)) == expected


@pytest.mark.parametrize("orientation, turned, method", [
    (1, False, None), (2, False, 0), (3, False, 3), (4, False, 1),
    (5, True, 5), (6, True, 4), (7, True, 6), (8, True, 2),
    (0, False, None), (9, False, None), ("6", False, None), (None, False, None),
])
def test_orientation_maps_to_pillow_transpose_and_swaps_sides_for_5_to_8(orientation, turned, method):
    assert transpose_for(orientation) == method
    assert displayed_size((4000, 3000), orientation) == ((3000, 4000) if turned else (4000, 3000))


def test_transpose_values_match_pillows_own_exif_transpose():
    for orientation in range(1, 9):
        image = marked_image((40, 30))
        exif = Image.Exif()
        exif[0x0112] = orientation
        tagged = Image.open(io.BytesIO(image_bytes(image, "PNG", exif=exif)))
        expected = ImageOps.exif_transpose(tagged).tobytes()
        method = transpose_for(orientation)
        mine = image if method is None else image.transpose(Image.Transpose(method))
        assert mine.tobytes() == expected, orientation


@pytest.mark.parametrize("stored, orientation, max_width, share, scale", [
    ((4000, 3000), 1, 1600, True, 2),       # 2000x1500 is enough for 1600 and the card
    ((4000, 3000), 1, 480, False, 8),       # 500x375 for a 480 thumbnail
    ((4000, 3000), 6, 1600, False, 1),      # portrait: 1600 wide needs 1600 of the 3000 stored rows
    ((4000, 3000), 6, 960, True, 2),
    ((8160, 6120), 1, 1600, True, 4),       # 50 megapixels: decoded at 2040x1530
    ((1200, 900), 1, 1600, False, 1),
])
def test_draft_request_decodes_no_bigger_than_the_outputs_need(stored, orientation, max_width, share, scale):
    request = draft_request(stored, orientation, max_width, share)
    assert draft_scale(stored, request) == scale
    decoded = displayed_size((-(-stored[0] // scale), -(-stored[1] // scale)), orientation)
    assert decoded[0] >= min(max_width, displayed_size(stored, orientation)[0])


def test_share_card_of_a_panorama_needs_its_height():
    assert needed_scale((8000, 1000), 480, share=True) == pytest.approx(0.63)
    assert needed_scale((8000, 1000), 480, share=False) == pytest.approx(0.06)


@pytest.mark.parametrize("size, covers", [
    ((1600, 1200), True), ((1200, 630), True), ((1199, 900), False), ((2400, 629), False), ((4000, 630), True)])
def test_covers_share_card(size, covers):
    assert covers_share_card(size) is covers


def test_full_decode_when_asked():
    assert draft_request((4000, 3000), 1, 480, False, full=True) == (4000, 3000)


@pytest.mark.parametrize("name, stem", [
    ("照片 1.jpg", "zhaopian-1"),
    ("照片-1.jpg", "zhaopian-1"),
    ("IMG_2024 05 01.JPG", "img-2024-05-01"),
    ("西翟村议事会.heic", "xizhaicunyishihui"),
    ("。。。.jpg", "photo"),
    ("a" * 80 + ".jpg", "a" * 48),
])
def test_output_stem_is_ascii(name, stem):
    assert output_stem(name) == stem
    assert output_stem(name).isascii()


# --- cache keys and entries ------------------------------------------------------------------

def test_entry_key_changes_with_every_parameter_that_changes_the_output():
    base = entry_key(RENDITIONS, "d" * 64, SMALL)
    assert len(base) == 24 and base == entry_key(RENDITIONS, "d" * 64, SMALL)
    variants = [entry_key(RENDITIONS, "e" * 64, SMALL),
                entry_key(RENDITIONS, "d" * 64, Params((60, 120), 80, 75)),
                entry_key(RENDITIONS, "d" * 64, Params(SMALL.widths, 81, 75)),
                entry_key(RENDITIONS, "d" * 64, Params(SMALL.widths, 80, 76)),
                entry_key(SHARE, "d" * 64, SMALL), entry_key(ORIGINAL, "d" * 64, SMALL)]
    assert len({base, *variants}) == 7


def test_share_and_original_keys_ignore_settings_they_do_not_use():
    other_widths = Params((100, 200), 80, 50)
    assert entry_key(SHARE, "d", SMALL) == entry_key(SHARE, "d", other_widths)
    assert entry_key(ORIGINAL, "d", SMALL) == entry_key(ORIGINAL, "d", Params((1,), 30, 30))


@pytest.fixture
def made(tmp_path: Path):
    """One photo made into its renditions in a cache folder: (cache_dir, Made)."""
    source = tmp_path / "photo.jpg"
    source.write_bytes(jpeg_bytes((400, 300), extras=True))
    cache = tmp_path / "cache"
    job = Job(source, images_cache.file_digest(source), SMALL, (RENDITIONS, SHARE), cache)
    return cache, make_files(job)


def test_a_made_entry_reads_back_from_the_cache(made):
    cache, result = made
    assert result.error is None
    for entry in result.entries:
        assert read_entry(cache, entry.key, entry.product) == entry


@pytest.mark.parametrize("damage", ["truncate", "delete", "meta-garbage", "meta-empty", "meta-version", "meta-foreign-name"])
def test_a_damaged_cache_entry_is_not_a_hit(made, damage):
    cache, result = made
    entry = next(e for e in result.entries if e.product == RENDITIONS)
    meta = cache / f"{entry.key}.json"
    first = cache / entry.files[0].name
    if damage == "truncate":
        first.write_bytes(first.read_bytes()[:100])
    elif damage == "delete":
        first.unlink()
    elif damage == "meta-garbage":
        meta.write_bytes(b"\x00{not json")
    elif damage == "meta-empty":
        meta.write_text("", encoding="utf-8")
    elif damage == "meta-version":
        version = images_cache.PIPELINE_VERSION
        meta.write_text(meta.read_text(encoding="utf-8").replace(f'"version": {version}', f'"version": {version - 1}'),
                        encoding="utf-8")
    else:
        data = json.loads(meta.read_text(encoding="utf-8"))
        data["files"][0][0] = "../../etc/passwd"
        meta.write_text(json.dumps(data), encoding="utf-8")
    assert read_entry(cache, entry.key, RENDITIONS) is None


def test_prune_removes_entries_not_in_use_and_spares_new_files(made):
    cache, result = made
    renditions, share = (next(e for e in result.entries if e.product == p) for p in (RENDITIONS, SHARE))
    (cache / "notes.txt").write_text("mine", encoding="utf-8")
    removed = prune_cache(cache, frozenset({renditions.key}), older_than=time.time() + 5)
    assert removed == 2                                      # the share card and its meta
    assert read_entry(cache, renditions.key, RENDITIONS) is not None
    assert not list(cache.glob(f"{share.key}*"))
    assert (cache / "notes.txt").is_file()                   # not a cache entry: never touched
    assert prune_cache(cache, frozenset(), older_than=time.time() - 60) == 0   # made after "build start"


def test_digest_memo_reads_an_unchanged_photo_only_once(tmp_path, monkeypatch):
    monkeypatch.setattr(images_cache, "RACY_NS", 0)
    photo = tmp_path / "a.jpg"
    photo.write_bytes(b"first")
    memo_file = tmp_path / "memo.json"
    memo = DigestMemo(memo_file)
    digest = memo.digest("a.jpg", photo)
    memo.save()
    again = DigestMemo(memo_file)
    monkeypatch.setattr(images_cache, "file_digest", lambda path: pytest.fail("read an unchanged photo"))
    assert again.digest("a.jpg", photo) == digest


def test_digest_memo_reads_a_changed_photo_again(tmp_path, monkeypatch):
    monkeypatch.setattr(images_cache, "RACY_NS", 0)
    photo = tmp_path / "a.jpg"
    photo.write_bytes(b"first")
    memo = DigestMemo(tmp_path / "memo.json")
    first = memo.digest("a.jpg", photo)
    memo.save()
    stat = photo.stat()
    photo.write_bytes(b"other")                                  # same size…
    os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns))     # …and the same mtime
    assert DigestMemo(tmp_path / "memo.json").digest("a.jpg", photo) != first   # the ctime gave it away


def test_digest_memo_does_not_trust_a_photo_changed_just_now(tmp_path):
    photo = tmp_path / "a.jpg"
    photo.write_bytes(b"first")
    memo = DigestMemo(tmp_path / "memo.json")
    memo.digest("a.jpg", photo)
    memo.save()
    assert DigestMemo(tmp_path / "memo.json").old == {}


def test_a_damaged_digest_memo_is_ignored(tmp_path):
    (tmp_path / "memo.json").write_text("{[", encoding="utf-8")
    photo = tmp_path / "a.jpg"
    photo.write_bytes(b"x")
    assert DigestMemo(tmp_path / "memo.json").digest("a.jpg", photo) == images_cache.bytes_digest(b"x")



@pytest.mark.parametrize("files", [[], "a.jpg", 5, None])
def test_a_digest_memo_whose_files_are_not_a_mapping_is_ignored_not_a_crash(tmp_path, files):
    memo_file = tmp_path / "memo.json"
    memo_file.write_text(json.dumps({"version": images_cache.PIPELINE_VERSION, "files": files}), encoding="utf-8")
    photo = tmp_path / "a.jpg"
    photo.write_bytes(b"x")
    assert DigestMemo(memo_file).digest("a.jpg", photo) == images_cache.bytes_digest(b"x")


# --- decoding --------------------------------------------------------------------------------

@pytest.mark.parametrize("orientation, size, red_at", [
    (1, (240, 180), (0.05, 0.05)),
    (3, (240, 180), (0.95, 0.95)),          # turned half round: the red corner is bottom right
    (6, (180, 240), (0.95, 0.05)),          # turned right: top right, and portrait
    (8, (180, 240), (0.05, 0.95)),          # turned left: bottom left, and portrait
])
def test_exif_orientation_is_applied(orientation, size, red_at):
    image, displayed = decode(jpeg_bytes((240, 180), orientation=orientation), 480)
    assert displayed == size and image.size == size
    assert near(pixel(image, *red_at), RED)


def test_decode_uses_jpeg_draft_mode_for_small_targets():
    image, displayed = decode(jpeg_bytes((2000, 1500)), 480)
    assert displayed == (2000, 1500)
    assert image.size == (500, 375)              # decoded at 1/4 in the DCT domain


@pytest.mark.parametrize("kind, left, right", [
    ("RGBA", RED, (255, 255, 255)),              # transparent half flattened onto white
    ("LA", (80, 80, 80), (255, 255, 255)),
    ("P", RED, (70, 120, 180)),
    ("P-transparent", RED, (255, 255, 255)),
    ("I;16", (155, 155, 155), (155, 155, 155)),  # 40000 of 65535 scaled, not clipped to white
    ("L", (80, 80, 80), (112, 112, 112)),
])
def test_png_modes_become_rgb(kind, left, right):
    image, _ = decode(png_bytes(kind), 480)
    assert image.mode == "RGB" and image.info == {}
    assert near(pixel(image, 0.02, 0.02), left, 12)
    assert near(pixel(image, 0.98, 0.98), right, 12)


def test_16_bit_rgb_png_keeps_its_colours():
    image, _ = decode(png16_rgb_bytes(), 480)
    assert near(image.getpixel((1, 1)), (255, 128, 0), 2)


def test_cmyk_jpeg_becomes_rgb():
    image, _ = decode(cmyk_jpeg_bytes(), 480)
    assert image.mode == "RGB"
    assert near(pixel(image, 0.1, 0.5), (255, 0, 0))
    assert near(pixel(image, 0.9, 0.5), (255, 255, 255), 8)


def test_an_embedded_icc_profile_is_honoured():
    data = image_bytes(Image.new("RGB", (64, 64), (255, 0, 0)), "JPEG", quality=95, icc_profile=swapped_primaries_icc())
    image, _ = decode(data, 480)
    assert near(image.getpixel((32, 32)), (0, 255, 0)), "the profile says this red is really green"


def test_a_damaged_icc_profile_is_ignored():
    data = image_bytes(Image.new("RGB", (64, 64), (255, 0, 0)), "JPEG", quality=95, icc_profile=b"not a profile")
    image, _ = decode(data, 480)
    assert near(image.getpixel((32, 32)), (255, 0, 0))


@pytest.mark.parametrize("fmt, options", [("GIF", {}), ("TIFF", {}), ("BMP", {}), ("WEBP", {"quality": 90}), ("PNG", {})])
def test_other_formats_decode(fmt, options):
    image, displayed = decode(image_bytes(marked_image((120, 90)), fmt, **options), 480)
    assert displayed == (120, 90) and image.mode == "RGB"
    assert near(pixel(image, 0.05, 0.05), RED, 60)


def test_heic_from_an_iphone_decodes_upright():
    data = heic_bytes((300, 400))
    if data is None:
        pytest.skip("pillow-heif is not installed")
    image, displayed = decode(data, 480)
    assert displayed == (300, 400) and image.size == (300, 400)
    assert near(pixel(image, 0.05, 0.05), RED, 60)


@pytest.mark.parametrize("data, zh, en", [
    (b"", "文件是空的，0 字节", "the file is empty, 0 bytes"),
    ("这不是图片\n".encode("utf-8"), "不是图片文件，或是不支持的图片格式", "not an image file, or an unsupported format"),
    (truncated_jpeg(), "文件不完整，可能没有传完或下载中断", "the file is incomplete (cut off)"),
    (png_bytes("RGB")[:-60], "文件不完整，可能没有传完或下载中断", "the file is incomplete (cut off)"),
], ids=["empty", "text", "truncated-jpeg", "truncated-png"])
def test_broken_files_are_explained(data, zh, en):
    with pytest.raises(BrokenImage) as caught:
        decode(data, 480)
    problem = Problem("photo.jpg", None, "image_broken", {"detail": caught.value.why})
    assert f"（{zh}）" in problem.message("zh") and f"({en})" in problem.message("en")


def test_a_broken_photo_makes_an_error_not_an_exception(tmp_path):
    source = tmp_path / "photo.jpg"
    source.write_text("hello", encoding="utf-8")
    result = make_files(Job(source, "x", SMALL, (RENDITIONS,), tmp_path / "cache"))
    assert result.error == Phrase("image_not_an_image") and result.entries == ()


# --- outputs ---------------------------------------------------------------------------------

def test_every_output_file_is_free_of_metadata(made):
    cache, result = made
    files = [f for entry in result.entries for f in entry.files]
    assert {f.format for f in files} == {"jpeg", "webp"}
    for file in files:
        data = (cache / file.name).read_bytes()
        assert metadata_in(data) == [], file.name


def test_renditions_are_at_each_width_in_jpeg_and_webp(made):
    cache, result = made
    entry = next(e for e in result.entries if e.product == RENDITIONS)
    assert sorted((f.width, f.height, f.format) for f in entry.files) == [
        (60, 45, "jpeg"), (60, 45, "webp"), (120, 90, "jpeg"), (120, 90, "webp"), (240, 180, "jpeg"), (240, 180, "webp")]
    for file in entry.files:
        with Image.open(cache / file.name) as image:
            assert image.size == (file.width, file.height)
            assert image.format == file.format.upper()
            if image.format == "JPEG":
                assert image.info.get("progressive") == 1


def test_share_card_is_1200_by_630(made):
    cache, result = made
    card = next(e for e in result.entries if e.product == SHARE).files[0]
    with Image.open(cache / card.name) as image:
        assert image.size == (1200, 630) and image.format == "JPEG"


def test_a_photo_narrower_than_every_width_gets_one_rendition_at_its_size(tmp_path):
    source = tmp_path / "small.png"
    source.write_bytes(png_bytes("RGB", (50, 40)))
    result = make_files(Job(source, "x", SMALL, (RENDITIONS,), tmp_path / "cache"))
    assert sorted((f.width, f.height) for f in result.entries[0].files) == [(50, 40), (50, 40)]


# --- originals -------------------------------------------------------------------------------

def test_strip_jpeg_keeps_only_the_orientation_and_every_pixel():
    original = jpeg_bytes((240, 180), orientation=6, extras=True)
    stripped = strip_jpeg(original)
    assert exif_tags(stripped) == {0x0112: 6}
    assert [m for m in metadata_in(stripped) if not m.startswith(("APP1", "Pillow EXIF", "Pillow info exif"))] == ["APP2 (ICC)", "Pillow info icc_profile"]
    assert Image.open(io.BytesIO(stripped)).tobytes() == Image.open(io.BytesIO(original)).tobytes()


def mpo_bytes() -> bytes:
    """A phone JPEG with a second picture after it (MPO), both carrying EXIF with GPS."""
    from photos import phone_exif
    buffer = io.BytesIO()
    marked_image((800, 600)).save(buffer, "MPO", save_all=True, append_images=[marked_image((120, 90))],
                                  exif=phone_exif(6))
    return buffer.getvalue()


def test_an_mpo_decodes_in_draft_mode_like_a_jpeg():
    image, displayed = decode(mpo_bytes(), 100)
    assert displayed == (600, 800)
    assert image.size == (150, 200)                      # 1/4 size, then turned


def test_strip_jpeg_drops_an_mpo_second_picture_and_its_exif():
    stripped = strip_jpeg(mpo_bytes())
    assert stripped.count(b"Exif\x00\x00") == 1 and exif_tags(stripped) == {0x0112: 6}
    assert stripped.endswith(b"\xff\xd9") and Image.open(io.BytesIO(stripped)).size == (800, 600)


def test_strip_jpeg_without_orientation_leaves_no_exif():
    stripped = strip_jpeg(jpeg_bytes((120, 90), orientation=1))
    assert metadata_in(stripped) == []


def test_strip_png_drops_text_and_exif_but_not_pixels():
    original = png_bytes("RGBA")
    stripped = strip_png(original)
    assert metadata_in(stripped) == []
    assert Image.open(io.BytesIO(stripped)).tobytes() == Image.open(io.BytesIO(original)).tobytes()


def test_strip_png_refuses_a_turned_png():
    from photos import phone_exif
    assert strip_png(image_bytes(marked_image((40, 30)), "PNG", exif=phone_exif(6))) is None


def test_a_webp_original_is_published_as_a_clean_full_size_jpeg(tmp_path):
    from photos import phone_exif
    source = tmp_path / "a.webp"
    source.write_bytes(image_bytes(marked_image((300, 200)), "WEBP", exif=phone_exif(1)))
    result = make_files(Job(source, "x", SMALL, (ORIGINAL,), tmp_path / "cache"))
    file = result.entries[0].files[0]
    data = (tmp_path / "cache" / file.name).read_bytes()
    assert (file.format, file.width, file.height) == ("jpeg", 300, 200)
    assert metadata_in(data) == []


# --- the pool --------------------------------------------------------------------------------

def test_run_jobs_works_with_spawned_workers_and_keeps_the_order(tmp_path):
    jobs = []
    for index, width in enumerate((130, 170, 210)):
        source = tmp_path / f"p{index}.jpg"
        source.write_bytes(jpeg_bytes((width, 100)))
        jobs.append(Job(source, "x", SMALL, (RENDITIONS,), tmp_path / "cache"))
    (tmp_path / "broken.jpg").write_bytes(b"")
    jobs.insert(1, Job(tmp_path / "broken.jpg", "x", SMALL, (RENDITIONS,), tmp_path / "cache"))
    seen = []
    results = run_jobs(jobs, workers=2, progress=lambda done, total: seen.append((done, total)),
                       mp_context=multiprocessing.get_context("spawn"))
    assert [r.source for r in results] == [j.source for j in jobs]
    assert results[1].error == Phrase("image_empty")
    assert [r.entries[0].width for r in results if not r.error] == [130, 170, 210]
    assert seen[0] == (0, 4) and seen[-1] == (4, 4) and len(seen) == 5


def test_memory_estimate_counts_the_draft_decode(tmp_path):
    source = tmp_path / "big.jpg"
    source.write_bytes(jpeg_bytes((2000, 1500)))
    small = estimate_memory(Job(source, "x", Params((480,), 80, 80), (RENDITIONS,), tmp_path))
    full = estimate_memory(Job(source, "x", Params((2000,), 80, 80), (RENDITIONS,), tmp_path))
    assert small < full
    assert estimate_memory(Job(tmp_path / "missing.jpg", "x", SMALL, (RENDITIONS,), tmp_path)) > 0


def test_spawned_workers_do_not_run_the_main_script_again(tmp_path):
    """The `showcase` script imports the whole program; workers must not pay for that again."""
    import subprocess
    import sys
    marks = tmp_path / "marks.txt"
    for index in range(3):
        (tmp_path / f"p{index}.jpg").write_bytes(jpeg_bytes((100 + index, 80)))
    script = tmp_path / "showcase_like.py"
    script.write_text(
        "import os, sys\n"
        "from pathlib import Path\n"
        "with open(os.environ['MARKS'], 'a', encoding='utf-8') as f:\n"
        "    f.write(f'{os.getpid()}\\n')          # stands for importing the whole program\n"
        "from builder.images.process import run_jobs\n"
        "from builder.images.cache import Job, Params, RENDITIONS\n"
        "if __name__ == '__main__':\n"
        "    folder = Path(sys.argv[1])\n"
        "    jobs = [Job(p, 'x', Params((60,), 80, 80), (RENDITIONS,), folder / 'cache') for p in sorted(folder.glob('*.jpg'))]\n"
        "    results = run_jobs(jobs, workers=2)\n"
        "    assert all(r.entries for r in results), results\n"
        "    print(len(results))\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True,
                          env={**os.environ, "MARKS": str(marks), "PYTHONPATH": str(Path(__file__).resolve().parents[3])})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "3"
    assert len(marks.read_text(encoding="utf-8").split()) == 1


def test_the_memory_budget_lets_a_huge_photo_run_alone(monkeypatch, tmp_path):
    """With a fake pool: which jobs are in flight at each submit, and a huge one never shares."""
    import builder.images.process as stage
    from concurrent.futures import Future

    in_flight: list[Future] = []
    seen: list[list[str]] = []

    class FakePool:
        def __init__(self, max_workers, mp_context):
            assert max_workers == 4

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def submit(self, fn, job):
            future = Future()
            future.job = job
            in_flight.append(future)
            seen.append(sorted(f.job.source.name for f in in_flight))
            return future

    def finish_oldest(running, return_when):
        future = in_flight.pop(0)
        future.set_result(stage.Made(future.job.source, "x"))
        return {future}, set()

    names = ["a.jpg", "huge.png", "b.jpg", "c.jpg"]
    jobs = [Job(tmp_path / name, "x", SMALL, (RENDITIONS,), tmp_path) for name in names]
    monkeypatch.setattr(stage, "ProcessPoolExecutor", FakePool)
    monkeypatch.setattr(stage, "wait", finish_oldest)
    monkeypatch.setattr(stage, "decoded_size", lambda job: (300_000_000 if job.source.name == "huge.png" else 4_000_000, 3))
    results = stage.run_jobs(jobs, workers=4)
    assert [r.source.name for r in results] == names
    assert seen == [["a.jpg"], ["huge.png"], ["b.jpg"], ["b.jpg", "c.jpg"]]
