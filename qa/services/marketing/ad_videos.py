"""Ad videos: stored like recordings, read (speech and on-screen text) and audited as one ad.

An upload is refused by its content with the reason (not a video, corrupt, no picture, too large,
too long), and leaves no file behind; a good one is stored and its audit queued
(``ad_video_jobs``). Every audit is kept, re-audits after it.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination

from qa.extensions import db
from qa.models import AdVideo, AdVideoAudit, Campaign, User
from qa.models._base import utcnow
from qa.services.calls import recordings
from qa.services.calls.intake import displayable_filename
from qa.services.calls.job_worker import load_configured_transcriber
from qa.services.errors import Conflict, NotFound, ValidationFailed
from qa.services.marketing.ads import LANGS
from qa.services.queue_messages import AD_VIDEO_AUDIT, send_after_commit
from qa.settings import settings
from qa.timefmt import iso_local, local_today
from scoring.adcopy.types import MARKING_ELEMENTS
from scoring.adcopy.video import VideoAudit, audit_video
from transcription import VideoError
from transcription.types import VideoReading
from transcription.video import VIDEO_SUFFIXES, frame_at, probe_video, read_video

VIDEO_DIR = "ad-videos"
MAX_FILENAME = 255
MAX_BATCH_FILES = 20
ELEMENT_ORDER = ("offer", "deadline", "cta", *MARKING_ELEMENTS)
_UNSHOWABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass
class VideoBatch:
    """What a batch upload did: the videos audited, and each refused file with its reason."""

    stored: list[AdVideo] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def read_and_audit(
    path: str | Path,
    lang: str | None = None,
    today: date | None = None,
    period: Any = None,
) -> tuple[VideoReading, VideoAudit]:
    """Transcribe and read one video, then audit it; VideoError names a file that is unusable."""
    cfg = settings()
    reading = read_video(
        path,
        load_configured_transcriber(cfg),
        language=lang,
        max_bytes=cfg.max_video_bytes,
        max_seconds=cfg.max_video_seconds,
    )
    return reading, audit_video(reading, lang, today or local_today(), period)


def check_filename(filename: str | None) -> str:
    """The upload's name if it is a printable video file name; ValidationFailed otherwise."""
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
            _(
                "%(name)s: the file name is longer than %(n)d characters.",
                name=shown,
                n=MAX_FILENAME,
            )
        )
    if os.path.splitext(name)[1].lower() not in VIDEO_SUFFIXES:
        raise ValidationFailed(
            _(
                "%(name)s is not a video file name (expected one of: %(suffixes)s).",
                name=shown,
                suffixes=", ".join(VIDEO_SUFFIXES),
            )
        )
    return name


def check_lang(value: object) -> str | None:
    """ "ru", "en" or None (detect); anything else is refused."""
    if value in (None, ""):
        return None
    if value not in LANGS:
        raise ValidationFailed(_("Language must be ru, en or empty."))
    return str(value)


def _videos_dir() -> str:
    return os.path.join(settings().recordings_dir, VIDEO_DIR)


def video_file(video: AdVideo) -> str:
    """The stored file's absolute path."""
    return recordings.recording_abspath(video.video_path, _videos_dir())


def upload(
    stream: BinaryIO,
    filename: str | None,
    user: User | None,
    campaign: Campaign | None = None,
    lang: str | None = None,
) -> AdVideo:
    """Store one video and queue its audit. Bad names and bad files raise ValidationFailed;
    nothing is kept then."""
    name = check_filename(filename)
    lang = check_lang(lang)
    cfg = settings()
    directory = _videos_dir()
    _check_size(stream, name, cfg.max_video_bytes)
    incoming = recordings.receive(stream, name, directory, cfg.max_video_bytes)
    suffix = os.path.splitext(name)[1].lower()
    relative = os.path.join(incoming.sha256[:2], incoming.sha256 + suffix)
    target = os.path.join(directory, relative)
    placed = False  # True once this upload put a new file in place (a copy may exist already)
    try:
        try:
            info = probe_video(
                incoming.temp_path, max_bytes=cfg.max_video_bytes, max_seconds=cfg.max_video_seconds
            )
        except VideoError as exc:
            raise ValidationFailed(
                str(exc).replace(os.path.basename(incoming.temp_path), name)
            ) from exc
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.exists(target):
            recordings.discard(incoming.temp_path)
        else:
            os.replace(incoming.temp_path, target)
            placed = True
        video = AdVideo(
            campaign_id=campaign.id if campaign else None,
            original_filename=name,
            video_path=relative,
            sha256=incoming.sha256,
            size_bytes=incoming.size_bytes,
            duration=info.duration,
            width=info.width,
            height=info.height,
            has_audio=info.has_audio,
            lang=lang,
            created_by_id=user.id if user else None,
        )
        db.session.add(video)
        db.session.flush()
        queue_audit(video, user)
    except BaseException:
        # Refused or not saved: no file of this upload stays on disk.
        recordings.discard(incoming.temp_path)
        if placed:
            recordings.discard(target)
        raise
    return video


def queue_audit(video: AdVideo, user: User | None) -> AdVideo:
    """Queue the video's audit with the current rules; the worker is told once this commits.

    A queued audit is sent again (the queue may have lost its message; a second copy is harmless,
    since only a queued audit can be claimed). A running one is refused.
    """
    if video.audit_status == "running":
        raise Conflict(_("This video is being audited now; wait for the verdict."))
    video.audit_status = "queued"
    video.audit_error = None
    video.audit_requested_by_id = user.id if user else None
    video.audit_queued_at = utcnow()
    video.audit_started_at = None
    db.session.flush()
    send_after_commit(AD_VIDEO_AUDIT, video.id)
    return video


