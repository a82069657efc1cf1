"""Deleting personal data on request (152-FZ art. 21, GDPR art. 17): one call, or everything
about one phone number, shown first and then deleted, with a printable deletion record.

A number is read with the ``phonenumbers`` library in the company's phone region, so
"+7 916 123-45-67", "8 916 123 45 67" and "916 1234567" are the same number; calls and leads
store numbers in that form (E.164). Calls lose what :mod:`qa.services.privacy.anonymise` says;
leads with the number lose the number, the name, the customer id and the CRM id, and keep the
campaign, status and amount (dashboard and pay figures). The record keeps the number masked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from qa.extensions import db
from qa.models import Call, Lead, PersonalDataErasure, TranscriptSegment, User
from qa.models._base import utcnow
from qa.services.admin import audit
from qa.services.admin.settings import company_settings
from qa.services.errors import NotFound, ValidationFailed
from qa.services.marketing.phones import normalise_phone
from qa.services.privacy.anonymise import Removed, anonymise_call
from qa.services.validation import clean_text, whole_number

MAX_REQUESTED_BY = 200
MAX_REASON = 2000
MAX_ID = 2**31 - 1
ACTION = "erasure.deleted"


def phone_number(raw: object, region: str | None = None) -> str:
    """``raw`` as E.164 in the company's region; ValidationFailed when it is not a number."""
    text = clean_text(raw, field=_("Phone number"), max_length=40, required=True) or ""
    phone = normalise_phone(text, region or company_settings().phone_region)
    if phone is None:
        raise ValidationFailed(_("Not a valid phone number: %(value)s", value=text))
    return phone


def masked(phone: str) -> str:
    """The number as the deletion record keeps it: all but the last two digits hidden."""
    return phone[:2] + "•" * max(0, len(phone) - 4) + phone[-2:]


@dataclass
class ErasurePlan:
    """What a deletion would remove, shown before it is done."""

    scope: str  # "call" or "phone"
    target: str  # what the record shows: "#12" or the masked number
    value: str  # what the form sends back: the call id or the E.164 number
    calls: list[Call] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)
    transcript_lines: int = 0
    recordings: int = 0

    @property
    def empty(self) -> bool:
        return not self.calls and not self.leads


def plan_for_call(raw_id: object) -> ErasurePlan:
    """What deleting the personal data of call ``raw_id`` removes."""
    call_id = whole_number(raw_id, field=_("Call ID"), minimum=1, maximum=MAX_ID)
    if call_id is None:
        raise ValidationFailed(_("Give a call ID or a phone number."))
    call = db.session.get(Call, call_id)
    if call is None:
        raise NotFound(_("There is no call #%(id)d.", id=call_id))
    return _counted(
        ErasurePlan(scope="call", target=f"#{call_id}", value=str(call_id), calls=[call])
    )


def plan_for_phone(raw: object) -> ErasurePlan:
    """What deleting everything about one phone number removes."""
    phone = phone_number(raw)
    calls = list(db.session.scalars(select(Call).where(Call.phone == phone).order_by(Call.id)))
    leads = list(db.session.scalars(select(Lead).where(Lead.phone == phone).order_by(Lead.id)))
    return _counted(
        ErasurePlan(scope="phone", target=masked(phone), value=phone, calls=calls, leads=leads)
    )


def plan(call_id: object = None, phone: object = None) -> ErasurePlan:
    """The plan for a call id or a phone number (exactly one of them)."""
    has_call = call_id is not None and str(call_id).strip() != ""
    has_phone = phone is not None and str(phone).strip() != ""
    if has_call == has_phone:
        raise ValidationFailed(_("Give a call ID or a phone number, not both."))
    return plan_for_call(call_id) if has_call else plan_for_phone(phone)


def _counted(found: ErasurePlan) -> ErasurePlan:
    ids = [c.id for c in found.calls]
    if ids:
        found.transcript_lines = (
            db.session.scalar(
                select(func.count())
                .select_from(TranscriptSegment)
                .where(TranscriptSegment.call_id.in_(ids))
            )
            or 0
        )
    found.recordings = sum(1 for c in found.calls if c.recording_path)
    return found


def requester(value: object) -> str:
    """Who asked for the deletion (a name): required, one line, at most 200 characters."""
    return (
        clean_text(value, field=_("Requested by"), max_length=MAX_REQUESTED_BY, required=True) or ""
    )


def erase(
    found: ErasurePlan, *, requested_by: object, reason: object = "", actor: User | None = None
) -> PersonalDataErasure:
    """Delete what ``found`` lists and store the deletion record (the caller commits)."""
    who = requester(requested_by)
    why = clean_text(reason, field=_("Reason"), max_length=MAX_REASON, multiline=True) or ""
    now = utcnow()
    removed = Removed()
    for call in found.calls:
        removed.add(anonymise_call(call, now))
    for lead in found.leads:
        lead.phone = None
        lead.name = None
        lead.customer_id = None
        lead.external_id = None
    db.session.flush()
    summary: dict[str, Any] = removed.as_dict()
    summary["leads"] = [lead.id for lead in found.leads]
    record = PersonalDataErasure(
        at=now,
        actor_id=actor.id if actor is not None else None,
        actor_name=(actor.name or actor.email)[:120] if actor is not None else "",
        scope=found.scope,
        target=found.target,
        requested_by=who,
        reason=why,
        summary=summary,
    )
    db.session.add(record)
    db.session.flush()
    audit.record(
        ACTION,
        "personal_data_erasure",
        record.id,
        _("Personal data deleted (%(target)s) on request of %(who)s", target=found.target, who=who),
        calls=summary["calls"],
        leads=summary["leads"],
        recordings=removed.recordings,
        transcript_lines=removed.transcript_lines,
    )
    return record


def recent_records(limit: int) -> list[PersonalDataErasure]:
    """The latest deletion records, newest first."""
    return list(
        db.session.scalars(
            select(PersonalDataErasure).order_by(PersonalDataErasure.id.desc()).limit(limit)
        )
    )


def erased_on_request(call_id: int, deleted_at: datetime) -> bool:
    """Whether the call's data deleted at ``deleted_at`` went on request (a deletion record of
    that moment names it) rather than under retention."""
    near = select(PersonalDataErasure).where(
        PersonalDataErasure.at.between(deleted_at - timedelta(seconds=1), deleted_at)
    )
    return any(
        call_id in (record.summary or {}).get("calls", []) for record in db.session.scalars(near)
    )
