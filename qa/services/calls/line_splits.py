"""Splitting a transcript line at a word and merging it with the next, kept in its history.

On mono calls one line often holds both speakers. A split cuts the line before a word: the new
line starts at that word's start time, or, when the line has no word timings that still match
its text, at the share of the line's time that its characters before the word take (the
result says it was estimated). A merge joins a line with the next one under the speaker the
reviewer chooses. Both are stored as :class:`SegmentEdit` rows (``action`` "split" or "merge")
whose ``detail`` keeps the lines as they were, so either can be undone while nothing changed
them since; the undo is itself a merge or a split in the history. The objection analysis runs
again after each, as after a text correction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from qa.extensions import db
from qa.models import ObjectionCorrection, SegmentEdit, TranscriptSegment, User
from qa.services.admin import audit
from qa.services.calls.transcripts import (
    ASSIGNABLE_SPEAKERS,
    reanalyse,
    split_words,
    word_starts,
)
from qa.services.errors import Conflict, NotFound, ValidationFailed

# What a line is made of; a snapshot of these restores it exactly.
FIELDS = (
    "speaker",
    "channel",
    "start",
    "end",
    "text",
    "machine_text",
    "words",
    "avg_logprob",
    "no_speech_prob",
    "suspect",
    "suspect_reason",
)


@dataclass(frozen=True)
class SplitResult:
    edit: SegmentEdit
    new_segment: TranscriptSegment
    # True when the cut time came from the share of characters, not from word timings.
    estimated: bool


def split_segment(segment: TranscriptSegment, word_index: Any, user: User | None) -> SplitResult:
    """Cut ``segment`` before its word number ``word_index`` (0-based; 1 or more)."""
    tokens = split_words(segment)
    if isinstance(word_index, bool) or not isinstance(word_index, int):
        raise ValidationFailed(_("Choose the word the new line starts with."))
    if not 1 <= word_index < len(tokens):
        raise ValidationFailed(
            ngettext(
                "A line can be split before any word but its first; this one has %(num)d word.",
                "A line can be split before any word but its first; this one has %(num)d words.",
                len(tokens),
            )
        )
    starts = word_starts(segment)
    first_text, rest_text = " ".join(tokens[:word_index]), " ".join(tokens[word_index:])
    if starts is not None:
        at, estimated = starts[word_index], False
    else:
        share = (len(first_text) + 1) / max(len(segment.text), 1)
        at, estimated = segment.start + (segment.end - segment.start) * share, True
    at = min(max(at, segment.start), segment.end)
    words = list(segment.words or [])
    first = _snapshot(segment) | {
        "end": at,
        "text": first_text,
        # A corrected line's machine text cannot be cut at a word: each part keeps its own text.
        "machine_text": first_text,
        "words": words[:word_index] if starts is not None else [],
    }
    second = _snapshot(segment) | {
        "start": at,
        "text": rest_text,
        "machine_text": rest_text,
        "words": words[word_index:] if starts is not None else [],
    }
    edit, new_segment = _record_split(segment, first, second, user, estimated=estimated)
    reanalyse(segment.call)
    return SplitResult(edit, new_segment, estimated)


def next_segment(segment: TranscriptSegment) -> TranscriptSegment | None:
    """The line after ``segment`` in the call's transcript."""
    segments = list(segment.call.segments)
    index = segments.index(segment)
    return segments[index + 1] if index + 1 < len(segments) else None


def merge_segment(segment: TranscriptSegment, speaker: Any, user: User | None) -> SegmentEdit:
    """Join ``segment`` with the next line, under ``speaker``."""
    if speaker not in ASSIGNABLE_SPEAKERS:
        raise ValidationFailed(_("Unknown speaker role."))
    following = next_segment(segment)
    if following is None:
        raise ValidationFailed(_("This is the last line: there is no next line to merge with."))
    _refuse_lost_corrections(following)
    merged = _snapshot(segment) | {
        "speaker": speaker,
        "channel": segment.channel if segment.channel == following.channel else None,
        "start": min(segment.start, following.start),
        "end": max(segment.end, following.end),
        "text": f"{segment.text} {following.text}",
        "machine_text": f"{segment.machine_text} {following.machine_text}",
        # Word timings stay aligned: they are read only while text equals machine text.
        "words": list(segment.words or []) + list(following.words or []),
        "suspect": segment.suspect or following.suspect,
        "suspect_reason": "; ".join(
            r for r in (segment.suspect_reason, following.suspect_reason) if r
        )[:200]
        or None,
    }
    edit = _record_merge(segment, following, merged, user)
    reanalyse(segment.call)
    return edit


