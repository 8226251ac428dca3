"""Real image files for tests, made with Pillow: phone-like JPEGs with EXIF (orientation, GPS,
camera), and the awkward kinds (CMYK, palette, 16-bit, alpha, truncated, not an image)."""
from __future__ import annotations

import io

from PIL import Image, ImageDraw

GPS_IFD = 0x8825


def phone_exif(orientation: int = 1, gps: bool = True) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "HUAWEI"                 # Make
    exif[0x0110] = "P40"                    # Model
    exif[0x0132] = "2024:05:01 10:00:00"    # DateTime
    exif[0xA431] = "SERIAL-123456"          # BodySerialNumber (lives in the Exif IFD on phones)
    exif[0x0112] = orientation
    if gps:
        ifd = exif.get_ifd(GPS_IFD)
        ifd[1], ifd[2] = "N", (35.0, 35.0, 12.5)
        ifd[3], ifd[4] = "E", (110.0, 42.0, 7.25)
    return exif


def marked_image(size: tuple[int, int] = (1200, 900), color=(70, 120, 180)) -> Image.Image:
    """A picture whose top-left corner is red: orientation can be checked from pixels."""
    image = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([0, 0, w // 4, h // 4], fill=(220, 20, 20))
    draw.ellipse([w // 3, h // 3, w // 3 * 2, h // 3 * 2], fill=(240, 220, 60))
    return image


def jpeg_bytes(size: tuple[int, int] = (1200, 900), orientation: int = 1, gps: bool = True,
               color=(70, 120, 180), quality: int = 85) -> bytes:
    """A JPEG as a phone writes it: pixels stored unrotated, EXIF saying how to turn them."""
    image = marked_image(size, color)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=phone_exif(orientation, gps))
    return buffer.getvalue()
