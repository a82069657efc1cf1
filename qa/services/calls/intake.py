"""Taking recordings in: the one path from an uploaded file to a stored, linked, queued call.

The web upload, the API push, ``qa transcribe`` and the demo data all describe a recording with
:func:`recording_metadata` and hand it to :func:`take_in`, so a call looks the same whichever
door it came in by: phone in E.164 (company region), call time in UTC (a time without a zone is
the company's), linked to its lead (given, or found by phone within the linking window), the
file kept under a generated name after one hash and one probe, and its transcription queued.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import BinaryIO, Literal
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from qa.extensions import db
from qa.models import Call, Lead, User
from qa.models.call import AGENT_CHANNELS
from qa.services.admin.settings import company_settings
from qa.services.calls import recordings
from qa.services.calls.jobs import enqueue_transcription
from qa.services.errors import DuplicateRecording, ServiceError, ValidationFailed
from qa.services.marketing import linking
from qa.services.marketing.leads import parse_datetime
from qa.services.marketing.phones import normalise_phone
from qa.services.validation import clean_text, sane_date
from transcription import AudioError, AudioInfo, probe_audio

# File name extensions taken as recordings: uploads with any other are refused before reading.
AUDIO_SUFFIXES = frozenset(
    {".wav", ".mp3", ".ogg", ".oga", ".opus", ".m4a", ".mp4", ".aac", ".flac", ".webm", ".wma",
     ".amr", ".mka", ".3gp", ".gsm", ".au", ".aif", ".aiff"}
)
LEAD_LINKS = ("upload", "api")  # how a lead named with the recording was chosen
MAX_FILENAME = 255
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_UNSHOWABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class RecordingMetadata:
    """What is known about a recording besides its audio, checked and normalised.

    Build it with :func:`recording_metadata`, which applies the company's phone region and
    time zone; one value describes every file of a batch.
    """

    agent_channel: str = "left"
    language: str | None = None
    title: str | None = None
    phone: str | None = None  # E.164
    called_at: datetime | None = None  # naive UTC
    agent_id: int | None = None
    campaign_id: int | None = None
    lead_id: int | None = None
    lead_link: str = "upload"
    uploaded_by_id: int | None = None


@dataclass(frozen=True)
class Intake:
    """A recording taken in: its call, and whether the call is new (False: same audio known)."""

    call: Call
    created: bool


@dataclass
class BatchOutcome:
    stored: list[Call]
    rejected: list[tuple[str, str]]  # (file name as shown, reason)


def recording_metadata(
    *,
    agent_channel: str | None = "left",
    language: str | None = None,
    title: str | None = None,
    phone: str | None = None,
    called_at: datetime | str | None = None,
    agent_id: int | None = None,
    campaign_id: int | None = None,
    lead_id: int | None = None,
    lead_link: str = "upload",
    uploaded_by: User | None = None,
) -> RecordingMetadata:
    """Check and normalise what a door was told about a recording (field names as in the API).

    Raises ValidationFailed naming the field.
    """
    channel = (agent_channel or "").strip() or "left"
    if channel not in AGENT_CHANNELS:
        shown = clean_text(channel[:20], field="agent_channel", max_length=20) or ""
        raise ValidationFailed(
            _("The agent channel must be left, right or none, not %(value)s.", value=shown)
        )
    code = (clean_text(language, field="language", max_length=8) or "").lower() or None
    if code is not None and not _LANGUAGE.match(code):
        raise ValidationFailed(_("Unknown language code %(code)s.", code=code))
    if lead_link not in LEAD_LINKS:
        raise ValueError(f"unknown lead link {lead_link!r}")
    settings = company_settings()
    return RecordingMetadata(
        agent_channel=channel,
        language=code,
        title=clean_text(title, field="title", max_length=200),
        phone=checked_phone(phone, region=settings.phone_region),
        called_at=_utc_call_time(called_at, settings.timezone),
        agent_id=agent_id,
        campaign_id=campaign_id,
        lead_id=lead_id,
        lead_link=lead_link,
        uploaded_by_id=uploaded_by.id if uploaded_by is not None else None,
    )


def checked_phone(
    raw: str | None, *, field: str = "phone", region: str | None = None
) -> str | None:
    """``raw`` in E.164, read in the company's phone region; ValidationFailed if not a number."""
    text = clean_text(raw, field=field, max_length=32)
    if text is None:
        return None
    phone = normalise_phone(text, region or company_settings().phone_region)
    if phone is None:
        raise ValidationFailed(
            _("%(field)s: not a valid phone number: %(value)s", field=field, value=text)
        )
    return phone


def _utc_call_time(value: datetime | str | None, timezone: str) -> datetime | None:
    """A call time as naive UTC; text is parsed, and a time without a zone is the company's."""
    if isinstance(value, str):
        text = clean_text(value, field="called_at", max_length=40)
        if text is None:
            return None
        try:
            value = parse_datetime(text, timezone)  # already naive UTC
        except ValidationFailed as exc:
            raise ValidationFailed(_("called_at: %(error)s", error=exc)) from exc
        except OverflowError:
            # Year 1 or 9999 moved across a time zone leaves the calendar: the year rule below.
            value = datetime.min
    elif value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(timezone))
    if value is not None and value.tzinfo is not None:
        try:
            value = value.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
        except OverflowError:
            value = datetime.min
    sane_date(value, field="called_at")
    return value


