"""Deleting a call's personal data while its review figures stay: the one rule retention and
deletion on request share.

A call's *recording* goes as its file, its hash and its transcription jobs. Its *transcript*
goes with every text that identifies the customer: the transcript lines and their edit history,
the objection and tracker flags (they quote lines), flag corrections, coaching moments cut from
the call, comments on the call and on its reviews, the reviewers' free-text comments (a review's
own and each item's, in every revision; drafts are deleted), and the call's phone number, title
and uploaded file name. What stays is anonymous: the call row with its agent, campaign, time,
duration and status, and each review's answers (values) and score, so dashboards and agent
statistics still count them. Disputes stay: they are the agent's own statement about a review.

Files are removed only after the transaction commits (a dry run, a failure or a rolled-back
savepoint leaves them).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from flask import current_app
from sqlalchemy import delete, event, or_, select
from sqlalchemy.orm import Session, SessionTransaction

from qa.extensions import db
from qa.models import (
    Call,
    CoachingExample,
    Comment,
    Finding,
    Notification,
    ObjectionCorrection,
    Review,
    ReviewDraft,
    ReviewRevision,
    ReviewSubject,
    SegmentEdit,
    TranscriptionJob,
    TranscriptSegment,
)
from qa.models._base import utcnow
from qa.services.calls.recordings import discard, recording_abspath, within_transaction
from qa.services.errors import ValidationFailed

logger = logging.getLogger(__name__)

_AFTER_COMMIT = "qa_files_removed_after_commit"


class RedactedCopies(Protocol):
    """A store of redacted transcript copies: retention and deletion on request reach it here."""

    def made_before(self, cutoff: datetime) -> list[int]:
        """Ids of the calls with a copy made before ``cutoff``."""

    def delete(self, call_ids: Iterable[int]) -> int:
        """Delete the copies of these calls (in the current transaction); returns how many."""


_redacted_stores: list[RedactedCopies] = []


def register_redacted_copies(store: RedactedCopies) -> None:
    """Called once at app start by the module that stores redacted copies."""
    if store not in _redacted_stores:
        _redacted_stores.append(store)


def redacted_stores() -> list[RedactedCopies]:
    return list(_redacted_stores)


def delete_redacted(call_ids: Iterable[int]) -> int:
    """Delete the redacted copies of these calls in every store."""
    ids = list(call_ids)
    return sum(store.delete(ids) for store in _redacted_stores) if ids else 0


@dataclass
class Removed:
    """What was deleted, counted; ``calls`` are the ids touched."""

    calls: list[int] = field(default_factory=list)
    recordings: int = 0
    transcripts: int = 0
    transcript_lines: int = 0
    flags: int = 0
    comments: int = 0
    coaching_examples: int = 0
    review_texts: int = 0
    redacted_copies: int = 0

    def add(self, other: Removed) -> None:
        for name, value in vars(other).items():
            if name == "calls":
                self.calls.extend(c for c in value if c not in self.calls)
            else:
                setattr(self, name, getattr(self, name) + value)

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def delete_recording(call: Call, now: datetime | None = None) -> Removed:
    """Delete the call's recording file (after commit), its hash and its transcription jobs."""
    removed = Removed(calls=[call.id])
    if call.recording_deleted_at is not None:
        return removed
    if call.recording_path:
        shared = db.session.scalar(
            select(Call.id)
            .where(Call.recording_path == call.recording_path, Call.id != call.id)
            .limit(1)
        )
        if shared is None:
            try:
                path = recording_abspath(call.recording_path, current_app.config["RECORDINGS_DIR"])
            except ValidationFailed:
                logger.warning("call %s: stored recording path is outside storage", call.id)
            else:
                remove_after_commit(path)
        removed.recordings = 1
    db.session.execute(delete(TranscriptionJob).where(TranscriptionJob.call_id == call.id))
    call.recording_path = ""
    call.sha256 = ""
    call.recording_deleted_at = now or utcnow()
    return removed


