"""Retention periods: per company, how many days a call's recording, transcript and redacted
copies are kept after the call, and the daily run that deletes what is due.

A period counts whole days in company time from the day of the call (its ``called_at``, else
when it was uploaded): with 30 days, a call made on 1 March is kept through 31 March and
deleted by the run of 1 April. Empty keeps for ever. What goes and what stays is
:mod:`qa.services.privacy.anonymise`. Each run that deletes something writes one
``retention.deleted`` event (counts and call ids) to the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from qa.extensions import db
from qa.models import Call, CompanySettings
from qa.services.admin import audit
from qa.services.admin.settings import company_settings
from qa.services.errors import ValidationFailed
from qa.services.privacy.anonymise import (
    Removed,
    delete_recording,
    delete_redacted,
    delete_transcript,
    redacted_stores,
)
from qa.services.validation import sane_date, whole_number
from qa.timefmt import day_start, local_today

MAX_DAYS = 36500  # a hundred years
# Calls handled per kind and run: a first run on years of calls goes on the next days.
MAX_CALLS_PER_RUN = 5000
KINDS = ("recording", "transcript", "redacted")
COLUMNS = {
    "recording": "recording_retention_days",
    "transcript": "transcript_retention_days",
    "redacted": "redacted_retention_days",
}
ACTION = "retention.deleted"


def field_names() -> dict[str, str]:
    return {
        "recording": _("Keep recordings, days"),
        "transcript": _("Keep transcripts, days"),
        "redacted": _("Keep redacted copies, days"),
    }


def checked_days(value: object, *, field: str) -> int | None:
    """Days as typed: a whole number 1..36500, or None (empty: for ever)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    days = whole_number(value, field=field, minimum=1, maximum=MAX_DAYS)
    if days is None:
        return None
    return days


def update_retention(values: dict[str, object]) -> CompanySettings:
    """Store the retention periods (kind -> days or empty); each is checked first."""
    names = field_names()
    unknown = set(values) - set(KINDS)
    if unknown:
        raise ValidationFailed(_("Unknown retention kind: %(kind)s", kind=sorted(unknown)[0]))
    checked = {kind: checked_days(values[kind], field=names[kind]) for kind in values}
    settings = company_settings()
    changed = {k: v for k, v in checked.items() if getattr(settings, COLUMNS[k]) != v}
    for kind, days in checked.items():
        setattr(settings, COLUMNS[kind], days)
    db.session.flush()
    if changed:
        audit.record(
            "update",
            "settings",
            settings.id,
            _("Retention periods"),
            **{COLUMNS[k]: v for k, v in checked.items()},
        )
    return settings


def periods(settings: CompanySettings | None = None) -> dict[str, int | None]:
    """The stored periods by kind (None: kept for ever)."""
    settings = settings or company_settings()
    return {kind: getattr(settings, column) for kind, column in COLUMNS.items()}


def cutoff(today: date, days: int) -> datetime:
    """Stored (UTC) moment before which a call's data of this period is due on ``today``."""
    return day_start(today - timedelta(days=days))


def _call_moment() -> object:
    return func.coalesce(Call.called_at, Call.created_at)


def due_calls(kind: str, today: date, days: int) -> list[Call]:
    """Calls whose recording or transcript (``kind``) is due for deletion on ``today``."""
    deleted_at = Call.recording_deleted_at if kind == "recording" else Call.transcript_deleted_at
    return list(
        db.session.scalars(
            select(Call)
            .where(deleted_at.is_(None), _call_moment() < cutoff(today, days))
            .order_by(Call.id)
            .limit(MAX_CALLS_PER_RUN)
        )
    )


@dataclass
class RetentionRun:
    today: date
    periods: dict[str, int | None]
    recordings: list[int] = field(default_factory=list)
    transcripts: list[int] = field(default_factory=list)
    redacted: list[int] = field(default_factory=list)
    removed: Removed = field(default_factory=Removed)

    @property
    def anything(self) -> bool:
        return bool(self.recordings or self.transcripts or self.removed.redacted_copies)


def run_retention(
    today: date | None = None, *, clock: Callable[[], date] = local_today
) -> RetentionRun:
    """Delete what is due on ``today`` (default: the company's today from ``clock``).

    The caller commits (files go after the commit) or rolls back for a dry run.
    """
    today = today or clock()
    sane_date(today, field=_("Date"))
    result = RetentionRun(today=today, periods=periods())
    days = result.periods
    if days["recording"]:
        for call in due_calls("recording", today, days["recording"]):
            result.removed.add(delete_recording(call))
            result.recordings.append(call.id)
    if days["transcript"]:
        for call in due_calls("transcript", today, days["transcript"]):
            result.removed.add(delete_transcript(call))
            result.transcripts.append(call.id)
    if days["redacted"] and redacted_stores():
        moment = cutoff(today, days["redacted"])
        ids = sorted({i for store in redacted_stores() for i in store.made_before(moment)})
        result.redacted = ids[:MAX_CALLS_PER_RUN]
        result.removed.redacted_copies = delete_redacted(result.redacted)
    db.session.flush()
    if result.anything:
        audit.record(
            ACTION,
            "retention_run",
            None,
            _(
                "Retention: recordings deleted: %(recordings)d, "
                "transcripts deleted: %(transcripts)d",
                recordings=len(result.recordings),
                transcripts=len(result.transcripts),
            ),
            today=today.isoformat(),
            periods=days,
            recording_calls=result.recordings,
            transcript_calls=result.transcripts,
            redacted_calls=result.redacted,
            counts={k: v for k, v in result.removed.as_dict().items() if k != "calls"},
        )
    return result
