"""Messages to the job queue, sent only when the transaction that wants them commits.

A message names a transcription job, an ad video to audit, the redaction of every stored
call, or of one call a viewer is waiting for. Sent before the commit, a worker could look for a
row it cannot see yet; a rolled-back savepoint (say, one rejected file of an upload) drops only
what was sent inside it.
"""

from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from qa.extensions import db
from qa.queue import job_queue
from qa.services.calls.recordings import within_transaction

logger = logging.getLogger(__name__)

_PENDING = "qa_jobs_to_dispatch"
TRANSCRIPTION = "transcription"
AD_VIDEO_AUDIT = "ad_video_audit"
REDACTION = "redaction"  # every stored call, by the redaction settings (item id unused)
CALL_REDACTION = "call_redaction"  # one call, ahead of the rest (item id: the call)


def send_after_commit(kind: str, item_id: int, delay: float | None = None) -> None:
    """Hand ``item_id`` to the queue's task for ``kind`` (TRANSCRIPTION: a job id, AD_VIDEO_AUDIT:
    a video id) when the current transaction commits; a rolled-back savepoint drops it."""
    session = db.session()
    session.flush()
    transaction = session.get_nested_transaction() or session.get_transaction() or session.begin()
    session.info.setdefault(_PENDING, []).append((item_id, delay, transaction, kind))


@event.listens_for(Session, "after_commit")
def _send_pending(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released; the real commit comes later
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    queue = job_queue()
    for item_id, delay, _transaction, kind in pending:
        try:
            if kind == AD_VIDEO_AUDIT:
                queue.send_video_audit(item_id)
            elif kind == REDACTION:
                queue.send_redaction()
            elif kind == CALL_REDACTION:
                queue.send_call_redaction(item_id)
            else:
                queue.send(item_id, delay)
        except Exception:
            # The row says "queued"; the sweeper (or a retry) sends it again once the queue answers.
            logger.exception("Could not queue %s %s; a retry sends it again", kind, item_id)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, previous_transaction: SessionTransaction) -> None:
    pending = session.info.get(_PENDING)
    if not pending:
        return
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)
        return
    session.info[_PENDING] = [
        entry for entry in pending if not within_transaction(entry[2], previous_transaction)
    ]
