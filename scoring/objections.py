"""Price and assortment objections in what the customer says (labelling rules, section A).

One spaCy pipeline per language does everything: tokenizer fixes and lemmas
(:mod:`scoring.nlp`), the rule lexicon with negation/question context
(:mod:`scoring.objections_rules`), the trained classifier (:mod:`scoring.objections_model`)
and custom trackers (:mod:`scoring.trackers`). A label is raised when a rule fires (exact
span and rule id) or when the classifier's probability reaches the label's threshold (the
highest-scoring sentence and the score), unless the turn closes by accepting the deal.

Context (:mod:`scoring.objections_context`): each customer turn is judged after the agent's
turn before it (``previous``): its tags are classifier features and enable reply rules for
short answers ("маловато" after a discount offer), and a short answer is not flagged by the
classifier alone for a label off the agent's topic. A neutral turn (pleasantries,
confirmations, numbers and names read out, a figure given when asked) is flagged only on
rule evidence; a neutral question or an opening request needs a high score. When roles are
unknown, a turn that reads as the seller's (seller cues of the context lexicon, or the
model's role classifier) is not flagged, and the classifier alone needs a high score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from spacy.language import Language
from spacy.tokens import Doc, Span

from scoring.nlp import SUPPORTED_LANGS, blank_pipeline, detect_language
from scoring.objections_context import (
    NEUTRAL_KEY,
    OFF_TOPIC_KEY,
    PREVIOUS_KEY,
    SELLER_KEY,
    add_context,
)
from scoring.objections_model import (
    AGENT_SCORE_KEY,
    ObjectionClassifier,
    ObjectionModel,
)
from scoring.objections_rules import OBJECTION_SPANS_KEY, add_objection_rules, vetoed_labels
from scoring.trackers import TRACKER_SPANS_KEY, TrackerSpec, add_trackers
from scoring.types import BUILTIN_LABELS, Finding, RuleSpan, TurnResult, segment_fields

__all__ = ["build_pipeline", "classify_turn", "find_objections"]

# The classifier's score a neutral turn needs (see scoring.objections_context) when no rule
# fires: never for an empty turn (pleasantries, confirmations, a name) or a number read out;
# nor for a short answer to an agent's unrelated question, a figure given when asked, or
# stalling with no reason; a
# high score for a neutral question or an opening request.
NEUTRAL_MIN_SCORE = {
    "empty": 2.0,
    "read_out": 2.0,
    "answer": 2.0,
    "stall": 2.0,
    "question": 0.95,
    "opener": 0.95,
}
# With roles unknown, a turn the role classifier gives at least this probability of being the
# seller's is not judged as the customer's.
AGENT_GATE = 0.5
# With roles unknown, the score a turn needs when no rule fires (a seller's turn that the
# gates above miss scores lower than a customer's objection).
UNKNOWN_MIN_SCORE = 0.9
# How far back (in segments) the agent turn that a customer turn answers is looked for.
_CONTEXT_REACH = 2


@lru_cache(maxsize=16)
def _build(lang: str, trackers: tuple[TrackerSpec, ...], model_dir: str) -> Language:
    nlp = blank_pipeline(lang)
    add_objection_rules(nlp, lang)
    add_context(nlp, lang)
    nlp.add_pipe("qa_objection_classifier", config={"lang": lang, "model_dir": model_dir})
    add_trackers(nlp, trackers)
    return nlp


def build_pipeline(
    lang: str, trackers: Sequence[TrackerSpec] = (), model_dir: Path | None = None
) -> Language:
    """Return the cached objection pipeline for a language and a set of trackers."""
    if lang not in SUPPORTED_LANGS:
        raise ValueError(f"unsupported language {lang!r}; expected one of {SUPPORTED_LANGS}")
    return _build(lang, tuple(trackers), str(model_dir or ""))


@dataclass
class _Decision:
    label: str
    span: Span | None
    score: float | None
    evidence: str


def _model(nlp: Language) -> ObjectionModel:
    component = nlp.get_pipe("qa_objection_classifier")
    return cast(ObjectionClassifier, component).model


def _thresholds(nlp: Language, override: Mapping[str, float] | None) -> dict[str, float]:
    """The model's per-label thresholds, with a company's own values where it set them."""
    thresholds = dict(_model(nlp).thresholds)
    for label, value in (override or {}).items():
        if label in thresholds and value is not None:
            thresholds[label] = float(value)
    return thresholds


def _seller_like(doc: Doc) -> bool:
    """Whether a turn of unknown speaker reads as the seller's (never judged as an objection)."""
    return bool(doc.user_data.get(SELLER_KEY)) or (
        float(doc.user_data.get(AGENT_SCORE_KEY, 0.0)) >= AGENT_GATE
    )


