"""Coaching: calls and moments of calls kept as good or bad examples, the library of them, and
examples assigned to employees, who mark them seen.

A moment is a transcript line or a time range (seconds from the call's start); an example
without one is the whole call. Examples are tagged with scorecard items (by key, from the
active scorecards) and objection labels (the built-in ones and active trackers' labels).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import selectinload

from qa.extensions import db
from qa.models import (
    Call,
    CoachingAssignment,
    CoachingExample,
    CoachingTag,
    Tracker,
    TranscriptSegment,
    User,
)
from qa.models._base import utcnow
from qa.models.coaching import TAG_ITEM, TAG_LABEL
from qa.roles import EMPLOYEE
from qa.services.errors import Conflict, ValidationFailed
from qa.services.notifications.inbox import notify
from qa.services.quality.scorecards import active_templates, definition_of
from qa.services.validation import clean_text, finite_float, record_id, sane_date
from qa.timefmt import local_today, seconds_clock
from qa.vocabulary import COACHING_KIND, OBJECTION
from scoring import detect_language
from scoring.nlp import SUPPORTED_LANGS

MAX_NOTE = 2000
MAX_ASSIGNMENT_NOTE = 1000
MAX_TAGS = 20
MAX_SEARCH = 200
# Longest call any upload allows (the call page's ``?t=`` limit too).
MAX_SECONDS = 24 * 3600
# Lines of transcript shown with a moment on the employee's page.
MAX_EXCERPT_LINES = 40
PAGE_SIZE = 50
# Length of a range prefilled from the player's position, in seconds.
PREFILL_SPAN = 15
# States of an assignment as the QA lead's overview filters them.
ASSIGNMENT_STATES = ("unseen", "overdue", "seen")
_CLOCK = re.compile(r"^(?:(\d{1,2}):)?(\d{1,4}):(\d{1,2}(?:\.\d+)?)$")


# --- what examples may be tagged with --------------------------------------------------------


def item_choices() -> list[tuple[str, str]]:
    """(key, name) of every item of the active scorecards; a key in two scorecards once."""
    seen: dict[str, str] = {}
    for template in active_templates():
        if template.current is None:
            continue
        for item in definition_of(template.current).items:
            seen.setdefault(item.key, f"{template.name}: {item.text or item.key}")
    return sorted(seen.items(), key=lambda pair: pair[1].casefold())


def label_choices() -> list[tuple[str, str]]:
    """(label, name): the built-in objections, then active trackers' labels."""
    found = [(term.value, str(term.label)) for term in OBJECTION]
    known = {value for value, _name in found}
    trackers = db.session.scalars(
        select(Tracker).where(Tracker.active.is_(True)).order_by(Tracker.label, Tracker.id)
    )
    for tracker in trackers:
        if tracker.label not in known:
            known.add(tracker.label)
            found.append((tracker.label, tracker.name))
    return found


def _checked_tags(values: object, allowed: dict[str, str], message: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, (list, tuple)):
        raise ValidationFailed(message)
    picked: list[str] = []
    for value in values:
        if not isinstance(value, str) or value not in allowed:
            raise ValidationFailed(message)
        if value not in picked:
            picked.append(value)
    if len(picked) > MAX_TAGS:
        raise ValidationFailed(_("Choose at most %(limit)d tags of each kind.", limit=MAX_TAGS))
    return picked


# --- moments -----------------------------------------------------------------------------


def parse_seconds(value: object, *, field: str) -> float | None:
    """A time in the call: seconds ("83.5") or a clock ("1:23", "0:01:23.5"); None when empty."""
    if isinstance(value, str):
        match = _CLOCK.match(value.strip())
        if match:
            hours, minutes, seconds = match.groups()
            return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    return finite_float(value, field=field, minimum=0, maximum=MAX_SECONDS)


def call_length(call: Call) -> float | None:
    """The call's length: the probed duration, else where its transcript ends."""
    if call.duration:
        return float(call.duration)
    end = db.session.scalar(
        select(func.max(TranscriptSegment.end)).where(TranscriptSegment.call_id == call.id)
    )
    return float(end) if end else None


