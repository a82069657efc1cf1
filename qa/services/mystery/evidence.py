"""Evidence files of a shopper's report, checked by what they hold, never by their names.

Recordings go through the call intake (:mod:`qa.services.calls.intake`), so a mystery call is
transcribed and analysed like any call. Photos (JPEG, PNG, HEIC) and receipts (a photo or a PDF)
are recognised by their first bytes, opened with Pillow (HEIC through pillow-heif) to check
that they are whole pictures of a sane size, and kept under a generated name; their EXIF time
and GPS position are read for the automatic checks.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from flask import current_app
from flask_babel import gettext as _

from qa.extensions import db
from qa.models import Call, ShopEvidence, ShopReport, User
from qa.services.admin import audit
from qa.services.calls import intake
from qa.services.errors import ValidationFailed
from qa.services.privacy.erasure import erased_on_request
from qa.services.validation import clean_text
from qa.timefmt import format_day, stored_from_local

# MIME type -> the suffix of the stored file.
SUFFIXES = {"image/jpeg": "jpg", "image/png": "png", "image/heic": "heic", "application/pdf": "pdf"}
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})
_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
_DATETIME_ORIGINAL, _DATETIME = 36867, 306


@dataclass(frozen=True)
class PictureFacts:
    taken_at: datetime | None  # naive UTC
    latitude: float | None
    longitude: float | None


def sniff(head: bytes) -> str | None:
    """The MIME type the first bytes show, among those taken as evidence; None otherwise."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "image/heic"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def _read_limited(stream: BinaryIO, limit: int, name: str) -> bytes:
    data = stream.read(limit + 1)
    if not data:
        raise ValidationFailed(_("%(name)s is empty.", name=name))
    if len(data) > limit:
        raise ValidationFailed(
            _("%(name)s is larger than %(mb)d MB.", name=name, mb=limit // (1024 * 1024))
        )
    return data


def _rational(value: Any) -> float:
    if isinstance(value, tuple) and len(value) == 2:
        return float(value[0]) / float(value[1])
    return float(value)


def _gps(gps: Any) -> tuple[float | None, float | None]:
    """Decimal degrees from an EXIF GPS directory (tags 1-4); None where absent or broken."""
    try:
        lat = sum(_rational(part) / 60**i for i, part in enumerate(gps[2]))
        lon = sum(_rational(part) / 60**i for i, part in enumerate(gps[4]))
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError):
        return None, None
    if str(gps.get(1, "N")).upper().startswith("S"):
        lat = -lat
    if str(gps.get(3, "E")).upper().startswith("W"):
        lon = -lon
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return lat, lon


def _exif_time(raw: Any) -> datetime | None:
    """EXIF times carry no zone: a camera shows the local time, read as the company's."""
    if not isinstance(raw, str):
        return None
    try:
        return stored_from_local(datetime.strptime(raw.strip()[:19], "%Y:%m:%d %H:%M:%S"))
    except ValueError:
        return None


