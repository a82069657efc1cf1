"""Pictures for the demo's mystery-shop reports: real JPEGs whose EXIF says when and where.

The shopper's evidence is checked by what it holds (:mod:`qa.services.mystery.evidence` reads
the EXIF time and GPS position), so demo photos carry both, like a phone's camera would.
"""

from __future__ import annotations

import io

_EXIF_IFD, _GPS_IFD, _DATETIME_ORIGINAL = 0x8769, 0x8825, 36867


def _dms(value: float) -> tuple[float, float, float]:
    """Decimal degrees as EXIF's degrees, minutes and seconds."""
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)


def photo_with_exif(
    taken: str | None,
    where: tuple[float, float] | None,
    size: tuple[int, int] = (64, 48),
    colour: tuple[int, int, int] = (200, 120, 40),
) -> bytes:
    """A JPEG taken at ``taken`` ("YYYY:MM:DD HH:MM:SS", local time, as cameras write it) at
    ``where`` (latitude, longitude); either may be None to leave it out."""
    from PIL import Image

    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    if taken:
        exif.get_ifd(_EXIF_IFD)[_DATETIME_ORIGINAL] = taken
    if where:
        gps = exif.get_ifd(_GPS_IFD)
        gps[1] = "N" if where[0] >= 0 else "S"
        gps[2] = _dms(where[0])
        gps[3] = "E" if where[1] >= 0 else "W"
        gps[4] = _dms(where[1])
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()
