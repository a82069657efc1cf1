"""The shopper's report: drafts kept as typed, and a submit that checks it is complete.

A draft keeps anything, partial answers included. :func:`submit` refuses an incomplete report
(visit times, narrative length, required evidence, every scorecard item), names the agent the
visit is about (:func:`seller_agent`), saves the scorecard as a review of the visit's subject
through the review service, and moves the assignment to submitted through
:func:`qa.services.mystery.assignments.move`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from qa.extensions import db
from qa.models import Agent, ScorecardVersion, ShopAssignment, ShopReport, User
from qa.models._base import utcnow
from qa.services.errors import NotFound, ValidationFailed
from qa.services.mystery import assignments
from qa.services.quality.reviews import save_review
from qa.services.quality.scorecards import definition_of
from qa.services.quality.subjects import subject_for_shop
from qa.services.validation import clean_text
from qa.timefmt import stored_from_local
from scoring.scorecard import ScorecardDefinition

EDITABLE = ("in_progress", "returned")
MAX_NARRATIVE = 20_000


@dataclass(frozen=True)
class VisitFacts:
    """What the report form carries, as typed (times in the company's zone, no tz)."""

    started_at: datetime | None = None
    ended_at: datetime | None = None
    seller: str | None = None
    wait_minutes: int | None = None
    narrative: str | None = None


def report_of(assignment: ShopAssignment) -> ShopReport | None:
    return db.session.scalar(select(ShopReport).where(ShopReport.assignment_id == assignment.id))


def own_assignment(assignment_id: int, user: User) -> ShopAssignment:
    """The shopper's own assignment; NotFound for any other (as if it did not exist)."""
    assignment = db.session.get(ShopAssignment, assignment_id)
    if assignment is None or assignment.shopper_id != user.id:
        raise NotFound(_("Nothing was found at this address."))
    return assignment


def scorecard_of(
    assignment: ShopAssignment,
) -> tuple[ScorecardVersion | None, ScorecardDefinition | None]:
    template = assignment.wave.scenario.template
    version = template.current if template is not None else None
    return version, (definition_of(version) if version is not None else None)


def editable_report(assignment: ShopAssignment, user: User) -> ShopReport:
    """The report the shopper may change now (created on first use)."""
    if assignment.shopper_id != user.id:
        raise NotFound(_("Nothing was found at this address."))
    if assignment.state not in EDITABLE:
        raise ValidationFailed(_("This report can no longer be changed."))
    report = report_of(assignment)
    if report is None:
        report = ShopReport(assignment=assignment, answers={})
        db.session.add(report)
        db.session.flush()
    return report


def _clean_answers(
    definition: ScorecardDefinition | None, values: Mapping[str, Any], comments: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """Keep only answers to the scorecard's items, in the values each item offers."""
    if definition is None:
        return {}
    kept: dict[str, dict[str, Any]] = {}
    for item in definition.items:
        raw = values.get(item.key)
        entry: dict[str, Any] = {}
        if raw not in (None, ""):
            offered = {str(choice): choice for choice in item.choices()}
            if str(raw) not in offered:
                raise ValidationFailed(
                    _("%(item)s: not one of the answers offered.", item=item.text)
                )
            entry["value"] = offered[str(raw)]
        comment = clean_text(
            comments.get(item.key), field=item.text, max_length=2000, multiline=True
        )
        if comment:
            entry["comment"] = comment
        if entry:
            kept[item.key] = entry
    return kept


def save_draft(
    assignment: ShopAssignment,
    user: User,
    facts: VisitFacts,
    values: Mapping[str, Any],
    comments: Mapping[str, str],
) -> ShopReport:
    """Keep everything typed so far; only values that are wrong in themselves are refused."""
    report = editable_report(assignment, user)
    _version, definition = scorecard_of(assignment)
    started = stored_from_local(facts.started_at) if facts.started_at else None
    ended = stored_from_local(facts.ended_at) if facts.ended_at else None
    if started and ended and ended < started:
        raise ValidationFailed(_("The visit cannot end before it starts."))
    if facts.wait_minutes is not None and not 0 <= facts.wait_minutes <= 24 * 60:
        raise ValidationFailed(_("Wait time must be between 0 and 1440 minutes."))
    report.visit_started_at = started
    report.visit_ended_at = ended
    report.seller = clean_text(facts.seller, field=_("Seller"), max_length=300)
    report.wait_minutes = facts.wait_minutes
    report.narrative = clean_text(
        facts.narrative, field=_("Narrative"), max_length=MAX_NARRATIVE, multiline=True
    )
    report.answers = _clean_answers(definition, values, comments)
    report.draft_saved_at = utcnow()
    db.session.flush()
    return report


def missing(report: ShopReport) -> list[str]:
    """What the report still lacks before it may be submitted (empty: complete)."""
    assignment = report.assignment
    scenario = assignment.wave.scenario
    problems = []
    if report.visit_started_at is None or report.visit_ended_at is None:
        problems.append(_("the visit's start and end time"))
    if not report.seller:
        problems.append(_("the seller's name or description"))
    length = len(report.narrative or "")
    if length < max(scenario.min_narrative_chars, 1):
        problems.append(
            _(
                "a narrative of at least %(n)d characters (now %(have)d)",
                n=max(scenario.min_narrative_chars, 1),
                have=length,
            )
        )
    if scenario.needs_recording and not report.evidence_of("recording"):
        problems.append(_("the recording"))
    if scenario.needs_photos and not report.evidence_of("photo"):
        problems.append(_("photos"))
    if scenario.needs_receipt and not report.evidence_of("receipt"):
        problems.append(_("the receipt"))
    version, definition = scorecard_of(assignment)
    if version is None or definition is None:
        problems.append(_("a scorecard on the scenario (ask your coordinator)"))
    else:
        for item in definition.items:
            if "value" not in (report.answers or {}).get(item.key, {}):
                problems.append(_("an answer to «%(item)s»", item=item.text))
    return problems


def seller_agent(assignment: ShopAssignment, seller: str | None) -> Agent | None:
    """The agent the report is about: of the active agents who work at the visited location,
    the one whose name the shopper wrote in the seller field, or the only one there."""
    staff = list(
        db.session.scalars(
            select(Agent)
            .where(Agent.location_id == assignment.location_id, Agent.active.is_(True))
            .order_by(Agent.id)
        )
    )
    words = _words(seller)
    overlap = {agent.id: len(words & _words(agent.name)) for agent in staff}
    best = max(overlap.values(), default=0)
    if best:
        named = [agent for agent in staff if overlap[agent.id] == best]
        return named[0] if len(named) == 1 else None
    return staff[0] if len(staff) == 1 else None


def _words(text: str | None) -> set[str]:
    """The words of a name or description worth matching (initials and short words left out)."""
    return {word for word in re.findall(r"\w+", (text or "").casefold()) if len(word) >= 3}


def submit(assignment: ShopAssignment, user: User) -> ShopReport:
    """Check the saved report is complete, save its scorecard, and hand it in."""
    report = editable_report(assignment, user)
    problems = missing(report)
    if problems:
        raise ValidationFailed(_("The report is not complete: %(what)s.", what="; ".join(problems)))
    version, _definition = scorecard_of(assignment)
    if version is None:  # missing() names it; kept for the type checker
        raise ValidationFailed(_("The scenario has no scorecard."))
    answers = report.answers or {}
    subject = subject_for_shop(assignment)
    seller = seller_agent(assignment, report.seller)
    if seller is not None:
        # Results by seller, the league of sellers and the agent's page count the shop for them.
        subject.agent = seller
    review = report.review
    if review is not None and review.scorecard_version_id != version.id:
        review = None
    report.review = save_review(
        subject,
        version,
        user,
        values={key: entry["value"] for key, entry in answers.items()},
        comments={key: entry.get("comment", "") for key, entry in answers.items()},
        comment=None,
        review=review,
        expected_version=review.version if review is not None else None,
    )
    if assignment.state == "returned":
        assignments.move(assignment, "in_progress", user)
    assignments.move(assignment, "submitted", user)
    report.submitted_at = utcnow()
    db.session.flush()
    return report
