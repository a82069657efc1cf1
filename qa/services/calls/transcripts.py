"""Stored transcripts: corrections with history, speaker roles, the call page view and exports."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import select

from qa.extensions import db
from qa.models import Call, Finding, SegmentEdit, TranscriptSegment, User
from qa.services.admin import audit
from qa.services.errors import NotFound, ValidationFailed
from qa.services.validation import clean_text

if TYPE_CHECKING:
    from transcription import Transcript, Word

MAX_SEGMENT_CHARS = 5000
ROLE_SWAP = {"agent": "customer", "customer": "agent"}
ASSIGNABLE_SPEAKERS = ("agent", "customer", "unknown")
EXPORT_TYPES = {
    "txt": "text/plain",
    # Not a text/* type, so the charset is not added on its own.
    "srt": "application/x-subrip; charset=utf-8",
    "vtt": "text/vtt",
    "json": "application/json",
}


def reanalyse(call: Call) -> None:
    """Redact the changed text again and replace the call's findings."""
    from qa.services.calls.objections import analyse_call
    from qa.services.calls.redaction import redact_call

    db.session.flush()
    db.session.expire(call, ["segments"])
    redact_call(call)
    analyse_call(call)


def correct_segment(segment: TranscriptSegment, new_text: str, user: User | None) -> SegmentEdit:
    """Replace a segment's text, keep the change in its history and re-run the analysis."""
    text = " ".join(new_text.split())
    if not text:
        raise ValidationFailed(_("The corrected text is empty."))
    if len(text) > MAX_SEGMENT_CHARS:
        raise ValidationFailed(
            _("The corrected text is longer than %(n)d characters.", n=MAX_SEGMENT_CHARS)
        )
    clean_text(text, field=_("Corrected text"), max_length=MAX_SEGMENT_CHARS)
    if text == segment.text:
        raise ValidationFailed(_("The text is unchanged."))
    edit = SegmentEdit(segment=segment, user=user, old_text=segment.text, new_text=text)
    db.session.add(edit)
    segment.text = text
    reanalyse(segment.call)
    return edit


def revert_segment(segment: TranscriptSegment, user: User | None) -> SegmentEdit:
    """Restore the machine text (itself recorded as a correction)."""
    return correct_segment(segment, segment.machine_text, user)


def swap_roles(call: Call, user: User | None) -> int:
    """Swap agent and customer on every segment; returns how many segments changed."""
    changed = 0
    for segment in call.segments:
        new = ROLE_SWAP.get(segment.speaker)
        if new is None:
            continue
        db.session.add(
            SegmentEdit(segment=segment, user=user, old_speaker=segment.speaker, new_speaker=new)
        )
        segment.speaker = new
        changed += 1
    if not changed:
        raise ValidationFailed(_("No segment has an agent or customer role to swap."))
    # A re-transcription must give the same roles, so the stored channel follows the swap.
    if call.agent_channel in ("left", "right"):
        call.agent_channel = "right" if call.agent_channel == "left" else "left"
    reanalyse(call)
    return changed


def assign_speaker(call: Call, segment_ids: Sequence[int], speaker: str, user: User | None) -> int:
    """Set ``speaker`` on the chosen segments of ``call``; returns how many changed."""
    if speaker not in ASSIGNABLE_SPEAKERS:
        raise ValidationFailed(_("Unknown speaker role."))
    wanted = set(segment_ids)
    if not wanted:
        raise ValidationFailed(_("Select at least one line first."))
    segments = [s for s in call.segments if s.id in wanted]
    if len(segments) != len(wanted):
        raise ValidationFailed(_("Some selected lines do not belong to this call."))
    changed = 0
    for segment in segments:
        if segment.speaker == speaker:
            continue
        db.session.add(
            SegmentEdit(
                segment=segment, user=user, old_speaker=segment.speaker, new_speaker=speaker
            )
        )
        segment.speaker = speaker
        changed += 1
    if changed:
        reanalyse(call)
    return changed


def split_words(segment: TranscriptSegment) -> list[str]:
    """The line's words as the split form offers them (split before any but the first)."""
    return segment.text.split()


def word_starts(segment: TranscriptSegment) -> list[float] | None:
    """Each word's start time, when the stored word timings still match the line's text."""
    words = segment.words or []
    if segment.text != segment.machine_text or len(words) != len(split_words(segment)):
        return None
    starts = []
    for word in words:
        try:
            start = float(word["start"])
        except (KeyError, TypeError, ValueError):
            return None
        if not math.isfinite(start):
            return None
        starts.append(start)
    return starts


def segment_history(segment: TranscriptSegment) -> list[SegmentEdit]:
    """Edits of one segment, newest first, with their authors loaded."""
    return list(
        db.session.scalars(
            select(SegmentEdit)
            .where(SegmentEdit.segment_id == segment.id)
            .order_by(SegmentEdit.id.desc())
        )
    )


# --- the call page -------------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A run of a segment's text; ``finding`` is set when the run is a flagged span."""

    text: str
    finding: Finding | None = None