@dataclass(frozen=True)
class Moment:
    start: float | None
    end: float | None
    segment: TranscriptSegment | None


def checked_moment(call: Call, segment_id: object, start: object, end: object) -> Moment:
    """The moment of ``call`` an example is about: a line (its times unless others are given),
    a time range inside the call, or nothing (the whole call)."""
    segment = None
    wanted = record_id(segment_id, field=_("Line"))
    if wanted is not None:
        segment = db.session.get(TranscriptSegment, wanted)
        if segment is None or segment.call_id != call.id:
            raise ValidationFailed(_("This line is not part of the call."))
    first = parse_seconds(start, field=_("From"))
    last = parse_seconds(end, field=_("To"))
    if segment is not None:
        first = segment.start if first is None else first
        last = segment.end if last is None else last
    if first is None and last is None:
        return Moment(None, None, None)
    if first is None or last is None:
        raise ValidationFailed(_("Give both ends of the moment, or neither for the whole call."))
    length = call_length(call)
    if length is None:
        raise ValidationFailed(
            _("The call's length is not known yet: keep the whole call as the example.")
        )
    # Segment times may run a little past the probed duration.
    if not (0 <= first < last <= length + 0.5):
        raise ValidationFailed(
            _(
                "The moment must lie inside the call (0:00 to %(length)s) and end after it starts.",
                length=seconds_clock(length),
            )
        )
    return Moment(first, last, segment)


def _lines(call_id: int, start: float | None, end: float | None) -> list[TranscriptSegment]:
    query = select(TranscriptSegment).where(TranscriptSegment.call_id == call_id)
    if start is not None and end is not None:
        query = query.where(TranscriptSegment.end > start, TranscriptSegment.start < end)
    order = (TranscriptSegment.position, TranscriptSegment.id)
    return list(db.session.scalars(query.order_by(*order).limit(MAX_EXCERPT_LINES)))


def excerpt(example: CoachingExample) -> list[TranscriptSegment]:
    """The transcript lines of the example's moment (the first lines of a whole call)."""
    return _lines(example.call_id, example.start_s, example.end_s)


def _lang(call: Call, moment: Moment) -> str | None:
    if call.language in SUPPORTED_LANGS:
        return str(call.language)
    text = " ".join(line.text for line in _lines(call.id, moment.start, moment.end))
    return detect_language(text) if text.strip() else None


# --- examples ------------------------------------------------------------------------------


def create_example(
    call: Call,
    *,
    kind: object,
    note: object,
    segment_id: object = None,
    start: object = None,
    end: object = None,
    items: object = None,
    labels: object = None,
    user: User | None,
) -> CoachingExample:
    """Keep ``call`` (or a moment of it) as a good or bad example."""
    if not isinstance(kind, str) or kind not in COACHING_KIND:
        raise ValidationFailed(_("Choose whether this is a good or a bad example."))
    text = clean_text(note, field=_("Note"), max_length=MAX_NOTE, required=True, multiline=True)
    item_keys = _checked_tags(
        items, dict(item_choices()), _("Unknown scorecard item: choose one from the list.")
    )
    label_values = _checked_tags(
        labels, dict(label_choices()), _("Unknown objection label: choose one from the list.")
    )
    moment = checked_moment(call, segment_id, start, end)
    example = CoachingExample(
        call_id=call.id,
        segment_id=moment.segment.id if moment.segment is not None else None,
        start_s=moment.start,
        end_s=moment.end,
        kind=kind,
        note=text,
        lang=_lang(call, moment),
        created_by_id=user.id if user is not None else None,
    )
    example.tags = [CoachingTag(kind=TAG_ITEM, value=v) for v in item_keys] + [
        CoachingTag(kind=TAG_LABEL, value=v) for v in label_values
    ]
    db.session.add(example)
    db.session.flush()
    return example


@dataclass(frozen=True)
class ExampleFilters:
    item: str | None = None
    label: str | None = None
    kind: str | None = None
    lang: str | None = None
    text: str | None = None