def undo_edit(segment: TranscriptSegment, edit_id: int, user: User | None) -> SegmentEdit:
    """Undo a split or merge of ``segment`` while it is the line's latest change."""
    edit = db.session.get(SegmentEdit, edit_id)
    if edit is None or edit.segment_id != segment.id or edit.action not in ("split", "merge"):
        raise NotFound(_("There is no split or merge to undo here."))
    detail = edit.detail or {}
    if _latest_edit_id(segment) != edit.id or "old" not in detail:
        raise Conflict(_("The line changed after this; split or merge it again instead."))
    if edit.action == "split":
        part = db.session.get(TranscriptSegment, detail.get("new_segment_id"))
        if (
            part is None
            or part.call_id != segment.call_id
            or next_segment(segment) is not part
            or _latest_edit_id(part) is None
            or len(part.edits) != 1
        ):
            raise Conflict(_("The line changed after this; split or merge it again instead."))
        _refuse_lost_corrections(part)
        undone = _record_merge(segment, part, detail["old"], user, undoes=edit.id)
    else:
        if "next" not in detail:
            raise Conflict(_("The line changed after this; split or merge it again instead."))
        undone, _part = _record_split(segment, detail["old"], detail["next"], user, undoes=edit.id)
    reanalyse(segment.call)
    return undone


# --- the stored changes --------------------------------------------------------------------


def _snapshot(segment: TranscriptSegment) -> dict[str, Any]:
    return {name: getattr(segment, name) for name in FIELDS}


def _apply(segment: TranscriptSegment, snapshot: dict[str, Any]) -> None:
    for name in FIELDS:
        if name in snapshot:
            setattr(segment, name, snapshot[name])


def _latest_edit_id(segment: TranscriptSegment) -> int | None:
    return db.session.scalar(
        select(func.max(SegmentEdit.id)).where(SegmentEdit.segment_id == segment.id)
    )


def _refuse_lost_corrections(segment: TranscriptSegment) -> None:
    """A line with reviewers' flag corrections is never removed (their training rows go too)."""
    count = db.session.scalar(
        select(func.count())
        .select_from(ObjectionCorrection)
        .where(ObjectionCorrection.segment_id == segment.id)
    )
    if count:
        raise Conflict(
            _(
                "The next line has flag corrections; merging would lose them. "
                "Correct its text instead."
            )
        )


def _record_split(
    segment: TranscriptSegment,
    first: dict[str, Any],
    second: dict[str, Any],
    user: User | None,
    *,
    estimated: bool = False,
    undoes: int | None = None,
) -> tuple[SegmentEdit, TranscriptSegment]:
    before = _snapshot(segment)
    for other in segment.call.segments:
        if other.position > segment.position:
            other.position += 1
    part = TranscriptSegment(call=segment.call, position=segment.position + 1)
    _apply(part, second)
    _apply(segment, first)
    db.session.add(part)
    db.session.flush()
    detail: dict[str, Any] = {"old": before, "new_segment_id": part.id, "estimated": estimated}
    if undoes is not None:
        detail["undoes"] = undoes
    edit = SegmentEdit(
        segment=segment,
        user=user,
        action="split",
        old_text=before["text"],
        new_text=segment.text,
        detail=detail,
    )
    db.session.add(edit)
    db.session.add(
        SegmentEdit(
            segment=part,
            user=user,
            action="split",
            old_text=before["text"],
            new_text=part.text,
            detail={"from_segment_id": segment.id, "estimated": estimated},
        )
    )
    db.session.flush()
    return edit, part


def _record_merge(
    segment: TranscriptSegment,
    following: TranscriptSegment,
    merged: dict[str, Any],
    user: User | None,
    *,
    undoes: int | None = None,
) -> SegmentEdit:
    before, gone = _snapshot(segment), _snapshot(following)
    _apply(segment, merged)
    detail: dict[str, Any] = {"old": before, "next": gone}
    if undoes is not None:
        detail["undoes"] = undoes
    edit = SegmentEdit(
        segment=segment,
        user=user,
        action="merge",
        old_text=before["text"],
        new_text=segment.text,
        old_speaker=before["speaker"] if before["speaker"] != segment.speaker else None,
        new_speaker=segment.speaker if before["speaker"] != segment.speaker else None,
        detail=detail,
    )
    db.session.add(edit)
    dropped = [f for f in segment.call.findings if f.segment_id == following.id]
    audit.record(
        "delete",
        "transcript_line",
        following.id,
        following.text,
        call_id=segment.call_id,
        into=segment.id,
        findings=[f.id for f in dropped],
    )
    for finding in dropped:
        db.session.delete(finding)
    db.session.delete(following)
    db.session.flush()
    db.session.expire(segment.call, ["segments", "findings"])
    return edit