@dataclass
class Line:
    """One transcript line as the call page shows it."""

    segment: TranscriptSegment
    pieces: list[Piece]
    # The text as this viewer sees it (redacted unless they may and asked to see the original).
    text: str = ""
    # The line holds personal data hidden from this viewer: no editing tools (they show text).
    locked: bool = False
    findings: list[Finding] = field(default_factory=list)
    # Classifier-only flags mark the whole line rather than a span.
    line_findings: list[Finding] = field(default_factory=list)
    edited: bool = False
    edit_count: int = 0
    # Where the line can be split: (word number, word, its start time or None).
    split_points: list[tuple[int, str, float | None]] = field(default_factory=list)
    # Position on the timeline, as percentages of the call's length.
    left: float = 0.0
    width: float = 0.0


@dataclass(frozen=True)
class Marker:
    """A flag on the player's timeline, as a percentage of the call's length."""

    finding: Finding
    left: float
    width: float


@dataclass
class CallPage:
    """Everything the call page renders, computed from stored rows."""

    call: Call
    lines: list[Line]
    markers: list[Marker]
    duration: float
    mono: bool
    speakers: dict[str, int]
    # Redaction: whether the company redacts, this viewer may open the original, and does.
    redacting: bool = False
    may_see_original: bool = True
    original: bool = True


def segment_pieces(
    text: str,
    findings: Sequence[Finding],
    place: Callable[[int, int], tuple[int, int]] | None = None,
) -> list[Piece]:
    """Split ``text`` into plain and flagged runs; overlapping or invalid spans are skipped.

    ``place`` moves a finding's offsets into ``text`` (findings of a redacted analysis shown on
    the original text).
    """
    spans = sorted(
        (f for f in findings if f.start_char is not None and f.end_char is not None),
        key=lambda f: (f.start_char, -(f.end_char or 0)),
    )
    pieces: list[Piece] = []
    cursor = 0
    for finding in spans:
        start, end = int(finding.start_char or 0), int(finding.end_char or 0)
        if place is not None:
            start, end = place(start, end)
        if start < cursor or end <= start or end > len(text):
            continue
        if start > cursor:
            pieces.append(Piece(text[cursor:start]))
        pieces.append(Piece(text[start:end], finding))
        cursor = end
    if cursor < len(text) or not pieces:
        pieces.append(Piece(text[cursor:]))
    return pieces


def call_duration(call: Call) -> float:
    """The recording's length, else the end of its last segment."""
    ends = [s.end for s in call.segments]
    return float(call.duration or max(ends, default=0.0))


def build_call_page(
    call: Call, viewer: User | None = None, want_original: bool = False
) -> CallPage:
    """The transcript as lines with inline flags, and the flags placed on the timeline (an
    audited view of the transcript; of the original, where the company redacts, too)."""
    from qa.services.calls import redaction

    audit.record_view("call_transcript", call.id, call.original_filename)
    rules = redaction.policy()
    allowed = redaction.may_see_original(viewer, rules)
    original = allowed and (want_original or not rules.enabled)
    if rules.enabled and original:
        redaction.view_original(call)
    by_segment: dict[int, list[Finding]] = {}
    for finding in call.findings:
        if finding.segment_id is not None:
            by_segment.setdefault(finding.segment_id, []).append(finding)
    edit_counts = _edit_counts(call)
    lines = []
    speakers: dict[str, int] = {}
    duration = call_duration(call)
    for segment in call.segments:
        found = by_segment.get(segment.id, [])
        speakers[segment.speaker] = speakers.get(segment.speaker, 0) + 1
        text = redaction.shown_text(segment, original)
        locked = not allowed and text != segment.text
        lines.append(
            Line(
                segment=segment,
                pieces=segment_pieces(text, found, _placer(segment, rules.enabled and original)),
                text=text,
                locked=locked,
                findings=found,
                line_findings=[f for f in found if f.start_char is None or f.end_char is None],
                edited=segment.text != segment.machine_text,
                edit_count=edit_counts.get(segment.id, 0),
                split_points=[] if locked else _split_points(segment),
                left=_percent(segment.start, duration),
                width=_percent(segment.end - segment.start, duration),
            )
        )
    markers = []
    if duration > 0:
        for finding in call.findings:
            left = min(100.0, max(0.0, finding.time_start / duration * 100))
            width = max(0.6, (finding.time_end - finding.time_start) / duration * 100)
            markers.append(Marker(finding, round(left, 3), round(min(width, 100 - left), 3)))
    mono = (call.channels or 1) < 2 or call.agent_channel == "none"
    return CallPage(
        call, lines, markers, duration, mono, speakers, rules.enabled, allowed, original
    )


def _placer(
    segment: TranscriptSegment, mapped: bool
) -> Callable[[int, int], tuple[int, int]] | None:
    """Findings of the redacted analysis moved onto the original text (None: no move)."""
    from privacy.redact import original_offset
    from qa.services.calls.redaction import line_spans

    spans = line_spans(segment)
    if not mapped or not spans:
        return None
    return lambda start, end: (
        original_offset(start, spans),
        original_offset(end, spans, end=True),
    )


