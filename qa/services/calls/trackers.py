"""Trackers and the transcription glossary: the built-in rule packs (read-only), custom trackers,
a try-out of phrases against recent transcripts, and glossary terms.

Custom trackers are checked by scoring's own validation and matched by its tracker matcher
(lemmas, so Russian word forms count), exactly as the analysis of calls will match them.
"""

from __future__ import annotations

import bisect
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from qa.extensions import db
from qa.models import Call, GlossaryTerm, Tracker, TranscriptSegment, User
from qa.services.admin import audit
from qa.services.calls.redaction import analysed_text
from qa.services.errors import ValidationFailed
from qa.services.validation import clean_text
from scoring.nlp import SUPPORTED_LANGS
from scoring.objections_rules import NEG_LABEL, LexiconError, load_lexicon
from scoring.trackers import SAID_BY, TrackerSpec, tracker_rule_id, try_tracker, validate_tracker

GLOSSARY_KINDS = ("product", "brand", "competitor")
TRY_CALLS = 100
TRY_MAX_SEGMENTS = 3000
TRY_MAX_HITS = 50
_SEPARATOR = "\n\n"  # a whitespace token: no phrase can match across two segments


@dataclass(frozen=True)
class PackRule:
    """One rule id of a built-in pack with its patterns written out for reading."""

    id: str
    patterns: list[str]


@dataclass(frozen=True)
class RulePack:
    """The built-in rules of one label in one language."""

    label: str
    lang: str
    rules: list[PackRule]

    @property
    def is_negation(self) -> bool:
        return self.label == NEG_LABEL


def _token_text(token: dict[str, Any]) -> str:
    parts = []
    for attr, spec in token.items():
        if attr == "OP":
            continue
        if isinstance(spec, dict) and "IN" in spec:
            parts.append("|".join(str(v) for v in spec["IN"]))
        elif isinstance(spec, dict) and "REGEX" in spec:
            parts.append(f"/{spec['REGEX']}/")
        elif isinstance(spec, str | int | float | bool):
            parts.append(str(spec))
        else:
            parts.append(json.dumps({attr: spec}, ensure_ascii=False))
    text = " ".join(parts) or "*"
    text = f"[{text}]" if len(parts) != 1 or "|" in text else text
    return text + str(token.get("OP", ""))


def pattern_text(pattern: str | list[dict[str, Any]]) -> str:
    """A span-ruler pattern as one readable line: "[дорого|дороговато] для [меня|нас]"."""
    if isinstance(pattern, str):
        return pattern
    return " ".join(_token_text(token) for token in pattern)


def builtin_packs() -> list[RulePack]:
    """The objection lexicons shipped with scoring, per language and label (negation cues last)."""
    packs = []
    for lang in SUPPORTED_LANGS:
        try:
            patterns, _metas = load_lexicon(lang)
        except LexiconError:
            continue
        by_label: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for entry in patterns:
            by_label[entry["label"]][entry["id"]].append(pattern_text(entry["pattern"]))
        for label in sorted(by_label, key=lambda name: (name == NEG_LABEL, name)):
            rules = [PackRule(id=rid, patterns=p) for rid, p in sorted(by_label[label].items())]
            packs.append(RulePack(label=label, lang=lang, rules=rules))
    return packs


def parse_phrases(text: str) -> list[str]:
    """One phrase per line; blanks dropped, repeats (ignoring case) kept once."""
    seen: set[str] = set()
    phrases = []
    for line in text.splitlines():
        phrase = " ".join(line.split())
        if phrase and phrase.lower() not in seen:
            seen.add(phrase.lower())
            phrases.append(phrase)
    return phrases


def _spec(name: str, label: str, lang: str, said_by: str, phrases: list[str]) -> TrackerSpec:
    clean_text(name, field=_("Name"), max_length=120, required=True)
    clean_text(label, field=_("Flag label"), max_length=60, required=True)
    for phrase in phrases:
        clean_text(phrase, field=_("Phrases, one per line"), max_length=500)
    spec = TrackerSpec(
        name=name.strip(), label=label.strip(), lang=lang, phrases=tuple(phrases), said_by=said_by
    )
    problems = validate_tracker(spec)
    if problems:
        raise ValidationFailed(_("Tracker: %(problems)s", problems="; ".join(problems)))
    return spec


def list_trackers() -> list[Tracker]:
    """Custom trackers, active first, by name."""
    query = select(Tracker).order_by(Tracker.active.desc(), Tracker.name, Tracker.id)
    return list(db.session.scalars(query))


def save_tracker(
    tracker: Tracker | None,
    *,
    name: str,
    label: str,
    lang: str,
    said_by: str,
    phrases: list[str],
    active: bool,
    user: User | None,
) -> Tracker:
    """Create (``tracker`` None) or update a custom tracker after scoring's checks."""
    spec = _spec(name, label, lang, said_by, phrases)
    for other in list_trackers():
        if other is not tracker and tracker_rule_id(other.name) == spec.rule_id:
            raise ValidationFailed(_("A tracker named “%(name)s” already exists.", name=other.name))
    if tracker is None:
        tracker = Tracker(created_by_id=user.id if user else None)
        db.session.add(tracker)
    tracker.name = spec.name
    tracker.label = spec.label
    tracker.lang = spec.lang
    tracker.said_by = spec.said_by
    tracker.phrases = list(spec.phrases)
    tracker.active = active
    db.session.flush()
    return tracker


