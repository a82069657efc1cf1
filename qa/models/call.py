"""Calls, their transcripts, objection findings and transcription jobs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa.extensions import db
from qa.models._base import utcnow
from qa.models.company import Agent, Campaign, Lead
from qa.models.user import User
from qa.vocabulary import CALL_STATUS, JOB_STATUS, SPEAKER

AGENT_CHANNELS = ("left", "right", "none")
SPEAKERS = SPEAKER.values
JOB_STATUSES = JOB_STATUS.values
CALL_STATUSES = CALL_STATUS.values


class Call(db.Model):
    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str | None] = mapped_column(String(200))
    original_filename: Mapped[str] = mapped_column(String(255))
    # Path relative to RECORDINGS_DIR, so workers on other machines can share the mount.
    recording_path: Mapped[str] = mapped_column(String(500))
    # The copy with personal data beeped or silenced (relative to RECORDINGS_DIR, beside it).
    redacted_recording_path: Mapped[str | None] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int] = mapped_column(default=0)
    duration: Mapped[float | None]
    channels: Mapped[int | None]
    # The container the probe found (qa.services.calls.recordings.AUDIO_FORMATS): the recording
    # is served as that media type, whatever the uploaded file was called.
    audio_format: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str | None] = mapped_column(String(8))
    agent_channel: Mapped[str] = mapped_column(String(5), default="left")
    # uploaded -> queued -> transcribing -> transcribed | failed; mirrors the latest job.
    status: Mapped[str] = mapped_column(String(20), default="uploaded", index=True)
    error: Mapped[str | None] = mapped_column(Text)
    engine: Mapped[str | None] = mapped_column(String(40))
    model: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    called_at: Mapped[datetime | None] = mapped_column(index=True)
    agent_id: Mapped[int | None] = mapped_column(
        ForeignKey("agents.id", ondelete="SET NULL"), index=True
    )
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="SET NULL"), index=True
    )
    # How the lead link was made: upload, api, auto (phone + time window) or manual. A manual
    # unlink is remembered as "manual" with no lead, so automatic linking leaves it alone.
    lead_link: Mapped[str | None] = mapped_column(String(10))
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # When the recording file, and when the transcript with every text that identifies the
    # customer, were deleted (retention or a request); the call stays as anonymous figures.
    recording_deleted_at: Mapped[datetime | None]
    transcript_deleted_at: Mapped[datetime | None]

    agent: Mapped[Agent | None] = relationship()
    lead: Mapped[Lead | None] = relationship()
    campaign: Mapped[Campaign | None] = relationship()
    uploaded_by: Mapped[User | None] = relationship()
    segments: Mapped[list[TranscriptSegment]] = relationship(
        back_populates="call",
        order_by="TranscriptSegment.position",
        cascade="all, delete-orphan",
    )
    findings: Mapped[list[Finding]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="Finding.time_start"
    )
    jobs: Mapped[list[TranscriptionJob]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="TranscriptionJob.id"
    )

    @property
    def display_title(self) -> str:
        # A call whose personal data was deleted keeps neither title nor file name.
        return self.title or self.original_filename or f"#{self.id}"


class TranscriptSegment(db.Model):
    """One speaker's continuous speech; the machine text is kept beside any correction."""

    __tablename__ = "transcript_segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    speaker: Mapped[str] = mapped_column(String(10), default="unknown")
    channel: Mapped[int | None]
    start: Mapped[float]
    end: Mapped[float]
    text: Mapped[str] = mapped_column(Text)
    machine_text: Mapped[str] = mapped_column(Text)
    words: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    avg_logprob: Mapped[float | None]
    no_speech_prob: Mapped[float | None]
    suspect: Mapped[bool] = mapped_column(default=False)
    suspect_reason: Mapped[str | None] = mapped_column(String(200))
    # Personal data found in ``text``: the text with each value replaced by its type, and the
    # spans [{type, start, end (chars of text), time_start, time_end, channel}]. None: not run.
    redacted_text: Mapped[str | None] = mapped_column(Text)
    pii_spans: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)

    call: Mapped[Call] = relationship(back_populates="segments")
    edits: Mapped[list[SegmentEdit]] = relationship(
        back_populates="segment", cascade="all, delete-orphan", order_by="SegmentEdit.id"
    )


class SegmentEdit(db.Model):
    """History of corrections to a segment's text or speaker."""

    __tablename__ = "segment_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(
        ForeignKey("transcript_segments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    old_text: Mapped[str | None] = mapped_column(Text)
    new_text: Mapped[str | None] = mapped_column(Text)
    old_speaker: Mapped[str | None] = mapped_column(String(10))
    new_speaker: Mapped[str | None] = mapped_column(String(10))
    # "split" or "merge" when the line was cut in two or joined with the next; None for a text
    # or speaker change. ``detail`` keeps the lines as they were, so the change can be undone.
    action: Mapped[str | None] = mapped_column(String(10))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    segment: Mapped[TranscriptSegment] = relationship(back_populates="edits")
    user: Mapped[User | None] = relationship()


class Finding(db.Model):
    """An objection or tracker hit in one segment."""

    __tablename__ = "findings"
    # "Has this call a price (assortment) finding": an index-only probe per call; it serves
    # lookups by call alone too.
    __table_args__ = (Index("ix_findings_call_label", "call_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    segment_id: Mapped[int | None] = mapped_column(
        ForeignKey("transcript_segments.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(60), index=True)
    rule_id: Mapped[str | None] = mapped_column(String(120))
    score: Mapped[float | None]
    start_char: Mapped[int | None]
    end_char: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text)
    time_start: Mapped[float]
    time_end: Mapped[float]
    speaker_unknown: Mapped[bool] = mapped_column(default=False)
    # Content hash of the objection model that judged it (scoring); None for tracker hits.
    model_version: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    call: Mapped[Call] = relationship(back_populates="findings")
    segment: Mapped[TranscriptSegment | None] = relationship()


class TranscriptionJob(db.Model):
    """The source of truth for transcription work; huey only delivers it."""

    __tablename__ = "transcription_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="queued", index=True)
    # Runs that ended in an error (or finished); a run whose worker died does not count here.
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=3)
    # Runs whose worker died mid-job (the lease ran out): bounded apart, so a recording that
    # kills its worker every time (out of memory) still ends.
    lost_leases: Mapped[int] = mapped_column(default=0, server_default="0")
    progress: Mapped[float] = mapped_column(default=0.0)
    error: Mapped[str | None] = mapped_column(Text)
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    worker: Mapped[str | None] = mapped_column(String(120))
    lease_expires_at: Mapped[datetime | None] = mapped_column(index=True)
    heartbeat_at: Mapped[datetime | None]
    # When the latest queue message for a queued job was due: the sweeper sends it again when
    # the queue seems to have lost it (a worker killed before claiming, a restarted Redis).
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    call: Mapped[Call] = relationship(back_populates="jobs")