def _decide(
    nlp: Language,
    docs: Sequence[Doc],
    thresholds: Mapping[str, float],
    unknown: Sequence[bool] | None = None,
) -> list[list[_Decision]]:
    """Built-in labels raised in each turn: rule evidence first, else the best sentence."""
    model = _model(nlp)
    decisions: list[list[_Decision]] = []
    pending: list[tuple[_Decision, list[Span]]] = []
    for n, doc in enumerate(docs):
        here: list[_Decision] = []
        decisions.append(here)
        if unknown is not None and unknown[n] and _seller_like(doc):
            continue
        vetoed = vetoed_labels(doc) | set(doc.user_data.get(OFF_TOPIC_KEY, ()))
        least = NEUTRAL_MIN_SCORE.get(str(doc.user_data.get(NEUTRAL_KEY) or ""), 0.0)
        if unknown is not None and unknown[n]:
            least = max(least, UNKNOWN_MIN_SCORE)
        for label in BUILTIN_LABELS:
            spans = [s for s in doc.spans[OBJECTION_SPANS_KEY] if s.label_ == label]
            score = doc.cats.get(label)
            needed = max(thresholds[label], least)
            if spans:
                here.append(_Decision(label, spans[0], score, spans[0].text))
            elif label not in vetoed and score is not None and score >= needed:
                decision = _Decision(label, None, score, doc.text.strip())
                sentences = [s for s in doc.sents if s.text.strip()]
                if len(sentences) > 1:
                    pending.append((decision, sentences))
                here.append(decision)
    if pending:
        # One batched prediction over all candidate sentences names each flag's evidence.
        flat = [s for _, sentences in pending for s in sentences]
        scores = iter(model.predict(model.views(flat)))
        for decision, sentences in pending:
            scored = [(next(scores)[decision.label], s) for s in sentences]
            decision.evidence = max(scored, key=lambda pair: pair[0])[1].text.strip()
    return decisions


def _rule_spans(doc: Doc) -> tuple[RuleSpan, ...]:
    spans = [*doc.spans[OBJECTION_SPANS_KEY], *doc.spans.get(TRACKER_SPANS_KEY, [])]
    return tuple(
        RuleSpan(s.label_, s.start_char, s.end_char, s.text, s.id_)
        for s in sorted(spans, key=lambda s: (s.start, s.end))
    )


def classify_turn(
    text: str,
    lang: str | None = None,
    trackers: Sequence[TrackerSpec] = (),
    *,
    previous: str | None = None,
    thresholds: Mapping[str, float] | None = None,
    model_dir: Path | None = None,
) -> TurnResult:
    """Labels, classifier scores and rule spans for one customer turn.

    ``previous`` is the agent's turn just before it, if known: the same words can object
    after one agent turn and not after another ("маловато" after a discount offer).
    ``thresholds`` overrides the model's per-label thresholds; ``model_dir`` loads the model
    from another folder (a retrained version) instead of the shipped one.
    """
    lang = lang or detect_language(text)
    nlp = build_pipeline(lang, trackers, model_dir)
    doc = nlp(_make_doc(nlp, text, previous))
    labels = [d.label for d in _decide(nlp, [doc], _thresholds(nlp, thresholds))[0]]
    labels += sorted({s.label_ for s in doc.spans.get(TRACKER_SPANS_KEY, [])} - set(labels))
    scores = {label: round(float(doc.cats.get(label, 0.0)), 4) for label in BUILTIN_LABELS}
    return TurnResult(
        labels=tuple(labels),
        scores=scores,
        spans=_rule_spans(doc),
        lang=lang,
        model_version=_model(nlp).version,
    )


def _make_doc(nlp: Language, text: str, previous: str | None) -> Doc:
    doc = nlp.make_doc(text)
    if previous and previous.strip():
        doc.user_data[PREVIOUS_KEY] = previous
    return doc