def _tagged(kind: str, value: str) -> Any:
    return exists().where(
        CoachingTag.example_id == CoachingExample.id,
        CoachingTag.kind == kind,
        CoachingTag.value == value,
    )


def _example_query(filters: ExampleFilters) -> Select[tuple[CoachingExample]]:
    query = select(CoachingExample)
    if filters.item:
        query = query.where(_tagged(TAG_ITEM, filters.item))
    if filters.label:
        query = query.where(_tagged(TAG_LABEL, filters.label))
    if filters.kind:
        query = query.where(CoachingExample.kind == filters.kind)
    if filters.lang:
        query = query.where(CoachingExample.lang == filters.lang)
    if filters.text:
        words = clean_text(filters.text, field=_("Search"), max_length=MAX_SEARCH)
        for word in (words or "").split():
            query = query.where(CoachingExample.note.icontains(word, autoescape=True))
    return query.order_by(CoachingExample.created_at.desc(), CoachingExample.id.desc())


def list_examples(filters: ExampleFilters, page: int) -> Any:
    """A page of the library, newest first."""
    query = _example_query(filters).options(
        selectinload(CoachingExample.tags),
        selectinload(CoachingExample.call),
        selectinload(CoachingExample.created_by),
    )
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def call_examples(call: Call) -> list[CoachingExample]:
    """The examples taken from one call, in the order of the call."""
    query = (
        select(CoachingExample)
        .where(CoachingExample.call_id == call.id)
        .options(selectinload(CoachingExample.tags))
        .order_by(CoachingExample.start_s.is_(None).desc(), CoachingExample.start_s)
    )
    return list(db.session.scalars(query))


# --- assignments ---------------------------------------------------------------------------


def assignable_employees() -> list[User]:
    """Active employee users, by name."""
    query = select(User).where(User.role == EMPLOYEE, User.is_active_user.is_(True))
    return list(db.session.scalars(query.order_by(User.name, User.id)))


def assign(
    example: CoachingExample,
    assignee_id: object,
    *,
    note: object = None,
    due_on: date | None = None,
    user: User | None,
) -> CoachingAssignment:
    """Give ``example`` to an active employee to study, by ``due_on`` if given."""
    wanted = record_id(assignee_id, field=_("Employee"))
    assignee = db.session.get(User, wanted) if wanted is not None else None
    if assignee is None or assignee.role != EMPLOYEE:
        raise ValidationFailed(_("Examples are assigned to employees: choose one from the list."))
    if not assignee.is_active_user:
        raise ValidationFailed(
            _("%(name)s is deactivated and cannot be assigned examples.", name=assignee.name)
        )
    text = clean_text(note, field=_("Note"), max_length=MAX_ASSIGNMENT_NOTE, multiline=True)
    sane_date(due_on, field=_("Due date"))
    if due_on is not None and due_on < local_today():
        raise ValidationFailed(_("The due date cannot be in the past."))
    clash = db.session.scalar(
        select(CoachingAssignment.id).where(
            CoachingAssignment.example_id == example.id,
            CoachingAssignment.assignee_id == assignee.id,
        )
    )
    if clash is not None:
        raise Conflict(_("This example is already assigned to %(name)s.", name=assignee.name))
    row = CoachingAssignment(
        example_id=example.id,
        assignee_id=assignee.id,
        assigned_by_id=user.id if user is not None else None,
        note=text,
        due_on=due_on,
    )
    db.session.add(row)
    db.session.flush()
    notify(
        assignee,
        "coaching.assigned",
        f"/coaching/mine/{row.id}",
        author=user.name if user is not None else "",
        coaching_id=row.id,
        due_on=due_on.isoformat() if due_on is not None else None,
    )
    return row


def own_assignment(assignment_id: int, user: User) -> CoachingAssignment | None:
    """The user's own assignment; None for another's as for one that does not exist."""
    row = db.session.get(CoachingAssignment, assignment_id)
    return row if row is not None and row.assignee_id == user.id else None


