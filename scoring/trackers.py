"""Custom trackers: phrases a QA lead adds as data, matched on lemmas so word forms count."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from scoring.nlp import SUPPORTED_LANGS, shared_pipeline
from scoring.types import RuleSpan

__all__ = [
    "SAID_BY",
    "TRACKER_SPANS_KEY",
    "TrackerError",
    "TrackerSpec",
    "tracker_rule_id",
    "try_tracker",
    "validate_tracker",
]

TRACKER_SPANS_KEY = "qa_trackers"
SAID_BY = ("customer", "agent", "any")
MAX_PHRASES = 500
MAX_PHRASE_WORDS = 12
_LABEL = re.compile(r"^[\w][\w.-]{0,63}$")


class TrackerError(ValueError):
    """A tracker definition cannot be used."""


@dataclass(frozen=True)
class TrackerSpec:
    """A named list of plain phrases that flags turns with ``label`` when one is said.

    ``said_by`` limits which speaker's turns count: "customer" (default), "agent" or "any".
    Turns with no known speaker count for every tracker.
    """

    name: str
    label: str
    lang: str
    phrases: tuple[str, ...]
    said_by: str = "customer"

    def __post_init__(self) -> None:
        if isinstance(self.phrases, str):
            raise TypeError("phrases must be a list of strings, not one string")
        object.__setattr__(self, "phrases", tuple(self.phrases))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrackerSpec:
        """Build from a mapping such as a database row or a JSON object."""
        try:
            return cls(
                name=str(data["name"]),
                label=str(data["label"]),
                lang=str(data["lang"]),
                phrases=tuple(str(p) for p in data["phrases"]),
                said_by=str(data.get("said_by", "customer")),
            )
        except KeyError as exc:
            raise TrackerError(f"tracker definition lacks {exc.args[0]!r}") from exc

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form."""
        return {
            "name": self.name,
            "label": self.label,
            "lang": self.lang,
            "phrases": list(self.phrases),
            "said_by": self.said_by,
        }

    @property
    def rule_id(self) -> str:
        """Stable rule id of this tracker's matches."""
        return tracker_rule_id(self.name)


def tracker_rule_id(name: str) -> str:
    """Rule id for a tracker name: "tracker." plus the lower-cased name with "_" for gaps."""
    slug = re.sub(r"\W+", "_", name.strip().lower()).strip("_")
    return f"tracker.{slug or 'unnamed'}"


def validate_tracker(spec: TrackerSpec) -> list[str]:
    """Return human-readable problems with a tracker definition (empty when usable)."""
    problems: list[str] = []
    if not spec.name.strip():
        problems.append("name is empty")
    if not _LABEL.match(spec.label):
        problems.append("label must be 1-64 letters, digits, '_', '.' or '-' with no spaces")
    if spec.lang not in SUPPORTED_LANGS:
        problems.append(f"language must be one of {', '.join(SUPPORTED_LANGS)}")
    if spec.said_by not in SAID_BY:
        problems.append(f"said_by must be one of {', '.join(SAID_BY)}")
    cleaned = [p.strip() for p in spec.phrases]
    if not any(cleaned):
        problems.append("add at least one phrase")
    if len(cleaned) > MAX_PHRASES:
        problems.append(f"at most {MAX_PHRASES} phrases")
    for phrase in cleaned:
        if phrase and len(phrase.split()) > MAX_PHRASE_WORDS:
            problems.append(f"phrase {phrase!r} is longer than {MAX_PHRASE_WORDS} words")
    seen: set[str] = set()
    if spec.lang in SUPPORTED_LANGS:
        nlp = shared_pipeline(spec.lang)
        for phrase in cleaned:
            if not phrase:
                continue
            key = " ".join(t.lemma_ for t in nlp(phrase))
            if key in seen:
                problems.append(f"phrase {phrase!r} repeats another phrase (same lemmas)")
            seen.add(key)
    return problems


def _check(specs: Iterable[TrackerSpec]) -> None:
    for spec in specs:
        problems = validate_tracker(spec)
        if problems:
            raise TrackerError(f"tracker {spec.name!r}: " + "; ".join(problems))


class TrackerMatcher:
    """spaCy component: marks tracker phrases in ``doc.spans["qa_trackers"]``."""

    def __init__(self, nlp: Language, specs: Sequence[TrackerSpec]) -> None:
        _check(specs)
        self.specs = {spec.rule_id: spec for spec in specs}
        self.matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        lemmatize = shared_pipeline(nlp.lang)
        for spec in specs:
            docs = [lemmatize(p.strip()) for p in spec.phrases if p.strip()]
            self.matcher.add(spec.rule_id, docs)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            spec = self.specs[doc.vocab.strings[match_id]]
            spans.append(Span(doc, start, end, label=spec.label, span_id=spec.rule_id))
        doc.spans[TRACKER_SPANS_KEY] = sorted(spans, key=lambda s: (s.start, s.end))
        return doc


@Language.factory("qa_trackers", default_config={"specs": []})
def _make_trackers(nlp: Language, name: str, specs: list[dict[str, Any]]) -> TrackerMatcher:
    return TrackerMatcher(nlp, [TrackerSpec.from_dict(s) for s in specs])


def add_trackers(nlp: Language, specs: Sequence[TrackerSpec]) -> None:
    """Append a tracker matcher for the specs in the pipeline's language."""
    mine = [s.to_dict() for s in specs if s.lang == nlp.lang]
    nlp.add_pipe("qa_trackers", config={"specs": mine})


def try_tracker(spec: TrackerSpec, text: str) -> list[RuleSpan]:
    """Show where a tracker would fire in a sample text (for the tracker editor)."""
    _check([spec])
    nlp = shared_pipeline(spec.lang)
    doc = TrackerMatcher(nlp, [spec])(nlp(text))
    return [
        RuleSpan(s.label_, s.start_char, s.end_char, s.text, s.id_)
        for s in doc.spans[TRACKER_SPANS_KEY]
    ]