def _split_points(segment: TranscriptSegment) -> list[tuple[int, str, float | None]]:
    tokens = split_words(segment)
    starts = word_starts(segment)
    return [(i, tokens[i], starts[i] if starts else None) for i in range(1, len(tokens))]


def _percent(seconds: float, duration: float) -> float:
    return round(min(100.0, max(0.0, seconds / duration * 100)), 3) if duration > 0 else 0.0


def _edit_counts(call: Call) -> dict[int, int]:
    ids = [s.id for s in call.segments]
    if not ids:
        return {}
    counts: dict[int, int] = {}
    for segment_id in db.session.scalars(
        select(SegmentEdit.segment_id).where(SegmentEdit.segment_id.in_(ids))
    ):
        counts[segment_id] = counts.get(segment_id, 0) + 1
    return counts


# --- exports -------------------------------------------------------------------------------


def stored_transcript(call: Call, original: bool = True) -> Transcript:
    """The call's current (corrected) transcript as a :class:`transcription.Transcript`;
    ``original`` False: redacted where the company redacts (and without word timings)."""
    from qa.services.calls.redaction import shown_text
    from transcription import Segment, Transcript

    segments = []
    for row in call.segments:
        text = shown_text(row, original)
        # Word timings belong to the machine text; a corrected line no longer has them.
        words = _words(row.words) if row.text == row.machine_text and text == row.text else ()
        segments.append(
            Segment(
                speaker=row.speaker if row.speaker in ASSIGNABLE_SPEAKERS else "unknown",
                start=row.start,
                end=max(row.end, row.start),
                text=text,
                words=words,
                avg_logprob=row.avg_logprob,
                no_speech_prob=row.no_speech_prob,
                suspect=row.suspect,
                suspect_reason=row.suspect_reason,
                channel=row.channel,
            )
        )
    return Transcript(
        language=call.language or "ru",
        language_probability=1.0,
        duration=call_duration(call),
        channels=call.channels or 1,
        dual_mono=False,
        segments=tuple(segments),
        engine=call.engine or "",
        model=call.model or "",
    )


def _words(raw: list[dict[str, object]] | None) -> tuple[Word, ...]:
    from transcription import Word

    words = []
    for item in raw or ():
        try:
            start = float(item["start"])  # type: ignore[arg-type]
            end = float(item["end"])  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError):
            continue
        text = str(item.get("text", item.get("word", "")))
        probability = float(item.get("probability", 0.0) or 0.0)  # type: ignore[arg-type]
        words.append(Word(start=start, end=end, text=text, probability=probability))
    return tuple(words)


@dataclass(frozen=True)
class ExportFile:
    body: str
    mimetype: str
    filename: str


def export_transcript(
    call: Call, fmt: str, viewer: User | None = None, want_original: bool = False
) -> ExportFile:
    """Render the call's transcript as TXT, SRT, VTT or JSON with speaker labels; redacted
    unless ``viewer`` may and wants to see the original (an audited view)."""
    from qa.services.calls import redaction

    if fmt not in EXPORT_TYPES:
        raise NotFound(_("Unknown export format %(fmt)s.", fmt=fmt))
    if not call.segments:
        raise NotFound(_("This call has no transcript yet."))

    audit.record_view("call_transcript", call.id, call.original_filename, export=fmt)
    rules = redaction.policy()
    original = redaction.may_see_original(viewer, rules) and (want_original or not rules.enabled)
    if rules.enabled and original:
        redaction.view_original(call, export=fmt)
    stem = call.original_filename.rsplit(".", 1)[0] or f"call-{call.id}"
    transcript = stored_transcript(call, original)
    body = export_body(call.id, transcript, fmt, call.original_filename)
    return ExportFile(body, EXPORT_TYPES[fmt], f"{stem}.{fmt}")


def export_body(call_id: int, transcript: Transcript, fmt: str, file_name: str) -> str:
    """One export file; JSON also carries the call's findings (objections and tracker hits)."""
    from transcription import export

    body = export(transcript, fmt, file_name)
    if fmt != "json":
        return body
    payload = json.loads(body)
    payload["findings"] = findings_data(call_id)
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def findings_data(call_id: int) -> list[dict[str, object]]:
    """The call's stored findings as JSON-ready rows, read afresh (``segment``: line index)."""
    positions = {
        segment_id: index
        for index, segment_id in enumerate(
            db.session.scalars(
                select(TranscriptSegment.id)
                .where(TranscriptSegment.call_id == call_id)
                .order_by(TranscriptSegment.position, TranscriptSegment.id)
            )
        )
    }
    rows = db.session.scalars(
        select(Finding)
        .where(Finding.call_id == call_id)
        .order_by(Finding.time_start, Finding.id)
        .execution_options(populate_existing=True)
    )
    return [
        {
            "label": f.label,
            "rule_id": f.rule_id,
            "score": None if f.score is None else round(f.score, 4),
            "text": f.text,
            "start": round(f.time_start, 3),
            "end": round(f.time_end, 3),
            "segment": positions.get(f.segment_id) if f.segment_id is not None else None,
            "start_char": f.start_char,
            "end_char": f.end_char,
            "speaker_unknown": f.speaker_unknown,
            "model_version": f.model_version,
        }
        for f in rows
    ]
