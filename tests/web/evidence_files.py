"""Evidence files for mystery-shop reports: real JPEGs with EXIF time and GPS position."""

from __future__ import annotations

from qa.services.admin.demo_photos import photo_with_exif

# Тверская, 1 (Moscow) and a point about 40 m away; Saint Petersburg is ~630 km off.
STORE = (55.7601, 37.6186)
NEAR = (55.7604, 37.6190)
FAR = (59.9343, 30.3351)


def jpeg(
    taken: str | None = "2026:03:03 12:30:00",
    where: tuple[float, float] | None = NEAR,
    size: tuple[int, int] = (64, 48),
) -> bytes:
    """A real JPEG whose EXIF holds the time it was taken and its GPS position."""
    return photo_with_exif(taken, where, size)
