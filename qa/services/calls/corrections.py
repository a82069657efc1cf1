"""Corrections of objection flags: a flag marked wrong, an objection the detector missed.

Reviewers mark; QA leads accept or reject. Accepted corrections become training rows for the
next round of the objection classifier (:func:`accepted_training_rows`, read by
``qa train objections``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import CursorResult, Select, select, update
from sqlalchemy.orm import selectinload

from qa.extensions import db
from qa.models import Call, Finding, ObjectionCorrection, TranscriptSegment, User
from qa.models._base import utcnow
from qa.services.admin import audit
from qa.services.calls.redaction import analysed_text
from qa.services.errors import Conflict, ValidationFailed
from qa.services.validation import clean_text, whole_number
from qa.vocabulary import CORRECTION_KIND, CORRECTION_STATUS, OBJECTION
from scoring import BUILTIN_LABELS, detect_language
from scoring.nlp import SUPPORTED_LANGS

# Longest selection of words kept (a whole segment is at most 5000 characters).
MAX_WORDS = 5000
MAX_NOTE = 1000
# Rows per page of the corrections list.
PAGE_SIZE = 50


def _check_label(label: object) -> str:
    if not isinstance(label, str) or label not in BUILTIN_LABELS:
        raise ValidationFailed(_("Choose an objection: price or assortment."))
    return label


def _check_speaker(segment: TranscriptSegment) -> None:
    if segment.speaker == "agent":
        raise ValidationFailed(
            _("Objections are flagged only in what the customer says; this line is the agent's.")
        )


def _lang(call: Call, segment: TranscriptSegment) -> str:
    if call.language in SUPPORTED_LANGS:
        return str(call.language)
    return detect_language(segment.text)


def _agent_turn_before(segment: TranscriptSegment) -> str | None:
    """The agent's text just before the segment (the nearest earlier agent line), if any."""
    before = db.session.scalar(
        select(TranscriptSegment)
        .where(
            TranscriptSegment.call_id == segment.call_id,
            TranscriptSegment.position < segment.position,
            TranscriptSegment.speaker == "agent",
        )
        .order_by(TranscriptSegment.position.desc(), TranscriptSegment.id.desc())
        .limit(1)
    )
    return None if before is None else analysed_text(before)


def _refuse_duplicate(segment_id: int, kind: str, label: str, start: int, end: int) -> None:
    """A pending mark of the same kind and label over overlapping words is refused."""
    clash = db.session.scalar(
        select(ObjectionCorrection.id)
        .where(
            ObjectionCorrection.segment_id == segment_id,
            ObjectionCorrection.kind == kind,
            ObjectionCorrection.label == label,
            ObjectionCorrection.status == "pending",
            ObjectionCorrection.start_char < end,
            ObjectionCorrection.end_char > start,
        )
        .limit(1)
    )
    if clash is not None:
        raise Conflict(
            _(
                "These words are already marked (%(kind)s, %(label)s) and wait for a decision.",
                kind=CORRECTION_KIND.label(kind),
                label=OBJECTION.label(label),
            )
        )


def _store(
    segment: TranscriptSegment,
    *,
    kind: str,
    label: str,
    start: int,
    end: int,
    text: str,
    finding: Finding | None,
    user: User | None,
) -> ObjectionCorrection:
    _refuse_duplicate(segment.id, kind, label, start, end)
    call = segment.call
    row = ObjectionCorrection(
        call_id=call.id,
        segment_id=segment.id,
        finding_id=finding.id if finding else None,
        kind=kind,
        label=label,
        start_char=start,
        end_char=end,
        text=text,
        segment_text=analysed_text(segment),
        context=_agent_turn_before(segment),
        lang=_lang(call, segment),
        status="pending",
        created_by_id=user.id if user is not None else None,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        "create",
        "finding_correction",
        row.id,
        text,
        kind=kind,
        label=label,
        call_id=call.id,
        finding_id=row.finding_id,
    )
    return row


def mark_wrong(finding: Finding, user: User | None) -> ObjectionCorrection:
    """Mark an objection flag as wrong: the turn should not carry its label."""
    segment = finding.segment
    if segment is None or finding.label not in BUILTIN_LABELS:
        raise ValidationFailed(_("Only objection flags on a transcript line can be marked wrong."))
    if finding.start_char is not None and finding.end_char is not None:
        start, end = finding.start_char, finding.end_char
    else:  # raised by the classifier for the whole line
        start, end = 0, len(analysed_text(segment))
    return _store(
        segment,
        kind="wrong",
        label=finding.label,
        start=start,
        end=end,
        text=finding.text,
        finding=finding,
        user=user,
    )