def campaign_by_id(campaign_id: int | None) -> Campaign | None:
    """The campaign a video is tied to (None: no campaign); an unknown number is refused."""
    if not campaign_id:
        return None
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise ValidationFailed(_("There is no campaign number %(id)s.", id=campaign_id))
    return campaign


def _check_size(stream: BinaryIO, name: str, max_bytes: int) -> None:
    """Refuse an upload over the limit before copying it, where its size can be known."""
    try:
        at = stream.tell()
        size = stream.seek(0, os.SEEK_END) - at
        stream.seek(at)
    except (AttributeError, OSError, ValueError):
        return  # not seekable: receive() counts the bytes as they come
    if size > max_bytes:
        raise ValidationFailed(
            _(
                "%(name)s is larger than the limit of %(mb)d MB per video.",
                name=name,
                mb=max_bytes // 1024**2,
            )
        )


def upload_batch(
    files: Sequence[tuple[BinaryIO, str | None]],
    user: User | None,
    campaign: Campaign | None = None,
    lang: str | None = None,
) -> VideoBatch:
    """Each file on its own: a refused file is named with its reason, the rest go on."""
    batch = VideoBatch()
    if not files:
        raise ValidationFailed(_("Choose at least one video."))
    if len(files) > MAX_BATCH_FILES:
        raise ValidationFailed(_("At most %(n)d videos at a time.", n=MAX_BATCH_FILES))
    lang = check_lang(lang)
    for stream, filename in files:
        try:
            with db.session.begin_nested():
                batch.stored.append(upload(stream, filename, user, campaign, lang))
        except ValidationFailed as exc:
            batch.refused.append((displayable_filename(filename or ""), str(exc)))
    return batch


def store_audit(
    video: AdVideo, reading: VideoReading, result: VideoAudit, user_id: int | None
) -> AdVideoAudit:
    """Keep one audit of the video (the verdict, explanations, evidence and timings)."""
    line = result.to_line(video.original_filename)
    line["explanations"] = {
        name: {
            "explanation": result.elements[name].explanation,
            "suggestion": result.elements[name].suggestion,
        }
        for name in ELEMENT_ORDER
    }
    line["ends_on"] = result.ends_on.isoformat() if result.ends_on else None
    line["timing"] = {
        "speech": reading.speech_seconds,
        "screen": reading.screen_seconds,
        "frames": reading.frames_read,
    }
    row = AdVideoAudit(
        video=video,
        has_offer=bool(line["offer"]),
        has_deadline=bool(line["deadline"]),
        has_cta=bool(line["cta"]),
        deadline_expired=result.expired,
        marking_complete=all(state == "present" for state in line["marking"].values()),
        screen_read=result.screen_read,
        result=line,
        audited_by_id=user_id,
    )
    db.session.add(row)
    db.session.flush()
    return row


def find_audit(video: AdVideo, audit_id: int | None) -> AdVideoAudit | None:
    """The audit asked for (of this video), else the latest."""
    chosen = next((a for a in video.audits if a.id == audit_id), None)
    return chosen or video.latest_audit


def list_videos(page: int, per_page: int, campaign_id: int | None = None) -> Pagination:
    """Videos, newest first, optionally of one campaign."""
    query = db.select(AdVideo).order_by(AdVideo.created_at.desc(), AdVideo.id.desc())
    if campaign_id:
        query = query.where(AdVideo.campaign_id == campaign_id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def campaign_videos(campaign: Campaign) -> list[AdVideo]:
    """A campaign's videos, newest first."""
    query = (
        db.select(AdVideo)
        .where(AdVideo.campaign_id == campaign.id)
        .order_by(AdVideo.created_at.desc(), AdVideo.id.desc())
    )
    return list(db.session.scalars(query))


def thumbnail(video: AdVideo, moment: object) -> bytes:
    """A small JPEG of the picture at ``moment`` seconds (clamped to the video)."""
    try:
        at = float(str(moment))
    except ValueError:
        raise ValidationFailed(_("The moment must be a number of seconds.")) from None
    if not 0 <= at <= max(video.duration, 0.0) + 1:
        raise NotFound(_("No picture at that moment."))
    try:
        image = frame_at(video_file(video), min(at, max(video.duration - 0.05, 0.0)))
    except (VideoError, OSError) as exc:
        raise NotFound(_("No picture at that moment.")) from exc
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


def evidence_moments(result: dict[str, Any]) -> list[float]:
    """The distinct moments (starts) of the evidence, for the thumbnail strip."""
    seen: list[float] = []
    for item in result.get("evidence", []):
        start = round(float(item.get("start", 0.0)), 1)
        if start not in seen:
            seen.append(start)
    return sorted(seen)


def api_payload(video: AdVideo) -> dict[str, Any]:
    """The audit's state and the video's latest verdict (none yet: nulls) as the API gives it."""
    audit = video.latest_audit
    line = dict(audit.result) if audit else {}
    keys = ("lang", "duration", "offer", "deadline", "expired", "cta", "marking", "evidence")
    payload = {key: line.get(key) for key in keys}
    return {
        "id": video.id,
        "campaign_id": video.campaign_id,
        "file": video.original_filename,
        "status": video.audit_status,
        "error": video.audit_error,
        "audited_at": iso_local(audit.created_at) if audit else None,
        **payload,
        "screen_read": bool(line.get("screen_read")),
        "notes": list(line.get("notes", [])),
    }
