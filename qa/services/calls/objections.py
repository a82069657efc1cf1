"""Objection analysis of stored transcripts: built-in packs plus the team's active trackers."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select

from qa.extensions import db
from qa.models import Call, Finding, Tracker, TranscriptSegment
from qa.services.admin import audit
from qa.services.admin.settings import objection_thresholds
from qa.services.calls.objection_models import active_model_dir
from qa.services.calls.redaction import analysed_text
from scoring import TrackerSpec, find_objections, validate_tracker
from scoring.nlp import SUPPORTED_LANGS

logger = logging.getLogger(__name__)


def active_tracker_specs() -> list[TrackerSpec]:
    """The usable active Tracker rows as scoring TrackerSpecs (scoring adds the built-in packs).

    A tracker that scoring refuses is left out (and logged) so that one bad definition does not
    stop the analysis of every call.
    """
    rows = db.session.scalars(select(Tracker).where(Tracker.active.is_(True)).order_by(Tracker.id))
    specs = []
    for row in rows:
        spec = TrackerSpec(
            name=row.name,
            label=row.label,
            lang=row.lang,
            phrases=tuple(str(p) for p in row.phrases or () if str(p).strip()),
            said_by=row.said_by,
        )
        problems = validate_tracker(spec)
        if problems:
            logger.warning("Tracker %s (#%s) skipped: %s", row.name, row.id, "; ".join(problems))
            continue
        specs.append(spec)
    return specs


def analyse_call(call: Call, trackers: list[TrackerSpec] | None = None) -> list[Finding]:
    """Find objections and tracker hits in the call's stored segments; replace its findings.

    Works on the segments' current (possibly corrected, and redacted where the company redacts)
    text and speakers, with the company's
    objection thresholds where it set them. Reviews are not touched. ``trackers`` defaults to
    the active Tracker rows.
    """
    segments = list(
        db.session.scalars(
            select(TranscriptSegment)
            .where(TranscriptSegment.call_id == call.id)
            .order_by(TranscriptSegment.position, TranscriptSegment.id)
        )
    )
    specs = active_tracker_specs() if trackers is None else trackers
    # Where the company redacts, the analysis (and the text its findings quote) is redacted too.
    found = find_objections(
        [
            {"speaker": s.speaker, "start": s.start, "end": s.end, "text": analysed_text(s)}
            for s in segments
        ],
        # Whisper may report a language scoring has no pipeline for: let scoring detect ru/en.
        lang=call.language if call.language in SUPPORTED_LANGS else None,
        trackers=specs,
        model_dir=active_model_dir(),
        thresholds=objection_thresholds(),
    )
    replaced = db.session.execute(delete(Finding).where(Finding.call_id == call.id))
    if replaced.rowcount:
        audit.record(
            "delete", "findings", call.id, call.original_filename, findings=replaced.rowcount
        )
    rows = [
        Finding(
            call_id=call.id,
            segment_id=segments[f.segment_index].id,
            label=f.label,
            rule_id=f.rule_id,
            score=f.score,
            start_char=f.start_char,
            end_char=f.end_char,
            text=f.text,
            time_start=f.time_start,
            time_end=f.time_end,
            speaker_unknown=f.speaker_unknown,
            model_version=f.model_version,
        )
        for f in found
    ]
    db.session.add_all(rows)
    db.session.flush()
    db.session.expire(call, ["findings"])
    return rows


@dataclass(frozen=True)
class RescoreResult:
    call_id: int
    findings: int
    labels: dict[str, int]


def calls_to_rescore(call_ids: Iterable[int] | None) -> list[int]:
    """Ids of calls that have a transcript: the given ones, or all when None."""
    query = select(Call.id).where(
        select(TranscriptSegment.id).where(TranscriptSegment.call_id == Call.id).exists()
    )
    if call_ids is not None:
        query = query.where(Call.id.in_(list(call_ids)))
    return list(db.session.scalars(query.order_by(Call.id)))


def rescore_call(call: Call, trackers: list[TrackerSpec] | None = None) -> RescoreResult:
    """Re-run the analysis on one stored transcript and count what it found."""
    rows = analyse_call(call, trackers)
    labels: dict[str, int] = {}
    for row in rows:
        labels[row.label] = labels.get(row.label, 0) + 1
    return RescoreResult(call_id=call.id, findings=len(rows), labels=labels)