def mark_missed(
    segment: TranscriptSegment,
    label: object,
    *,
    start: object = None,
    end: object = None,
    words: object = None,
    user: User | None,
) -> ObjectionCorrection:
    """Mark words of a customer line as an objection the detector missed.

    The words are given by character offsets into the line's current text (from a selection
    in the page, with the selected words, which must still be there) or, without offsets, as
    text whose first occurrence in the line is used.
    """
    label = _check_label(label)
    _check_speaker(segment)
    text = analysed_text(segment)
    if start not in (None, "") or end not in (None, ""):
        first = whole_number(start, field=_("Start of the selection"), maximum=len(text))
        last = whole_number(end, field=_("End of the selection"), maximum=len(text))
        if first is None or last is None or first >= last:
            raise ValidationFailed(_("Select the words of the objection within the line."))
        # The page sends the selected words too: a line corrected since the page was loaded
        # would put the offsets on other words.
        seen = clean_text(words, field=_("Words"), max_length=MAX_WORDS)
        if seen and seen != text[first:last].strip():
            raise Conflict(
                _("The line has changed since the page was loaded; select the words again.")
            )
    else:
        wanted = clean_text(words, field=_("Words"), max_length=MAX_WORDS)
        if not wanted:
            raise ValidationFailed(_("Select the words of the objection, or type them."))
        first = text.find(wanted)
        if first < 0:
            raise ValidationFailed(
                _("These words are not in the line: %(words)s", words=wanted[:80])
            )
        last = first + len(wanted)
    chosen = text[first:last]
    if not chosen.strip():
        raise ValidationFailed(_("Select the words of the objection within the line."))
    # Leading and trailing spaces of a mouse selection are not part of the words.
    first += len(chosen) - len(chosen.lstrip())
    last -= len(chosen) - len(chosen.rstrip())
    flagged = db.session.scalar(
        select(Finding.id).where(Finding.segment_id == segment.id, Finding.label == label).limit(1)
    )
    if flagged is not None:
        raise ValidationFailed(
            _(
                "This line is already flagged (%(label)s): mark that flag wrong if it is, "
                "rather than a missed objection.",
                label=OBJECTION.label(label),
            )
        )
    return _store(
        segment,
        kind="missed",
        label=label,
        start=first,
        end=last,
        text=text[first:last],
        finding=None,
        user=user,
    )


def decide(
    correction: ObjectionCorrection, accept: bool, note: object, user: User | None
) -> ObjectionCorrection:
    """Accept or reject a pending correction, with an optional note; decided once.

    The status changes only where it is still pending in the database, so two leads deciding
    at the same moment cannot both succeed.
    """
    note_text = clean_text(note, field=_("Note"), max_length=MAX_NOTE, multiline=True)
    changed = cast(
        CursorResult[Any],
        db.session.execute(
            update(ObjectionCorrection)
            .where(ObjectionCorrection.id == correction.id, ObjectionCorrection.status == "pending")
            .values(
                status="accepted" if accept else "rejected",
                decided_by_id=user.id if user is not None else None,
                decided_at=utcnow(),
                decision_note=note_text,
            )
            .execution_options(synchronize_session=False)
        ),
    )
    db.session.refresh(correction)
    if changed.rowcount != 1:
        raise Conflict(
            _(
                "This correction was already decided (%(status)s).",
                status=CORRECTION_STATUS.label(correction.status),
            )
        )
    audit.record(
        "decide", "finding_correction", correction.id, correction.text, status=correction.status
    )
    return correction


@dataclass(frozen=True)
class CorrectionFilters:
    status: str | None = "pending"
    label: str | None = None
    lang: str | None = None


def _filtered(filters: CorrectionFilters) -> Select[Any]:
    query = select(ObjectionCorrection)
    if filters.status:
        query = query.where(ObjectionCorrection.status == filters.status)
    if filters.label:
        query = query.where(ObjectionCorrection.label == filters.label)
    if filters.lang:
        query = query.where(ObjectionCorrection.lang == filters.lang)
    return query


def list_corrections(filters: CorrectionFilters, page: int = 1) -> Any:
    """Corrections matching ``filters``, newest first, one page."""
    query = (
        _filtered(filters)
        .options(
            selectinload(ObjectionCorrection.created_by),
            selectinload(ObjectionCorrection.decided_by),
            selectinload(ObjectionCorrection.call),
        )
        .order_by(ObjectionCorrection.created_at.desc(), ObjectionCorrection.id.desc())
    )
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def call_corrections(call: Call) -> list[ObjectionCorrection]:
    """A call's corrections, oldest first (listed on the call page)."""
    return list(
        db.session.scalars(
            select(ObjectionCorrection)
            .where(ObjectionCorrection.call_id == call.id)
            .options(selectinload(ObjectionCorrection.created_by))
            .order_by(ObjectionCorrection.id)
        )
    )


def _ordered(labels: set[str]) -> list[str]:
    return [label for label in BUILTIN_LABELS if label in labels]


def accepted_training_rows(lang: str) -> list[dict[str, Any]]:
    """Accepted corrections in ``lang`` as training turns (the trainer's JSON-lines shape).

    Each row is the segment as it read when marked, spoken by the customer, with the labels the
    turn should have: the segment's current objection flags, with the label added (missed) or
    taken away (wrong). Every accepted correction of the same segment is applied, so rows of one
    turn never contradict each other. ``context`` (the agent's turn before) only when known.
    """
    rows = list(
        db.session.scalars(
            select(ObjectionCorrection)
            .where(ObjectionCorrection.status == "accepted", ObjectionCorrection.lang == lang)
            .order_by(ObjectionCorrection.id)
        )
    )
    segment_ids = {row.segment_id for row in rows}
    flagged: dict[int, set[str]] = {sid: set() for sid in segment_ids}
    for segment_id, label in db.session.execute(
        select(Finding.segment_id, Finding.label).where(
            Finding.segment_id.in_(segment_ids), Finding.label.in_(BUILTIN_LABELS)
        )
    ):
        if segment_id is not None:
            flagged[segment_id].add(label)
    added: dict[int, set[str]] = {sid: set() for sid in segment_ids}
    removed: dict[int, set[str]] = {sid: set() for sid in segment_ids}
    for row in rows:
        (added if row.kind == "missed" else removed)[row.segment_id].add(row.label)
    training = []
    for row in rows:
        labels = (flagged[row.segment_id] | added[row.segment_id]) - removed[row.segment_id]
        if row.kind == "missed":
            labels.add(row.label)  # this correction's own verdict wins for its label
        item: dict[str, Any] = {
            "id": f"corr-{row.id}",
            "text": row.segment_text,
            "lang": row.lang,
            "speaker": "customer",
            "labels": _ordered(labels),
        }
        if row.context:
            item["context"] = row.context
        training.append(item)
    return training