def set_tracker_active(tracker: Tracker, active: bool) -> None:
    """Switch a tracker on or off (kept for history; findings already stored stay)."""
    tracker.active = active
    db.session.flush()


@dataclass(frozen=True)
class TryHit:
    """A phrase match in a stored segment, split for highlighting."""

    call: Call
    segment: TranscriptSegment
    before: str
    match: str
    after: str


@dataclass(frozen=True)
class TryOutResult:
    """Where a tracker would fire in recent transcripts."""

    hits: list[TryHit]
    total_hits: int
    segments_searched: int
    calls_searched: int


def _speakers(said_by: str) -> tuple[str, ...]:
    # Segments with no known speaker (mono calls) count for every tracker, as in the analysis.
    if said_by == "any":
        return ("customer", "agent", "unknown")
    return (said_by, "unknown")


def try_phrases(
    *, lang: str, said_by: str, phrases: list[str], name: str = "", label: str = ""
) -> TryOutResult:
    """Match phrases against the latest transcribed calls in ``lang`` without saving anything."""
    spec = _spec(name or "try-out", label or "try-out", lang, said_by, phrases)
    call_ids = list(
        db.session.scalars(
            select(Call.id)
            .where(Call.status == "transcribed", (Call.language == lang) | Call.language.is_(None))
            .order_by(func.coalesce(Call.called_at, Call.created_at).desc(), Call.id.desc())
            .limit(TRY_CALLS)
        )
    )
    segments = list(
        db.session.scalars(
            select(TranscriptSegment)
            .where(
                TranscriptSegment.call_id.in_(call_ids),
                TranscriptSegment.speaker.in_(_speakers(said_by)),
            )
            .order_by(TranscriptSegment.call_id.desc(), TranscriptSegment.position)
            .limit(TRY_MAX_SEGMENTS)
        )
    )
    # The text the analysis reads (redacted where the company redacts).
    texts = [analysed_text(segment) for segment in segments]
    starts = []
    offset = 0
    for text in texts:
        starts.append(offset)
        offset += len(text) + len(_SEPARATOR)
    spans = try_tracker(spec, _SEPARATOR.join(texts)) if segments else []
    hits = []
    for span in spans[:TRY_MAX_HITS]:
        index = bisect.bisect_right(starts, span.start) - 1
        segment, text = segments[index], texts[index]
        start, end = span.start - starts[index], span.end - starts[index]
        hits.append(
            TryHit(
                call=segment.call,
                segment=segment,
                before=text[:start],
                match=text[start:end],
                after=text[end:],
            )
        )
    return TryOutResult(
        hits=hits,
        total_hits=len(spans),
        segments_searched=len(segments),
        calls_searched=len({s.call_id for s in segments}),
    )


def list_glossary() -> list[GlossaryTerm]:
    """Glossary terms by kind and term."""
    query = select(GlossaryTerm).order_by(GlossaryTerm.kind, func.lower(GlossaryTerm.term))
    return list(db.session.scalars(query))


def save_term(
    term: GlossaryTerm | None, *, text: str, misheard: str | None, kind: str
) -> GlossaryTerm:
    """Create (``term`` None) or update a glossary term; misheard forms are comma-separated."""
    clean_text(text, field=_("Term, as it should be written"), max_length=200)
    clean_text(misheard, field=_("Misheard as (comma-separated)"), max_length=200)
    text = " ".join(text.split())
    misheard_forms = [m.strip() for m in (misheard or "").replace(";", ",").split(",") if m.strip()]
    if not text:
        raise ValidationFailed(_("Enter the term as it should be written."))
    if kind not in GLOSSARY_KINDS:
        raise ValidationFailed(_("Unknown kind of term: %(kind)s", kind=kind))
    if any(m.lower() == text.lower() for m in misheard_forms):
        raise ValidationFailed(_("A misheard form cannot be the term itself."))
    misheard_text = ", ".join(misheard_forms) or None
    if len(text) > 200 or len(misheard_text or "") > 200:
        raise ValidationFailed(_("Terms and misheard forms are limited to 200 characters."))
    for other in list_glossary():
        if other is not term and other.term.lower() == text.lower():
            raise ValidationFailed(_("“%(term)s” is already in the glossary.", term=other.term))
    if term is None:
        term = GlossaryTerm()
        db.session.add(term)
    term.term = text
    term.misheard = misheard_text
    term.kind = kind
    db.session.flush()
    return term


def delete_term(term: GlossaryTerm) -> None:
    """Remove a glossary term (later transcriptions stop using it)."""
    audit.record("delete", "glossary_term", term.id, term.term)
    db.session.delete(term)
    db.session.flush()


__all__ = [
    "GLOSSARY_KINDS",
    "SAID_BY",
    "SUPPORTED_LANGS",
    "PackRule",
    "RulePack",
    "TryHit",
    "TryOutResult",
    "builtin_packs",
    "delete_term",
    "list_glossary",
    "list_trackers",
    "parse_phrases",
    "pattern_text",
    "save_term",
    "save_tracker",
    "set_tracker_active",
    "try_phrases",
]
