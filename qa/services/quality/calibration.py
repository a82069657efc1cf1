"""Calibration sessions: several reviewers score the same calls blind, then agreement is reported.

While a session is open a participant sees only their own answers; everyone's answers and the
report appear once a QA lead closes it. The report gives, per item and overall, the percent
agreement (the share of agreeing rater pairs over all pairs on each call) and Krippendorff's
alpha (the ``krippendorff`` package): nominal for yes/no items with N/A as a third category,
ordinal for scale items with N/A as a missing value, interval for the overall score. Each
reviewer's deviation is their score minus the consensus (median or mean of all participants'
scores on that call), averaged over the calls they scored.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from math import comb, nan

import krippendorff
import numpy as np
from flask_babel import gettext as _
from sqlalchemy import select

from qa.extensions import db
from qa.models import CalibrationSession, Call, Review, ScorecardTemplate, User
from qa.models._base import utcnow
from qa.models.review import CONSENSUS_METHODS
from qa.roles import can
from qa.services.errors import Conflict, NotFound, ValidationFailed
from qa.services.quality.scorecards import definition_of
from qa.services.validation import clean_text
from scoring.scorecard import NA, ScorecardItem

MAX_CALLS = 50


def create_session(
    *,
    name: str,
    template_id: int | None,
    call_ids: Sequence[int],
    participant_ids: Sequence[int],
    consensus: str,
    user: User,
) -> CalibrationSession:
    """Open a session on the template's current version for the given calls and reviewers."""
    clean_text(name, field=_("Name"), max_length=200)
    name = name.strip()
    if not name:
        raise ValidationFailed(_("The session needs a name."))
    template = db.session.get(ScorecardTemplate, template_id) if template_id else None
    if template is None or template.current is None:
        raise ValidationFailed(_("Choose a scorecard."))
    if consensus not in CONSENSUS_METHODS:
        raise ValidationFailed(_("Consensus must be the median or the mean."))
    unique_calls = list(dict.fromkeys(call_ids))
    if not 1 <= len(unique_calls) <= MAX_CALLS:
        raise ValidationFailed(_("Choose between 1 and %(max)d calls.", max=MAX_CALLS))
    calls = list(db.session.scalars(select(Call).where(Call.id.in_(unique_calls))))
    missing = sorted(set(unique_calls) - {c.id for c in calls})
    if missing:
        raise ValidationFailed(
            _("No call with id %(ids)s.", ids=", ".join(str(i) for i in missing))
        )
    people = list(db.session.scalars(select(User).where(User.id.in_(set(participant_ids)))))
    people = [p for p in people if p.is_active_user and can(p.role, "reviews")]
    if len(people) < 2:
        raise ValidationFailed(_("Choose at least two active reviewers."))
    session = CalibrationSession(
        name=name,
        scorecard_version=template.current,
        consensus=consensus,
        created_by_id=user.id,
        calls=calls,
        participants=people,
    )
    db.session.add(session)
    db.session.flush()
    return session


def list_sessions(user: User) -> list[CalibrationSession]:
    """Every session for those who run calibration, else the user's own sessions."""
    query = select(CalibrationSession).order_by(CalibrationSession.id.desc())
    sessions = list(db.session.scalars(query))
    if can(user.role, "calibration"):
        return sessions
    return [s for s in sessions if user in s.participants]


def can_view(session: CalibrationSession, user: User) -> bool:
    """Participants and those who run calibration may open a session."""
    return can(user.role, "calibration") or user in session.participants


def session_call(session: CalibrationSession, call_id: int) -> Call:
    """A call of the session; NotFound otherwise."""
    for call in session.calls:
        if call.id == call_id:
            return call
    raise NotFound(_("This call is not part of the session."))


def own_review(session: CalibrationSession, call: Call, user: User) -> Review | None:
    """The user's review of a call in this session, if any."""
    return next(
        (r for r in session.reviews if r.call_id == call.id and r.reviewer_id == user.id), None
    )


def check_can_score(session: CalibrationSession, user: User) -> None:
    """Only participants score, and only while the session is open."""
    if user not in session.participants:
        raise ValidationFailed(_("You are not a participant of this session."))
    if not session.is_open:
        raise Conflict(_("This session is closed; its answers can no longer change."))


def progress(session: CalibrationSession) -> dict[tuple[int, int], bool]:
    """(participant id, call id) -> scored; shows who is done without showing scores."""
    done = {(r.reviewer_id, r.call_id) for r in session.reviews}
    return {(p.id, c.id): (p.id, c.id) in done for p in session.participants for c in session.calls}


def close_session(session: CalibrationSession) -> None:
    """Close the session: answers are frozen and revealed."""
    if not session.is_open:
        raise Conflict(_("This session is already closed."))
    if not session.reviews:
        raise ValidationFailed(_("Nobody has scored a call yet; there is nothing to compare."))
    session.status = "closed"
    session.closed_at = utcnow()
    db.session.flush()


def percent_agreement(units: Sequence[Sequence[object]]) -> float | None:
    """Agreeing rater pairs over all rater pairs, pooled over units (None without pairs)."""
    pairs = agreeing = 0
    for values in units:
        if len(values) < 2:
            continue
        pairs += comb(len(values), 2)
        agreeing += sum(comb(n, 2) for n in Counter(values).values())
    return agreeing / pairs if pairs else None


