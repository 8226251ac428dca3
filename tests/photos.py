"""Real image files for tests, made with Pillow: phone-like JPEGs with EXIF (orientation, GPS,
camera), and the awkward kinds (CMYK, palette, 16-bit, alpha, HEIC, an ICC profile, truncated,
not an image); and `metadata_in`, which reads an output file's bytes and names any metadata."""
from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, ImageDraw

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
RED = (220, 20, 20)


def phone_exif(orientation: int = 1, gps: bool = True) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "HUAWEI"                 # Make
    exif[0x0110] = "P40"                    # Model
    exif[0x0132] = "2024:05:01 10:00:00"    # DateTime
    exif[0x0112] = orientation
    exif.get_ifd(EXIF_IFD)[0xA431] = "SERIAL-123456"   # BodySerialNumber, in the Exif IFD as on phones
    if gps:
        ifd = exif.get_ifd(GPS_IFD)
        ifd[1], ifd[2] = "N", (35.0, 35.0, 12.5)
        ifd[3], ifd[4] = "E", (110.0, 42.0, 7.25)
    return exif


XMP = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
       b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
       b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="35,35.2N"/></rdf:RDF></x:xmpmeta>'
       b'<?xpacket end="w"?>')


def marked_image(size: tuple[int, int] = (1200, 900), color=(70, 120, 180)) -> Image.Image:
    """A picture whose top-left corner is red: orientation can be checked from pixels."""
    image = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([0, 0, w // 4, h // 4], fill=RED)
    draw.ellipse([w // 3, h // 3, w // 3 * 2, h // 3 * 2], fill=(240, 220, 60))
    return image


def jpeg_bytes(size: tuple[int, int] = (1200, 900), orientation: int = 1, gps: bool = True,
               color=(70, 120, 180), quality: int = 85, extras: bool = False) -> bytes:
    """A JPEG as a phone writes it: pixels stored unrotated, EXIF saying how to turn them.
    With `extras`, also XMP (with a GPS position), an IPTC block, an ICC profile and a comment."""
    image = marked_image(size, color)
    buffer = io.BytesIO()
    options = {}
    if extras:
        from PIL import ImageCms
        options = {"xmp": XMP, "comment": b"taken at Xizhai village",
                   "icc_profile": ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()}
    image.save(buffer, "JPEG", quality=quality, exif=phone_exif(orientation, gps), **options)
    data = buffer.getvalue()
    return _with_iptc(data) if extras else data


def _with_iptc(jpeg: bytes) -> bytes:
    """Insert an APP13 Photoshop/IPTC segment (a by-line and a city) after SOI."""
    iptc = b"".join(b"\x1c\x02" + bytes([tag]) + struct.pack(">H", len(v)) + v
                    for tag, v in ((80, "王记者".encode()), (90, "Xizhai".encode())))
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc + (b"\x00" if len(iptc) % 2 else b"")
    body = b"Photoshop 3.0\x00" + resource
    return jpeg[:2] + b"\xff\xed" + struct.pack(">H", len(body) + 2) + body + jpeg[2:]


def image_bytes(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def png_bytes(mode: str, size: tuple[int, int] = (240, 180), with_text: bool = True) -> bytes:
    """A PNG in `mode` (RGB, RGBA, LA, P, P-transparent, I;16) with a tEXt chunk and EXIF."""
    from PIL import PngImagePlugin
    base = marked_image(size)
    alpha = Image.new("L", size, 0)                                  # transparent…
    alpha.paste(255, (0, 0, size[0] // 2, size[1]))                 # …but the left half
    if mode in ("RGBA", "LA"):
        image = base.convert(mode)
        image.putalpha(alpha)
    elif mode == "P":
        image = base.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    elif mode == "P-transparent":
        image = base.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
        image.info["transparency"] = image.getpixel((size[0] - 1, size[1] - 1))
    elif mode == "I;16":
        image = Image.new("I;16", size, 40000)                      # 40000/65535: a light grey
    else:
        image = base.convert(mode)
    info = PngImagePlugin.PngInfo()
    if with_text:
        info.add_text("Author", "王记者")
        info.add_text("Location", "35.58N 110.70E")
    return image_bytes(image, "PNG", pnginfo=info, exif=phone_exif(1))


def png16_rgb_bytes(size: tuple[int, int] = (64, 48), rgb16=(65535, 32768, 0)) -> bytes:
    """A 16-bit-per-channel RGB PNG, written by hand (Pillow cannot write one)."""
    row = b"\x00" + struct.pack(">HHH", *rgb16) * size[0]
    return _png(struct.pack(">IIBBBBB", size[0], size[1], 16, 2, 0, 0, 0), row * size[1])


def _png(ihdr: bytes, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def cmyk_jpeg_bytes(size: tuple[int, int] = (240, 180), icc: bytes | None = None) -> bytes:
    """A CMYK JPEG (as from a print shop): pure red ink mix on the left half, white on the right."""
    image = Image.new("CMYK", size, (0, 0, 0, 0))
    image.paste((0, 255, 255, 0), (0, 0, size[0] // 2, size[1]))
    return image_bytes(image, "JPEG", quality=95, **({"icc_profile": icc} if icc else {}))


def heic_bytes(size: tuple[int, int] = (300, 400)) -> bytes | None:
    """A HEIC as an iPhone writes it (portrait, EXIF with GPS), or None without pillow-heif."""
    try:
        import pillow_heif
    except ImportError:
        return None
    pillow_heif.register_heif_opener()
    return image_bytes(marked_image(size), "HEIF", quality=80, exif=phone_exif(1))


def truncated_jpeg() -> bytes:
    data = jpeg_bytes((800, 600))
    return data[: len(data) // 2]


def swapped_primaries_icc() -> bytes:
    """An RGB ICC profile whose red primary is sRGB's green and whose green is sRGB's red, with
    linear curves: a pure red pixel tagged with it is really green. Proves the profile is used."""
    tags = [(b"desc", _desc("showcase test: red and green swapped")),
            (b"wtpt", _xyz((0.9642, 1.0, 0.8249))),
            (b"rXYZ", _xyz((0.3851, 0.7169, 0.0971))),      # sRGB green, D50
            (b"gXYZ", _xyz((0.4361, 0.2225, 0.0139))),      # sRGB red, D50
            (b"bXYZ", _xyz((0.1431, 0.0606, 0.7141))),
            (b"rTRC", _curve()), (b"gTRC", _curve()), (b"bTRC", _curve()),
            (b"cprt", b"text\x00\x00\x00\x00public domain\x00")]
    offset = 128 + 4 + 12 * len(tags)
    table, data = [], b""
    for sig, body in tags:
        while (offset + len(data)) % 4:
            data += b"\x00"
        table.append(sig + struct.pack(">II", offset + len(data), len(body)))
        data += body
    size = offset + len(data)
    header = (struct.pack(">I", size) + b"none" + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ "
              + struct.pack(">6H", 2024, 1, 1, 0, 0, 0) + b"acsp" + b"\x00" * 4 + struct.pack(">I", 0)
              + b"\x00" * 8 + b"\x00" * 8 + struct.pack(">I", 0)
              + _s15((0.9642, 1.0, 0.8249)) + b"\x00" * 4 + b"\x00" * 16 + b"\x00" * 28)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + b"".join(table) + data


def _s15(values) -> bytes:
    return b"".join(struct.pack(">i", round(v * 65536)) for v in values)


def _xyz(values) -> bytes:
    return b"XYZ \x00\x00\x00\x00" + _s15(values)


def _curve() -> bytes:
    return b"curv\x00\x00\x00\x00" + struct.pack(">I", 0)          # no entries: identity


def _desc(text: str) -> bytes:
    ascii_ = text.encode("ascii") + b"\x00"
    return (b"desc\x00\x00\x00\x00" + struct.pack(">I", len(ascii_)) + ascii_
            + struct.pack(">II", 0, 0) + struct.pack(">HB", 0, 0) + b"\x00" * 67)


# --- reading outputs back --------------------------------------------------------------------

def metadata_in(data: bytes) -> list[str]:
    """Every kind of metadata found in an image file's bytes ([] means clean): EXIF, XMP, IPTC,
    ICC, comments, text chunks. Reads the container structure itself, not only what Pillow shows."""
    if data[:2] == b"\xff\xd8":
        found = _jpeg_metadata(data)
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        found = _webp_metadata(data)
    elif data[:8] == b"\x89PNG\r\n\x1a\n":
        found = _png_metadata(data)
    else:
        return ["unknown format"]
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        if len(image.getexif()):
            found.append(f"Pillow EXIF {dict(image.getexif())}")
        found += [f"Pillow info {key}" for key in ("exif", "xmp", "icc_profile", "comment", "photoshop", "XML:com.adobe.xmp")
                  if image.info.get(key)]
    return found


def _jpeg_metadata(data: bytes) -> list[str]:
    found, pos = [], 2
    names = {0xE1: "APP1 (EXIF/XMP)", 0xE2: "APP2 (ICC)", 0xED: "APP13 (IPTC)", 0xFE: "COM (comment)"}
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA:
            break
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        if marker in names or (0xE3 <= marker <= 0xEF):
            found.append(names.get(marker, f"APP{marker - 0xE0}"))
        pos += 2 + length
    return found


def _webp_metadata(data: bytes) -> list[str]:
    found, pos = [], 12
    while pos + 8 <= len(data):
        kind, length = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        if kind in (b"EXIF", b"XMP ", b"ICCP"):
            found.append(f"WebP {kind.decode().strip()} chunk")
        if kind == b"VP8X" and data[pos + 8] & 0b00101100:
            found.append("WebP VP8X flags for ICC/EXIF/XMP")
        pos += 8 + length + (length & 1)
    return found


def _png_metadata(data: bytes) -> list[str]:
    found, pos = [], 8
    while pos + 12 <= len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        kind = data[pos + 4:pos + 8]
        if kind in (b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME", b"iCCP"):
            found.append(f"PNG {kind.decode()} chunk")
        pos += 12 + length
    return found


def exif_tags(data: bytes) -> dict:
    """The EXIF Pillow reads from a file (for the published originals, which keep only the turn)."""
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        return {**dict(exif), **{f"gps{k}": v for k, v in exif.get_ifd(GPS_IFD).items()},
                **{f"exif{k}": v for k, v in exif.get_ifd(EXIF_IFD).items()}}