def check_filename(filename: str | None) -> str:
    """The upload's name if it is a printable audio file name; ValidationFailed otherwise."""
    name = (filename or "").strip()
    if not name:
        raise ValidationFailed(_("A file was sent without a name."))
    shown = displayable_filename(name)
    if _UNSHOWABLE.search(name):
        raise ValidationFailed(
            _("%(name)s: the file name contains control characters; rename the file.", name=shown)
        )
    if len(name) > MAX_FILENAME:
        raise ValidationFailed(
            _("%(name)s: the file name is longer than %(n)d characters.", name=shown,
              n=MAX_FILENAME)
        )
    if os.path.splitext(name)[1].lower() not in AUDIO_SUFFIXES:
        raise ValidationFailed(
            _("%(name)s is not an audio file name (expected one of: %(suffixes)s).",
              name=shown, suffixes=", ".join(sorted(AUDIO_SUFFIXES)))
        )
    return name


def displayable_filename(filename: str) -> str:
    """A file name safe to show in a message: control characters as "?", at most 80 chars."""
    shown = _UNSHOWABLE.sub("?", filename or "")
    return shown if len(shown) <= 80 else shown[:77] + "..."


def find_call_by_sha256(sha256: str) -> Call | None:
    """The earliest call with exactly this audio, if any."""
    return db.session.scalar(select(Call).where(Call.sha256 == sha256).order_by(Call.id).limit(1))


def take_in(
    stream: BinaryIO,
    filename: str,
    meta: RecordingMetadata,
    *,
    duplicate: Literal["refuse", "reuse"] = "refuse",
    queue: bool = True,
) -> Intake:
    """Store one recording as a call, link its lead and (``queue``) queue its transcription.

    Same audio already stored: DuplicateRecording, or with ``duplicate="reuse"`` the earlier
    call (``created`` False, nothing changed). Bad names and bad audio raise ValidationFailed,
    unwritable storage StorageUnavailable; nothing is kept then.
    """
    name = check_filename(filename)
    cfg = current_app.config
    recordings_dir = cfg["RECORDINGS_DIR"]
    max_bytes = int(cfg["MAX_RECORDING_BYTES"])
    incoming = recordings.receive(stream, name, recordings_dir, max_bytes)
    try:
        earlier = find_call_by_sha256(incoming.sha256)
        if earlier is None:
            info, kind = _probe(incoming, name, max_bytes, float(cfg["MAX_RECORDING_SECONDS"]))
            relative = recordings.keep(incoming, kind, recordings_dir)
    except BaseException:
        recordings.discard(incoming.temp_path)
        raise
    if earlier is not None:
        recordings.discard(incoming.temp_path)
        if duplicate == "reuse":
            return Intake(call=earlier, created=False)
        raise DuplicateRecording(
            _("%(name)s was already uploaded as call #%(id)d (%(title)s).",
              name=name, id=earlier.id, title=earlier.display_title),
            earlier,
        )
    call = Call(
        title=meta.title,
        original_filename=name,
        recording_path=relative,
        sha256=incoming.sha256,
        size_bytes=incoming.size_bytes,
        duration=info.duration,
        channels=info.channels,
        audio_format=kind,
        language=meta.language,
        agent_channel=meta.agent_channel,
        agent_id=meta.agent_id,
        campaign_id=meta.campaign_id,
        phone=meta.phone,
        called_at=meta.called_at,
        uploaded_by_id=meta.uploaded_by_id,
        status="uploaded",
    )
    db.session.add(call)
    db.session.flush()
    _link_lead(call, meta)
    if queue:
        enqueue_transcription(call)
    return Intake(call=call, created=True)


def _probe(
    incoming: recordings.IncomingFile, name: str, max_bytes: int, max_seconds: float
) -> tuple[AudioInfo, str]:
    """Probe the received file once: its audio facts and our name for its container."""
    try:
        info = probe_audio(incoming.temp_path, max_bytes=max_bytes, max_seconds=max_seconds)
    except AudioError as exc:
        # The library names the temporary file; the user knows the file by its own name.
        raise ValidationFailed(
            str(exc).replace(os.path.basename(incoming.temp_path), name)
        ) from exc
    kind = recordings.audio_format(info.container)
    if kind is None:
        raise ValidationFailed(
            _("%(name)s is in a format that is not taken as a recording (%(format)s).",
              name=name, format=info.container)
        )
    return info, kind


def _link_lead(call: Call, meta: RecordingMetadata) -> None:
    if meta.lead_id is None:
        linking.auto_link_call(call)
        return
    lead = db.session.get(Lead, meta.lead_id)
    if lead is None:
        raise ValidationFailed(_("No lead with the id %(ref)s.", ref=meta.lead_id))
    linking.link_call(call, lead, meta.lead_link)


def take_in_batch(
    files: Sequence[tuple[BinaryIO, str | None]], meta: RecordingMetadata
) -> BatchOutcome:
    """Take in each file on its own: a refused file is named with its reason, the rest go on.

    The title applies only when the batch holds one file (otherwise the file names tell the
    calls apart).
    """
    outcome = BatchOutcome(stored=[], rejected=[])
    if len(files) > 1 and meta.title:
        meta = replace(meta, title=None)
    for stream, filename in files:
        shown = displayable_filename(filename or "") or _("(unnamed file)")
        try:
            # A savepoint per file: a refused file leaves no row and no file behind.
            with db.session.begin_nested():
                intake = take_in(stream, filename or "", meta)
        except ServiceError as exc:
            outcome.rejected.append((shown, str(exc)))
        else:
            outcome.stored.append(intake.call)
    return outcome
