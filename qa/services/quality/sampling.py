"""Review sampling: rules pick calls and put their review subjects in reviewers' queues.

Assignments and the per-agent quotas go through review subjects (the subject's agent and time),
so a later kind of subject can be queued by the same code. Only transcribed calls that have no
review and no assignment yet are picked, so running a rule
again (on demand or from the periodic task) only tops up what is missing. ``random_per_agent``
fills a quota of calls per agent within the current calendar period (day, ISO week, month);
``flag`` picks every call with a finding of the given label from the last period (a rolling
window, so calls transcribed late are still caught on the next run).

Assignment goes to the rule's reviewer, or round-robin among active reviewers: each new call
goes to the reviewer with the fewest open assignments (ties by user id), which cycles evenly
and evens out queues that are already unbalanced.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql import Select

from qa.extensions import db
from qa.models import (
    Call,
    Finding,
    Review,
    ReviewAssignment,
    ReviewSubject,
    SamplingRule,
    ScorecardTemplate,
    User,
)
from qa.models._base import utcnow
from qa.models.review import SAMPLING_KINDS, SAMPLING_PERIODS
from qa.roles import REVIEWER
from qa.services.errors import ValidationFailed
from qa.services.quality.subjects import subject_for_call
from qa.services.validation import clean_text

ROLLING_DAYS = {"day": 1, "week": 7, "month": 30}
MAX_COUNT = 100


def period_bounds(period: str, now: datetime) -> tuple[datetime, datetime]:
    """Start and end of the calendar day, ISO week (from Monday) or month containing ``now``."""
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "day":
        return day, day + timedelta(days=1)
    if period == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=7)
    if period == "month":
        start = day.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
        return start, end
    raise ValueError(f"unknown period {period!r}")


def active_reviewers() -> list[User]:
    """Users with the reviewer role whose accounts are active, by id."""
    query = select(User).where(User.role == REVIEWER, User.is_active_user.is_(True))
    return list(db.session.scalars(query.order_by(User.id)))


def list_rules() -> list[SamplingRule]:
    """All rules, active first."""
    query = select(SamplingRule).order_by(SamplingRule.active.desc(), SamplingRule.name)
    return list(db.session.scalars(query))


def save_rule(
    rule: SamplingRule | None,
    *,
    name: str,
    kind: str,
    count: int | None,
    period: str,
    flag_label: str | None,
    template_id: int | None,
    reviewer_id: int | None,
    active: bool,
    user: User | None,
) -> SamplingRule:
    """Create (``rule`` None) or update a sampling rule after checking its settings."""
    clean_text(name, field=_("Name"), max_length=120)
    clean_text(flag_label, field=_("Flag label"), max_length=60)
    name = name.strip()
    flag_label = (flag_label or "").strip() or None
    if not name:
        raise ValidationFailed(_("The rule needs a name."))
    if kind not in SAMPLING_KINDS:
        raise ValidationFailed(_("Unknown rule kind: %(kind)s", kind=kind))
    if period not in SAMPLING_PERIODS:
        raise ValidationFailed(_("Unknown period: %(period)s", period=period))
    if kind == "random_per_agent" and not (count and 1 <= count <= MAX_COUNT):
        raise ValidationFailed(
            _("The number of calls per agent must be between 1 and %(max)d.", max=MAX_COUNT)
        )
    if kind == "flag" and not flag_label:
        raise ValidationFailed(_("Choose the flag label that selects calls."))
    if template_id and db.session.get(ScorecardTemplate, template_id) is None:
        raise ValidationFailed(_("That scorecard does not exist."))
    if reviewer_id:
        reviewer = db.session.get(User, reviewer_id)
        if reviewer is None or not reviewer.is_active_user:
            raise ValidationFailed(_("Choose an active reviewer."))
    if rule is None:
        rule = SamplingRule(created_by_id=user.id if user else None)
        db.session.add(rule)
    rule.name = name
    rule.kind = kind
    rule.count = count or 1
    rule.period = period
    rule.flag_label = flag_label if kind == "flag" else None
    rule.template_id = template_id or None
    rule.reviewer_id = reviewer_id or None
    rule.active = active
    db.session.flush()
    return rule


def _call_time():  # type: ignore[no-untyped-def]
    return func.coalesce(Call.called_at, Call.created_at)


def _eligible_calls() -> Select[tuple[Call]]:
    """Transcribed calls with no assignment and no regular review."""
    of_call = ReviewSubject.call_id == Call.id
    assigned = exists().where(ReviewAssignment.subject_id == ReviewSubject.id, of_call)
    reviewed = exists().where(
        Review.subject_id == ReviewSubject.id,
        of_call,
        Review.is_regular,
    )
    return select(Call).where(Call.status == "transcribed", ~assigned, ~reviewed)


def _pick_calls(rule: SamplingRule, now: datetime, rng: random.Random) -> list[Call]:
    if rule.kind == "flag":
        since = now - timedelta(days=ROLLING_DAYS[rule.period])
        flagged = exists().where(Finding.call_id == Call.id, Finding.label == rule.flag_label)
        query = (
            _eligible_calls()
            .where(flagged, _call_time() >= since)
            .order_by(_call_time(), Call.id)
        )
        return list(db.session.scalars(query))
    start, end = period_bounds(rule.period, now)
    in_period = (_call_time() >= start) & (_call_time() < end)
    done_query = (
        select(ReviewSubject.agent_id, func.count(ReviewAssignment.id))
        .join(ReviewAssignment, ReviewAssignment.subject_id == ReviewSubject.id)
        .where(
            ReviewAssignment.rule_id == rule.id,
            ReviewSubject.occurred_at >= start,
            ReviewSubject.occurred_at < end,
            ReviewSubject.agent_id.is_not(None),
        )
        .group_by(ReviewSubject.agent_id)
    )
    already = dict(db.session.execute(done_query).all())
    candidates: dict[int, list[Call]] = defaultdict(list)
    query = _eligible_calls().where(in_period, Call.agent_id.is_not(None)).order_by(Call.id)
    for call in db.session.scalars(query):
        candidates[call.agent_id].append(call)  # type: ignore[index]
    picked: list[Call] = []
    for agent_id in sorted(candidates):
        missing = rule.count - already.get(agent_id, 0)
        if missing > 0:
            pool = candidates[agent_id]
            picked.extend(rng.sample(pool, min(missing, len(pool))))
    return picked


def _open_load(reviewers: list[User]) -> dict[int, int]:
    query = (
        select(ReviewAssignment.reviewer_id, func.count(ReviewAssignment.id))
        .where(ReviewAssignment.status == "open")
        .group_by(ReviewAssignment.reviewer_id)
    )
    counts = dict(db.session.execute(query).all())
    return {reviewer.id: counts.get(reviewer.id, 0) for reviewer in reviewers}


def run_rule(
    rule: SamplingRule, now: datetime | None = None, rng: random.Random | None = None
) -> list[ReviewAssignment]:
    """Pick the calls a rule wants now and assign them; returns the new assignments."""
    now = now or utcnow()
    rng = rng or random.Random()  # noqa: S311 - sampling, not security
    if rule.reviewer_id:
        if rule.reviewer is None or not rule.reviewer.is_active_user:
            raise ValidationFailed(
                _("Rule “%(name)s”: its reviewer is no longer active.", name=rule.name)
            )
        reviewers = [rule.reviewer]
    else:
        reviewers = active_reviewers()
    if not reviewers:
        raise ValidationFailed(_("There is no active reviewer to assign calls to."))
    load = _open_load(reviewers)
    created = []
    for call in _pick_calls(rule, now, rng):
        reviewer_id = min(load, key=lambda rid: (load[rid], rid))
        load[reviewer_id] += 1
        assignment = ReviewAssignment(
            subject=subject_for_call(call),
            reviewer_id=reviewer_id,
            rule_id=rule.id,
            template_id=rule.template_id,
        )
        db.session.add(assignment)
        created.append(assignment)
    rule.last_run_at = now
    db.session.flush()
    return created


@dataclass(frozen=True)
class SamplingRun:
    """What one run of all active rules did: new assignments per rule and the rules that failed."""

    created: dict[int, int]
    problems: list[str]

    @property
    def total(self) -> int:
        return sum(self.created.values())


def run_active_rules(now: datetime | None = None, rng: random.Random | None = None) -> SamplingRun:
    """Run every active rule; a rule that cannot run is reported, the others still run."""
    created: dict[int, int] = {}
    problems: list[str] = []
    for rule in list_rules():
        if not rule.active:
            continue
        try:
            created[rule.id] = len(run_rule(rule, now, rng))
        except ValidationFailed as exc:
            problems.append(str(exc))
    return SamplingRun(created=created, problems=problems)


def my_queue(
    user: User, done_limit: int = 20
) -> tuple[list[ReviewAssignment], list[ReviewAssignment]]:
    """A reviewer's open assignments (oldest first) and the latest done ones."""
    base = (
        select(ReviewAssignment)
        .where(ReviewAssignment.reviewer_id == user.id)
        .options(
            selectinload(ReviewAssignment.subject).selectinload(ReviewSubject.agent),
            selectinload(ReviewAssignment.subject)
            .selectinload(ReviewSubject.call)
            .selectinload(Call.findings),
            selectinload(ReviewAssignment.rule),
            selectinload(ReviewAssignment.review),
        )
    )
    open_items = db.session.scalars(
        base.where(ReviewAssignment.status == "open").order_by(ReviewAssignment.id)
    ).all()
    done = db.session.scalars(
        base.where(ReviewAssignment.status == "done")
        .order_by(ReviewAssignment.done_at.desc(), ReviewAssignment.id.desc())
        .limit(done_limit)
    ).all()
    return list(open_items), list(done)


def complete_assignments(subject: ReviewSubject, user: User, review: Review) -> int:
    """Mark the user's open assignments for ``subject`` done by ``review``; returns how many."""
    query = select(ReviewAssignment).where(
        ReviewAssignment.subject_id == subject.id,
        ReviewAssignment.reviewer_id == user.id,
        ReviewAssignment.status == "open",
    )
    assignments = list(db.session.scalars(query))
    for assignment in assignments:
        assignment.status = "done"
        assignment.review_id = review.id
        assignment.done_at = utcnow()
    db.session.flush()
    return len(assignments)


def next_in_queue(user: User, skip_subject_id: int | None = None) -> ReviewAssignment | None:
    """The user's oldest open assignment of a call, other than the subject just scored."""
    query = (
        select(ReviewAssignment)
        .join(ReviewSubject, ReviewSubject.id == ReviewAssignment.subject_id)
        .where(
            ReviewAssignment.reviewer_id == user.id,
            ReviewAssignment.status == "open",
            ReviewSubject.call_id.is_not(None),
        )
        .order_by(ReviewAssignment.id)
        .limit(1)
    )
    if skip_subject_id is not None:
        query = query.where(ReviewAssignment.subject_id != skip_subject_id)
    return db.session.scalar(query)