def alpha(matrix: Sequence[Sequence[float]], level: str) -> float | None:
    """Krippendorff's alpha for a raters x units matrix (nan = missing); None when undefined."""
    data = np.array(matrix, dtype=float)
    if data.size == 0 or np.count_nonzero(~np.isnan(data).all(axis=0)) == 0:
        return None
    try:
        value = float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))
    except ValueError:  # one value in the whole domain: agreement is perfect but alpha undefined
        return None
    return None if np.isnan(value) else value


@dataclass(frozen=True)
class ItemAgreement:
    """Agreement on one scorecard item across the session's calls."""

    item: ScorecardItem
    percent: float | None
    alpha: float | None
    answers: dict[int, dict[int, object]]  # call id -> reviewer id -> answer


@dataclass(frozen=True)
class ReviewerDeviation:
    """A reviewer's mean signed and absolute distance from the consensus score."""

    reviewer: User
    mean: float | None
    mean_absolute: float | None
    calls_scored: int


@dataclass(frozen=True)
class CalibrationReport:
    """Everything the report page shows, computed from the stored calibration reviews."""

    items: list[ItemAgreement]
    overall_percent: float | None
    overall_alpha: float | None
    consensus: dict[int, float | None]  # call id -> consensus score
    scores: dict[int, dict[int, float | None]]  # call id -> reviewer id -> score
    deviations: list[ReviewerDeviation]


def _encode(item: ScorecardItem, value: object) -> float:
    if item.type == "yes_no":
        return {"yes": 1.0, "no": 0.0, NA: 2.0}.get(str(value), nan)
    return nan if value in (NA, None) else float(value)  # type: ignore[arg-type]


def build_report(session: CalibrationSession) -> CalibrationReport:
    """Agreement per item and overall, consensus per call, deviation per reviewer."""
    definition = definition_of(session.scorecard_version)
    raters = list(session.participants)
    calls = list(session.calls)
    by_pair = {(r.reviewer_id, r.call_id): r for r in session.reviews}

    items = []
    pairs_total = agreeing_total = 0
    for item in definition.items:
        answers: dict[int, dict[int, object]] = {}
        for call in calls:
            given = [by_pair.get((rater.id, call.id)) for rater in raters]
            answers[call.id] = {
                rater.id: review.answers[item.key]["value"]
                for rater, review in zip(raters, given, strict=True)
                if review is not None and item.key in review.answers
            }
        units = [list(a.values()) for a in answers.values()]
        for values in units:
            if len(values) >= 2:
                pairs_total += comb(len(values), 2)
                agreeing_total += sum(comb(n, 2) for n in Counter(values).values())
        matrix = [
            [_encode(item, answers[c.id].get(r.id)) for c in calls] for r in raters
        ]
        level = "nominal" if item.type == "yes_no" else "ordinal"
        items.append(
            ItemAgreement(
                item=item, percent=percent_agreement(units), alpha=alpha(matrix, level),
                answers=answers,
            )
        )

    scores = {
        c.id: {r.id: by_pair[(r.id, c.id)].score for r in raters if (r.id, c.id) in by_pair}
        for c in calls
    }
    average = statistics.median if session.consensus == "median" else statistics.fmean
    consensus: dict[int, float | None] = {}
    for call_id, per_rater in scores.items():
        known = [s for s in per_rater.values() if s is not None]
        consensus[call_id] = float(average(known)) if known else None
    score_matrix = [
        [nan if scores[c.id].get(r.id) is None else float(scores[c.id][r.id]) for c in calls]  # type: ignore[arg-type]
        for r in raters
    ]
    deviations = []
    for rater in raters:
        diffs = [
            per_rater[rater.id] - consensus[call_id]  # type: ignore[operator]
            for call_id, per_rater in scores.items()
            if per_rater.get(rater.id) is not None and consensus[call_id] is not None
        ]
        deviations.append(
            ReviewerDeviation(
                reviewer=rater,
                mean=statistics.fmean(diffs) if diffs else None,
                mean_absolute=statistics.fmean(abs(d) for d in diffs) if diffs else None,
                calls_scored=sum(1 for per_rater in scores.values() if rater.id in per_rater),
            )
        )
    return CalibrationReport(
        items=items,
        overall_percent=agreeing_total / pairs_total if pairs_total else None,
        overall_alpha=alpha(score_matrix, "interval"),
        consensus=consensus,
        scores=scores,
        deviations=deviations,
    )


def form_choices(recent: int = 100) -> tuple[list[ScorecardTemplate], list[Call], list[User]]:
    """Active scorecards, the latest transcribed calls and the people who can review."""
    from qa.services.quality.scorecards import active_templates

    calls = db.session.scalars(
        select(Call)
        .where(Call.status == "transcribed")
        .order_by(Call.created_at.desc(), Call.id.desc())
        .limit(recent)
    ).all()
    users = db.session.scalars(
        select(User).where(User.is_active_user.is_(True)).order_by(User.name)
    ).all()
    return active_templates(), list(calls), [u for u in users if can(u.role, "reviews")]