def _previous_agent_turn(rows: Sequence[tuple[str, float, float, str]], i: int) -> str | None:
    """The turn a segment answers: the nearest agent segment before it (over at most one
    customer segment); with roles unknown, simply the segment before."""
    if rows[i][0] == "unknown":
        return rows[i - 1][3] if i > 0 else None
    for j in range(i - 1, max(i - 1 - _CONTEXT_REACH, -1), -1):
        if rows[j][0] == "agent":
            return rows[j][3]
    return None


def _tracker_counts(spec_by_id: dict[str, TrackerSpec], span: Span, speaker: str) -> bool:
    spec = spec_by_id.get(span.id_)
    if spec is None:
        return False
    return speaker == "unknown" or spec.said_by in ("any", speaker)


def find_objections(
    segments: Sequence[Any],
    *,
    lang: str | None = None,
    trackers: Sequence[TrackerSpec] = (),
    thresholds: Mapping[str, float] | None = None,
    model_dir: Path | None = None,
) -> list[Finding]:
    """Flag objections and tracker hits in a transcript's segments.

    Segments are objects with ``speaker``, ``start``, ``end`` and ``text`` (such as
    ``transcription.Segment``) or mappings with those keys. Only customer turns yield
    objections; when a segment's speaker is unknown (mono audio) it is analysed and its
    findings are marked ``speaker_unknown``. The language is detected from the whole
    transcript when not given. Each label is reported at most once per segment.
    ``thresholds`` and ``model_dir`` are as in :func:`classify_turn`; every finding carries
    the version of the model that judged it.
    """
    rows = [segment_fields(segment, i) for i, segment in enumerate(segments)]
    if not rows:
        return []
    lang = lang or detect_language(" ".join(r[3] for r in rows))
    nlp = build_pipeline(lang, trackers, model_dir)
    version = _model(nlp).version
    spec_by_id = {t.rule_id: t for t in trackers if t.lang == lang}
    wanted = [
        i
        for i, (speaker, _, _, text) in enumerate(rows)
        if text.strip()
        and (speaker != "agent" or any(t.said_by != "customer" for t in spec_by_id.values()))
    ]
    findings: list[Finding] = []
    made: dict[int, Doc] = {}
    for i in wanted:
        made[i] = _make_doc(nlp, rows[i][3], _previous_agent_turn(rows, i))
        if rows[i][0] == "unknown" and made.get(i - 1) is not None:
            # The segment before is analysed in this same call, ahead of this one: its doc
            # gives the context without a second analysis.
            made[i].user_data[PREVIOUS_KEY] = made[i - 1]
    docs = list(nlp.pipe([made[i] for i in wanted], batch_size=256))
    judged = [(i, d) for i, d in zip(wanted, docs, strict=True) if rows[i][0] != "agent"]
    decided = iter(
        _decide(
            nlp,
            [d for _, d in judged],
            _thresholds(nlp, thresholds),
            [rows[i][0] == "unknown" for i, _ in judged],
        )
    )
    for i, doc in zip(wanted, docs, strict=True):
        speaker, start, end, _ = rows[i]
        unknown = speaker == "unknown"
        labels_here: set[str] = set()
        for d in next(decided) if speaker != "agent" else ():
            labels_here.add(d.label)
            findings.append(
                Finding(
                    label=d.label,
                    segment_index=i,
                    start_char=d.span.start_char if d.span is not None else None,
                    end_char=d.span.end_char if d.span is not None else None,
                    text=d.evidence,
                    rule_id=d.span.id_ if d.span is not None else None,
                    score=None if d.score is None else round(d.score, 4),
                    time_start=start,
                    time_end=end,
                    speaker_unknown=unknown,
                    model_version=version,
                )
            )
        for span in doc.spans.get(TRACKER_SPANS_KEY, []):
            if span.label_ in labels_here or not _tracker_counts(spec_by_id, span, speaker):
                continue
            labels_here.add(span.label_)
            findings.append(
                Finding(
                    label=span.label_,
                    segment_index=i,
                    start_char=span.start_char,
                    end_char=span.end_char,
                    text=span.text,
                    rule_id=span.id_,
                    score=None,
                    time_start=start,
                    time_end=end,
                    speaker_unknown=unknown,
                )
            )
    return findings
