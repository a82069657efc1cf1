"""Ad video audits on the job queue: their state, and running one in a worker (queueing is
``ad_videos.queue_audit``, beside the upload that does it).

The video row is the source of truth (``audit_status``: queued, running, done or failed with
``audit_error``); the queue only delivers video ids, and hears of one only after the transaction
that queued it commits (the same after-commit dispatch as transcription jobs). A worker claims a
queued audit by a conditional update, so a second copy of a message never runs it twice, and
reads the video with no database session in use.
"""

from __future__ import annotations

import logging
import os
from datetime import date, timedelta
from typing import Any

from sqlalchemy import CursorResult, select, update

from qa.extensions import db
from qa.models import AdVideo
from qa.models._base import utcnow
from qa.services.marketing import ad_videos
from qa.services.marketing.ads import campaign_period
from qa.services.queue_messages import AD_VIDEO_AUDIT, send_after_commit
from qa.settings import settings
from transcription import AudioError, ModelNotAvailable, TranscriptionError

logger = logging.getLogger(__name__)

PENDING = ("queued", "running")
MAX_ERROR = 1000


def audit_state(video: AdVideo) -> dict[str, Any]:
    """The audit's state as JSON-ready data for the video page to poll."""
    return {
        "id": video.id,
        "status": video.audit_status,
        "error": video.audit_error,
        "finished": video.audit_status not in PENDING,
        "audits": len(video.audits),
    }


def run_video_audit(video_id: int, today: date | None = None) -> str:
    """Claim, read and audit one queued video, committing at each step; returns its new state.

    A file that cannot be read, or a speech model that cannot be loaded, fails the audit with the
    reason; the stored file and row stay, and a re-audit queues it again.
    """
    try:
        return _run(video_id, today)
    except BaseException:
        db.session.rollback()
        raise


def _run(video_id: int, today: date | None) -> str:
    video = db.session.get(AdVideo, video_id)
    if video is None or video.audit_status != "queued":
        return "skipped"
    path = ad_videos.video_file(video)
    stored_name = os.path.basename(video.video_path)
    shown_name = video.original_filename
    lang, period = video.lang, campaign_period(video.campaign)
    user_id = video.audit_requested_by_id
    started = utcnow()
    claimed = db.session.execute(
        update(AdVideo)
        .where(AdVideo.id == video_id, AdVideo.audit_status == "queued")
        .values(audit_status="running", audit_started_at=started, audit_error=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if _rowcount(claimed) != 1:
        return "skipped"
    db.session.close()  # hold no transaction while Whisper and Tesseract run
    try:
        if not os.path.isfile(path):
            raise AudioError(
                f"The stored file of {shown_name} is missing at {path} "
                "(is RECORDINGS_DIR shared with this worker?)"
            )
        reading, result = ad_videos.read_and_audit(path, lang, today, period)
    except (AudioError, TranscriptionError, ModelNotAvailable, ValueError) as exc:
        return _fail(video_id, started, str(exc).replace(stored_name, shown_name))
    except Exception as exc:
        logger.exception("The audit of ad video %s stopped", video_id)
        return _fail(video_id, started, f"The audit stopped: {type(exc).__name__}: {exc}")
    except BaseException:
        # A worker stopping: the audit goes back on the queue for the next worker.
        _release(video_id, started)
        raise
    video = _owned(video_id, started)
    if video is None:
        return "skipped"
    ad_videos.store_audit(video, reading, result, user_id)
    video.audit_status = "done"
    video.audit_error = None
    db.session.commit()
    return "done"


def _rowcount(result: Any) -> int:
    return int(result.rowcount) if isinstance(result, CursorResult) else 0


def _owned(video_id: int, started: Any) -> AdVideo | None:
    """The video, locked, if its audit is still running (not re-queued by the sweep)."""
    video = db.session.get(AdVideo, video_id, with_for_update=True, populate_existing=True)
    if video is None or video.audit_status != "running":
        db.session.rollback()
        return None
    return video


def _fail(video_id: int, started: Any, message: str) -> str:
    video = _owned(video_id, started)
    if video is None:
        return "skipped"
    video.audit_status = "failed"
    video.audit_error = message[:MAX_ERROR]
    db.session.commit()
    return "failed"


def _release(video_id: int, started: Any) -> None:
    db.session.rollback()
    video = _owned(video_id, started)
    if video is None:
        return
    video.audit_status = "queued"
    video.audit_started_at = None
    send_after_commit(AD_VIDEO_AUDIT, video.id)
    db.session.commit()


def sweep_stalled_audits(now: Any = None) -> list[int]:
    """Queue again the audits whose worker died: running far longer than the longest video takes.

    An audit reads a video a few times faster than it plays; one still "running" after
    JOB_LEASE_SECONDS plus ten times the longest allowed video lost its worker.
    """
    cfg = settings()
    now = now or utcnow()
    cutoff = now - timedelta(seconds=cfg.job_lease_seconds + 10 * cfg.max_video_seconds)
    stalled = db.session.scalars(
        select(AdVideo).where(AdVideo.audit_status == "running", AdVideo.audit_started_at < cutoff)
    ).all()
    for video in stalled:
        video.audit_status = "queued"
        video.audit_error = None
        video.audit_started_at = None
        send_after_commit(AD_VIDEO_AUDIT, video.id)
    db.session.flush()
    return [video.id for video in stalled]
