"""Ad videos: read what is said and shown, audit it as one ad (offer, deadline, CTA, marking)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from qa.services.calls.job_worker import load_configured_transcriber
from qa.settings import settings
from scoring.adcopy.video import VideoAudit, audit_video
from transcription.types import VideoReading
from transcription.video import read_video


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
    return reading, audit_video(reading, lang, today, period)