def picture_facts(data: bytes, name: str, max_pixels: int) -> PictureFacts:
    """Open the picture (refusing broken or oversized ones) and read its EXIF time and GPS."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        from pillow_heif import register_heif_opener

        register_heif_opener()
    except ImportError:  # pragma: no cover - HEIC is then refused as unreadable
        pass
    refused = _("%(name)s is not a readable picture.", name=name)
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise ValidationFailed(
                    _(
                        "%(name)s is too large a picture (%(w)d × %(h)d pixels).",
                        name=name,
                        w=width,
                        h=height,
                    )
                )
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            exif = image.getexif()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise ValidationFailed(refused) from exc
    sub = exif.get_ifd(_EXIF_IFD)
    taken = _exif_time(sub.get(_DATETIME_ORIGINAL)) or _exif_time(exif.get(_DATETIME))
    lat, lon = _gps(exif.get_ifd(_GPS_IFD))
    return PictureFacts(taken_at=taken, latitude=lat, longitude=lon)


def _evidence_dir() -> str:
    folder = current_app.config["EVIDENCE_DIR"]
    os.makedirs(folder, exist_ok=True)
    return folder


def add_file(report: ShopReport, kind: str, stream: BinaryIO, filename: str | None) -> ShopEvidence:
    """Check and keep a photo or receipt; ValidationFailed with a reason otherwise."""
    name = clean_text(filename or "", field=_("File name"), max_length=255) or _("the file")
    cfg = current_app.config
    data = _read_limited(stream, int(cfg["MAX_EVIDENCE_BYTES"]), name)
    mime = sniff(data[:16])
    allowed = ("image/jpeg", "image/png", "image/heic")
    if kind == "receipt":
        allowed = (*allowed, "application/pdf")
    if mime not in allowed:
        if kind == "receipt":
            raise ValidationFailed(
                _(
                    "%(name)s is neither a JPEG, PNG or HEIC photo nor a PDF; it was not kept.",
                    name=name,
                )
            )
        raise ValidationFailed(
            _("%(name)s is not a JPEG, PNG or HEIC photo; it was not kept.", name=name)
        )
    facts = PictureFacts(None, None, None)
    if mime == "application/pdf":
        if b"%%EOF" not in data[-2048:]:
            raise ValidationFailed(_("%(name)s is not a whole PDF file.", name=name))
    else:
        facts = picture_facts(data, name, int(cfg["MAX_EVIDENCE_PIXELS"]))
    stored = f"{uuid.uuid4().hex}.{SUFFIXES[mime]}"
    path = os.path.join(_evidence_dir(), stored)
    with open(path, "xb") as out:
        out.write(data)
    item = ShopEvidence(
        report=report,
        kind=kind,
        stored_name=stored,
        original_name=name,
        mime_type=mime,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        taken_at=facts.taken_at,
        latitude=facts.latitude,
        longitude=facts.longitude,
    )
    db.session.add(item)
    db.session.flush()
    return item


def add_recording(
    report: ShopReport, stream: BinaryIO, filename: str | None, user: User
) -> ShopEvidence:
    """Take the recording in as a call (transcribed and analysed) and link it to the report."""
    assignment = report.assignment
    meta = intake.RecordingMetadata(
        title=_("Mystery shop: %(location)s", location=assignment.location.name)[:200],
        called_at=report.visit_started_at,
        phone=assignment.location.phone,
        uploaded_by_id=user.id,
    )
    taken = intake.take_in(stream, filename or "", meta, duplicate="reuse")
    call = taken.call
    report.call_id = call.id
    item = ShopEvidence(
        report=report,
        kind="recording",
        stored_name=f"call-{call.id}-{uuid.uuid4().hex[:8]}",
        original_name=call.original_filename or "",
        mime_type=f"audio/{call.audio_format}",
        size_bytes=call.size_bytes or 0,
        sha256=call.sha256,
        taken_at=call.called_at,
        call_id=call.id,
    )
    db.session.add(item)
    db.session.flush()
    return item


@dataclass(frozen=True)
class DeletedRecording:
    """A recording handed in whose audio was since deleted: when, and whether on request (else
    under the retention period)."""

    at: datetime
    on_request: bool

    @property
    def note(self) -> str:
        if self.on_request:
            return _("Recording deleted on %(day)s on request.", day=format_day(self.at))
        return _("Recording deleted on %(day)s under retention.", day=format_day(self.at))


def deleted_recording(item: ShopEvidence) -> DeletedRecording | None:
    """Why a recording handed in cannot be played any more (None: it can, or it is a file)."""
    if item.kind != "recording" or item.call_id is None:
        return None
    return call_recording_deleted(db.session.get(Call, item.call_id))


def call_recording_deleted(call: Call | None) -> DeletedRecording | None:
    if call is None or call.recording_deleted_at is None:
        return None
    at = call.recording_deleted_at
    return DeletedRecording(at, erased_on_request(call.id, at))


def deleted_recordings(report: ShopReport | None) -> dict[int | None, DeletedRecording]:
    """The report's recordings that were deleted, by evidence id (None: the report's call)."""
    if report is None:
        return {}
    found: dict[int | None, DeletedRecording] = {}
    for item in report.evidence:
        gone = deleted_recording(item)
        if gone is not None:
            found[item.id] = gone
    report_call = call_recording_deleted(report.call)
    if report_call is not None:
        found[None] = report_call
    return found


def file_path(item: ShopEvidence) -> str:
    """Where a photo or receipt is kept (recordings live with their call)."""
    return os.path.join(_evidence_dir(), os.path.basename(item.stored_name))


def remove(item: ShopEvidence) -> None:
    """Forget a file of a report still being written."""
    if item.kind != "recording":
        with contextlib.suppress(FileNotFoundError):
            os.remove(file_path(item))
    audit.record("delete", "shop_evidence", item.id, "", kind=item.kind, report_id=item.report_id)
    db.session.delete(item)
    db.session.flush()
