"""Redacted copies of a call (each line's redacted text and spans, the redacted recording) as
retention and deletion on request reach them: the store registered in ``anonymise``."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from datetime import datetime

from flask import current_app
from sqlalchemy import exists, func, or_, select, update

from qa.extensions import db
from qa.models import Call, TranscriptSegment
from qa.services.calls.recordings import recording_abspath
from qa.services.errors import ValidationFailed
from qa.services.privacy.anonymise import register_redacted_copies, remove_after_commit

MAX_CALLS_PER_RUN = 5000


class RedactedCopyStore:
    """Finds and deletes the redacted copies kept in the calls and transcript tables."""

    def made_before(self, cutoff: datetime) -> list[int]:
        """Calls made (else uploaded) before ``cutoff`` that still hold a redacted copy."""
        has_text = exists().where(
            TranscriptSegment.call_id == Call.id, TranscriptSegment.redacted_text.is_not(None)
        )
        query = (
            select(Call.id)
            .where(
                or_(Call.redacted_recording_path.is_not(None), has_text),
                func.coalesce(Call.called_at, Call.created_at) < cutoff,
            )
            .order_by(Call.id)
            .limit(MAX_CALLS_PER_RUN)
        )
        return list(db.session.scalars(query))

    def delete(self, call_ids: Iterable[int]) -> int:
        """Delete the copies of these calls; returns how many calls had one."""
        ids = sorted(set(call_ids))
        if not ids:
            return 0
        touched: set[int] = set()
        root = current_app.config["RECORDINGS_DIR"]
        for call in db.session.scalars(
            select(Call).where(Call.id.in_(ids), Call.redacted_recording_path.is_not(None))
        ):
            # A stored path outside storage is nothing of ours to remove.
            with suppress(ValidationFailed):
                remove_after_commit(recording_abspath(call.redacted_recording_path or "", root))
            call.redacted_recording_path = None
            touched.add(call.id)
        lines = db.session.execute(
            update(TranscriptSegment)
            .where(TranscriptSegment.call_id.in_(ids), TranscriptSegment.redacted_text.is_not(None))
            .values(redacted_text=None, pii_spans=None)
            .returning(TranscriptSegment.call_id)
            .execution_options(synchronize_session=False)
        )
        touched.update(lines.scalars())
        return len(touched)


def init_app() -> None:
    register_redacted_copies(_STORE)


_STORE = RedactedCopyStore()