def my_assignments(user: User) -> list[CoachingAssignment]:
    """The user's assignments: unseen first (soonest due first), then seen."""
    query = (
        select(CoachingAssignment)
        .where(CoachingAssignment.assignee_id == user.id)
        .options(selectinload(CoachingAssignment.example).selectinload(CoachingExample.tags))
        .order_by(
            CoachingAssignment.seen_at.is_not(None),
            CoachingAssignment.due_on.is_(None),
            CoachingAssignment.due_on,
            CoachingAssignment.assigned_at.desc(),
            CoachingAssignment.id.desc(),
        )
    )
    return list(db.session.scalars(query))


def unseen_count(user: User) -> int:
    """How many of the user's assigned examples they have not marked seen yet."""
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(CoachingAssignment)
            .where(CoachingAssignment.assignee_id == user.id, CoachingAssignment.seen_at.is_(None))
        )
        or 0
    )


def mark_seen(assignment: CoachingAssignment) -> CoachingAssignment:
    """Mark the assignment seen; the first time counts."""
    if assignment.seen_at is None:
        assignment.seen_at = utcnow()
        db.session.flush()
    return assignment


def is_overdue(assignment: CoachingAssignment, today: date | None = None) -> bool:
    due = assignment.due_on
    return assignment.seen_at is None and due is not None and due < (today or local_today())


def list_assignments(state: str | None, page: int) -> Any:
    """A page of all assignments for QA leads, filtered by state (unseen, overdue, seen)."""
    query = select(CoachingAssignment).options(
        selectinload(CoachingAssignment.assignee),
        selectinload(CoachingAssignment.assigned_by),
        selectinload(CoachingAssignment.example).selectinload(CoachingExample.call),
    )
    if state == "seen":
        query = query.where(CoachingAssignment.seen_at.is_not(None))
    elif state == "unseen":
        query = query.where(CoachingAssignment.seen_at.is_(None))
    elif state == "overdue":
        query = query.where(
            CoachingAssignment.seen_at.is_(None), CoachingAssignment.due_on < local_today()
        )
    query = query.order_by(CoachingAssignment.assigned_at.desc(), CoachingAssignment.id.desc())
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def assignment_counts() -> dict[str, int]:
    """How many assignments are unseen, overdue and seen."""
    seen = CoachingAssignment.seen_at.is_not(None)
    overdue = and_(CoachingAssignment.seen_at.is_(None), CoachingAssignment.due_on < local_today())
    row = db.session.execute(
        select(
            func.count(CoachingAssignment.id).filter(~seen),
            func.count(CoachingAssignment.id).filter(overdue),
            func.count(CoachingAssignment.id).filter(seen),
        )
    ).one()
    return dict(zip(ASSIGNMENT_STATES, (int(n) for n in row), strict=True))


def prefill(call: Call, segment_id: object, at: object, until: object = None) -> dict[str, str]:
    """Form values for a new example from the call page's link: the chosen line's times, the
    chosen range, or a quarter of a minute from the player's position. Values that do not fit
    are left out."""
    try:
        wanted = record_id(segment_id, field="segment")
        at_seconds = finite_float(at, field="t", minimum=0, maximum=MAX_SECONDS)
        end_seconds = finite_float(until, field="end", minimum=0, maximum=MAX_SECONDS)
    except ValidationFailed:
        return {}
    if wanted is not None:
        segment = db.session.get(TranscriptSegment, wanted)
        if segment is not None and segment.call_id == call.id:
            return {
                "segment": str(segment.id),
                "start": _typed_clock(segment.start),
                "end": _typed_clock(segment.end),
            }
    length = call_length(call)
    if at_seconds is None or length is None or at_seconds >= length:
        return {}
    return {
        "start": _typed_clock(at_seconds),
        "end": _typed_clock(
            min(
                length,
                end_seconds
                if end_seconds and end_seconds > at_seconds
                else at_seconds + PREFILL_SPAN,
            )
        ),
    }


def _typed_clock(seconds: float) -> str:
    """m:ss.s as the form takes it back (a tenth of a second kept)."""
    tenths = round(seconds * 10)
    minutes, rest = divmod(tenths, 600)
    return f"{minutes}:{rest // 10:02d}.{rest % 10}"
