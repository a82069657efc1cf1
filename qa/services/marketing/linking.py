"""Linking calls to leads: given at upload, by hand, or by phone number within a time window."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import func, or_, select

from qa.extensions import db
from qa.models import Call, Lead
from qa.services.admin.settings import company_settings
from qa.services.marketing.phones import normalise_phone

# Links that automatic linking never overrides.
KEPT_LINKS = ("upload", "api", "manual")


def auto_link_call(call: Call) -> Lead | None:
    """Link ``call`` to the lead with the same phone created closest in time within the window."""
    if call.lead_link in KEPT_LINKS or not call.phone:
        return call.lead
    settings = company_settings()
    phone = normalise_phone(call.phone, settings.phone_region) or call.phone
    moment = call.called_at or call.created_at
    window = timedelta(hours=settings.lead_link_window_hours)
    candidates = db.session.scalars(
        select(Lead).where(
            Lead.phone == phone,
            Lead.created_at >= moment - window,
            Lead.created_at <= moment + window,
        )
    ).all()
    if not candidates:
        return None
    lead = min(candidates, key=lambda lead: abs(lead.created_at - moment))
    _attach(call, lead, "auto")
    return lead


def auto_link_leads(leads: Iterable[Lead]) -> int:
    """After an import: link calls without a kept link to these leads; returns links made.

    Calls store their phone in E.164 (see qa.services.calls.intake), so the lead's phone is
    compared in that form too; a call without a call time is placed at its upload time, as
    auto_link_call places it.
    """
    settings = company_settings()
    window = timedelta(hours=settings.lead_link_window_hours)
    moment = func.coalesce(Call.called_at, Call.created_at)
    linked = 0
    for lead in leads:
        phone = normalise_phone(lead.phone, settings.phone_region) or lead.phone
        if not phone:
            continue
        calls = db.session.scalars(
            select(Call).where(
                Call.phone == phone,
                or_(Call.lead_link.is_(None), Call.lead_link == "auto"),
                moment >= lead.created_at - window,
                moment <= lead.created_at + window,
            )
        ).all()
        for call in calls:
            if auto_link_call(call) is not None:
                linked += 1
    db.session.flush()
    return linked


def link_call(call: Call, lead: Lead, how: str = "manual") -> None:
    _attach(call, lead, how)


def unlink_call(call: Call) -> None:
    """Remove the link and remember it was removed by hand, so automatic linking keeps off."""
    call.lead = None
    call.lead_link = "manual"
    db.session.flush()


def _attach(call: Call, lead: Lead, how: str) -> None:
    call.lead = lead
    call.lead_link = how
    if call.campaign_id is None and lead.campaign_id is not None:
        call.campaign_id = lead.campaign_id
    db.session.flush()
