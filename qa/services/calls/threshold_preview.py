"""What other objection thresholds would change, before a company sets them.

The customer lines of the latest transcribed calls are classified twice, with the current and
the proposed thresholds; accepted corrections are classified the same way, to show how many
wrong flags a proposal would clear and how many missed objections it would find. Bounded by a
number of calls and of lines, so the settings page answers in a few seconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from qa.extensions import db
from qa.models import Call, ObjectionCorrection, TranscriptSegment
from qa.services.admin.settings import objection_thresholds
from scoring import BUILTIN_LABELS, detect_language, find_objections
from scoring.nlp import SUPPORTED_LANGS

RECENT_CALLS = 200
MAX_SEGMENTS = 3000
MAX_CORRECTIONS = 1000

Turn = tuple[str, str]  # (lang, text)


@dataclass(frozen=True)
class LabelChange:
    label: str
    now: int
    proposed: int
    removed: int
    added: int


@dataclass(frozen=True)
class ThresholdPreview:
    calls: int
    segments: int
    flags_now: int
    flags_proposed: int
    labels: tuple[LabelChange, ...]
    wrong_accepted: int
    wrong_cleared_now: int
    wrong_cleared: int
    missed_accepted: int
    missed_found_now: int
    missed_found: int
    # The segment limit cut the sample short.
    truncated: bool = False
    current: dict[str, float] = field(default_factory=dict)
    proposed: dict[str, float] = field(default_factory=dict)


def _labels(turns: Sequence[Turn], thresholds: Mapping[str, float]) -> list[set[str]]:
    """The built-in labels each customer turn gets under ``thresholds``."""
    found: list[set[str]] = [set() for _ in turns]
    for lang in SUPPORTED_LANGS:
        indexes = [i for i, (turn_lang, _text) in enumerate(turns) if turn_lang == lang]
        if not indexes:
            continue
        rows = [
            {"speaker": "customer", "start": 0.0, "end": 0.0, "text": turns[i][1]} for i in indexes
        ]
        for finding in find_objections(rows, lang=lang, thresholds=dict(thresholds)):
            if finding.label in BUILTIN_LABELS:
                found[indexes[finding.segment_index]].add(finding.label)
    return found


def _recent_turns(recent_calls: int, max_segments: int) -> tuple[int, list[Turn], bool]:
    calls = list(
        db.session.execute(
            select(Call.id, Call.language)
            .where(Call.status == "transcribed")
            .order_by(Call.created_at.desc(), Call.id.desc())
            .limit(recent_calls)
        )
    )
    language = {call_id: lang for call_id, lang in calls}
    rows = list(
        db.session.execute(
            select(TranscriptSegment.call_id, TranscriptSegment.text)
            .where(
                TranscriptSegment.call_id.in_(list(language)),
                TranscriptSegment.speaker == "customer",
            )
            .order_by(TranscriptSegment.call_id.desc(), TranscriptSegment.position)
            .limit(max_segments + 1)
        )
    )
    truncated = len(rows) > max_segments
    rows = rows[:max_segments]
    by_call: dict[int, list[str]] = {}
    for call_id, text in rows:
        by_call.setdefault(call_id, []).append(text)
    turns: list[Turn] = []
    for call_id, texts in by_call.items():
        lang = language[call_id]
        if lang not in SUPPORTED_LANGS:
            lang = detect_language(" ".join(texts))
        turns += [(str(lang), text) for text in texts if text.strip()]
    return len(by_call), turns, truncated


def preview_thresholds(
    proposed: Mapping[str, float | None],
    *,
    recent_calls: int = RECENT_CALLS,
    max_segments: int = MAX_SEGMENTS,
) -> ThresholdPreview:
    """Flags on recent calls and accepted corrections, now and with ``proposed`` thresholds
    (a label set to None there uses the model's own threshold)."""
    current = objection_thresholds()
    wanted = {label: float(v) for label, v in proposed.items() if v is not None}
    calls, turns, truncated = _recent_turns(recent_calls, max_segments)
    now, then = _labels(turns, current), _labels(turns, wanted)
    changes = tuple(
        LabelChange(
            label=label,
            now=sum(label in labels for labels in now),
            proposed=sum(label in labels for labels in then),
            removed=sum(label in a and label not in b for a, b in zip(now, then, strict=True)),
            added=sum(label not in a and label in b for a, b in zip(now, then, strict=True)),
        )
        for label in BUILTIN_LABELS
    )
    corrections = list(
        db.session.execute(
            select(
                ObjectionCorrection.kind,
                ObjectionCorrection.label,
                ObjectionCorrection.lang,
                ObjectionCorrection.segment_text,
            )
            .where(
                ObjectionCorrection.status == "accepted",
                ObjectionCorrection.lang.in_(SUPPORTED_LANGS),
            )
            .order_by(ObjectionCorrection.id.desc())
            .limit(MAX_CORRECTIONS)
        )
    )
    corrected: list[Turn] = [(lang, text) for _kind, _label, lang, text in corrections]
    c_now, c_then = _labels(corrected, current), _labels(corrected, wanted)

    def count(kind: str, raised: list[set[str]], present: bool) -> int:
        return sum(
            (label in labels) == present
            for (k, label, _lang, _text), labels in zip(corrections, raised, strict=True)
            if k == kind
        )

    return ThresholdPreview(
        calls=calls,
        segments=len(turns),
        flags_now=sum(c.now for c in changes),
        flags_proposed=sum(c.proposed for c in changes),
        labels=changes,
        wrong_accepted=sum(k == "wrong" for k, *_rest in corrections),
        wrong_cleared_now=count("wrong", c_now, False),
        wrong_cleared=count("wrong", c_then, False),
        missed_accepted=sum(k == "missed" for k, *_rest in corrections),
        missed_found_now=count("missed", c_now, True),
        missed_found=count("missed", c_then, True),
        truncated=truncated,
        current=current,
        proposed=wanted,
    )
