"""Evidence files for mystery-shop reports: real JPEGs with EXIF time and GPS position."""

from __future__ import annotations

import io

from PIL import Image

# Тверская, 1 (Moscow) and a point about 40 m away; Saint Petersburg is ~630 km off.
STORE = (55.7601, 37.6186)
NEAR = (55.7604, 37.6190)
FAR = (59.9343, 30.3351)


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)


def jpeg(
    taken: str | None = "2026:03:03 12:30:00",
    where: tuple[float, float] | None = NEAR,
    size: tuple[int, int] = (64, 48),
) -> bytes:
    """A real JPEG whose EXIF holds the time it was taken and its GPS position."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    if taken:
        exif.get_ifd(0x8769)[36867] = taken
    if where:
        gps = exif.get_ifd(0x8825)
        gps[1] = "N" if where[0] >= 0 else "S"
        gps[2] = _dms(where[0])
        gps[3] = "E" if where[1] >= 0 else "W"
        gps[4] = _dms(where[1])
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()