def delete_transcript(call: Call, now: datetime | None = None) -> Removed:
    """Delete the transcript and every text of the call that identifies the customer."""
    removed = Removed(calls=[call.id])
    if call.transcript_deleted_at is not None:
        return removed
    lines = select(TranscriptSegment.id).where(TranscriptSegment.call_id == call.id)
    subject = select(ReviewSubject.id).where(ReviewSubject.call_id == call.id)
    reviews = select(Review.id).where(Review.subject_id.in_(subject))
    session = db.session
    removed.comments = _deleted(
        session,
        delete(Comment).where(or_(Comment.call_id == call.id, Comment.review_id.in_(reviews))),
    )
    removed.coaching_examples = _deleted(
        session, delete(CoachingExample).where(CoachingExample.call_id == call.id)
    )
    _deleted(session, delete(ObjectionCorrection).where(ObjectionCorrection.call_id == call.id))
    removed.flags = _deleted(session, delete(Finding).where(Finding.call_id == call.id))
    _deleted(session, delete(SegmentEdit).where(SegmentEdit.segment_id.in_(lines)))
    removed.transcript_lines = _deleted(
        session, delete(TranscriptSegment).where(TranscriptSegment.call_id == call.id)
    )
    _deleted(session, delete(ReviewDraft).where(ReviewDraft.subject_id.in_(subject)))
    for review in session.scalars(select(Review).where(Review.id.in_(reviews))):
        removed.review_texts += _strip_texts(review)
    for revision in session.scalars(
        select(ReviewRevision).where(ReviewRevision.review_id.in_(reviews))
    ):
        _strip_texts(revision)
    _renumber_notices(call)
    call.phone = None
    call.title = None
    call.original_filename = ""
    call.error = None
    call.transcript_deleted_at = now or utcnow()
    session.expire(call, ["segments", "findings"])
    removed.transcripts = 1
    return removed


def anonymise_call(call: Call, now: datetime | None = None) -> Removed:
    """Delete the recording, the transcript and the redacted copies of one call."""
    now = now or utcnow()
    removed = delete_recording(call, now)
    removed.add(delete_transcript(call, now))
    removed.redacted_copies = delete_redacted([call.id])
    return removed


def _renumber_notices(call: Call) -> None:
    """Notices that named the call by its title (which may name the customer) name it by number."""
    title = call.display_title
    pages = re.compile(rf"^/(?:me/)?calls/{call.id}(?:\D|$)")
    for notice in db.session.scalars(
        select(Notification).where(Notification.link.contains(f"calls/{call.id}"))
    ):
        if pages.match(notice.link) and notice.params.get("call_title") == title:
            notice.params = {**notice.params, "call_title": f"#{call.id}"}


def _deleted(session: Any, statement: Any) -> int:
    result = session.execute(statement.execution_options(synchronize_session=False))
    return int(result.rowcount or 0)


def _strip_texts(row: Review | ReviewRevision) -> int:
    """Clear the free text of a review or revision; the answers' values and the score stay."""
    stripped = 0
    if row.comment:
        row.comment = None
        stripped += 1
    answers = row.answers or {}
    if any(isinstance(a, dict) and a.get("comment") for a in answers.values()):
        row.answers = {
            key: ({**a, "comment": ""} if isinstance(a, dict) else a) for key, a in answers.items()
        }
        stripped += 1
    return stripped


# --- Files are removed once the deletion is committed ------------------------------------------


def remove_after_commit(path: str) -> None:
    """Remove the file once the deletion that made it unneeded is committed (kept when that
    transaction, or the savepoint it was asked in, is rolled back)."""
    session = db.session()
    transaction = session.get_nested_transaction() or session.get_transaction() or session.begin()
    session.info.setdefault(_AFTER_COMMIT, []).append((path, transaction))


@event.listens_for(Session, "after_commit")
def _remove_files(session: Session) -> None:
    if session.in_nested_transaction():
        return
    for path, _transaction in session.info.pop(_AFTER_COMMIT, []):
        discard(path)
        if os.path.exists(path):
            logger.error("could not remove deleted recording %s", path)


@event.listens_for(Session, "after_soft_rollback")
def _keep_files(session: Session, previous_transaction: SessionTransaction) -> None:
    pending = session.info.get(_AFTER_COMMIT)
    if not pending:
        return
    session.info[_AFTER_COMMIT] = [
        (path, transaction)
        for path, transaction in pending
        if not within_transaction(transaction, previous_transaction)
    ]
