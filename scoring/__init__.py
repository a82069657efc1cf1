"""Scoring library: objection detection in call transcripts (plain Python, spaCy allowed)."""

from scoring.nlp import blank_pipeline, detect_language
from scoring.objections import build_pipeline, classify_turn, find_objections
from scoring.trackers import TrackerError, TrackerSpec, try_tracker, validate_tracker
from scoring.types import BUILTIN_LABELS, Finding, RuleSpan, TurnResult

__all__ = [
    "BUILTIN_LABELS",
    "Finding",
    "RuleSpan",
    "TrackerError",
    "TrackerSpec",
    "TurnResult",
    "blank_pipeline",
    "build_pipeline",
    "classify_turn",
    "detect_language",
    "find_objections",
    "try_tracker",
    "validate_tracker",
]
