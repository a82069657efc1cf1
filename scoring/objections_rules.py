"""Rule layer of the objection detector: lexicon loading and negation/question context."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from scoring.types import BUILTIN_LABELS

__all__ = [
    "LEXICON_DIR",
    "OBJECTION_SPANS_KEY",
    "LexiconError",
    "RuleMeta",
    "add_objection_rules",
    "load_lexicon",
    "vetoed_labels",
]

LEXICON_DIR = Path(__file__).parent / "lexicons"
OBJECTION_SPANS_KEY = "qa_objections"
# NEG cues of scope "closing" that close their turn: the customer's final stance.
CLOSING_SPANS_KEY = "qa_objection_closing"
NEG_LABEL = "NEG"

_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_SCOPES = ("before", "sentence_before", "after", "overlap", "sentence", "closing")
_QUESTIONS = ("keep", "drop")
_KEYS = {
    "id",
    "label",
    "pattern",
    "negation",
    "questions",
    "scope",
    "window",
    "labels",
    "rules",
    "note",
}


class LexiconError(ValueError):
    """A lexicon line is malformed."""


@dataclass(frozen=True)
class RuleMeta:
    """How the context filter treats spans of one rule id.

    Objection rules: ``negation`` ("check" or "ignore") and ``questions`` ("keep" or "drop").
    NEG rules: ``scope`` says where the cue cancels an objection span, ``window`` bounds the
    "before" scope in tokens, ``labels`` and ``rules`` limit which labels or rule ids it
    cancels (empty: all). A "closing" cue (acceptance: "…, так что беру", "…, ring it up")
    counts only when it closes the turn, and then also vetoes the classifier's flag of its
    labels: the customer's final stance decides (labelling rules A1, "пусть дороже, зато…").
    """

    id: str
    label: str
    negation: str = "check"
    questions: str = "keep"
    scope: str = "before"
    window: int = 3
    labels: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()


def _parse_line(raw: str, where: str) -> tuple[dict[str, Any], RuleMeta]:
    try:
        entry = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise LexiconError(f"{where}: not valid JSON ({exc.msg})") from exc
    if not isinstance(entry, dict):
        raise LexiconError(f"{where}: each line must be a JSON object")
    unknown = set(entry) - _KEYS
    if unknown:
        raise LexiconError(f"{where}: unknown keys {sorted(unknown)}")
    rule_id, label, pattern = entry.get("id"), entry.get("label"), entry.get("pattern")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise LexiconError(f"{where}: id must be dotted lower-case, e.g. price.too_expensive")
    if not isinstance(label, str) or not label:
        raise LexiconError(f"{where}: label is required")
    if not isinstance(pattern, list | str) or not pattern:
        raise LexiconError(f"{where}: pattern must be a token list or a phrase")
    meta = RuleMeta(
        id=rule_id,
        label=label,
        negation=entry.get("negation", "check"),
        questions=entry.get("questions", "keep"),
        scope=entry.get("scope", "before"),
        window=int(entry.get("window", 3)),
        labels=tuple(entry.get("labels", ())),
        rules=tuple(entry.get("rules", ())),
    )
    if meta.negation not in ("check", "ignore"):
        raise LexiconError(f"{where}: negation must be 'check' or 'ignore'")
    if meta.questions not in _QUESTIONS:
        raise LexiconError(f"{where}: questions must be one of {_QUESTIONS}")
    if meta.scope not in _SCOPES:
        raise LexiconError(f"{where}: scope must be one of {_SCOPES}")
    return {"label": label, "pattern": pattern, "id": rule_id}, meta


@lru_cache(maxsize=8)
def load_lexicon(
    lang: str, directory: Path = LEXICON_DIR
) -> tuple[list[dict[str, Any]], dict[str, RuleMeta]]:
    """Read objections.<lang>.jsonl: spaCy span-ruler patterns plus per-id context metadata."""
    path = directory / f"objections.{lang}.jsonl"
    if not path.is_file():
        raise LexiconError(f"no objection lexicon for language {lang!r} at {path}")
    patterns: list[dict[str, Any]] = []
    metas: dict[str, RuleMeta] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip():
            continue
        pattern, meta = _parse_line(raw, f"{path.name}:{number}")
        known = metas.get(meta.id)
        if known is not None and known != meta:
            raise LexiconError(f"{path.name}:{number}: id {meta.id} reused with other settings")
        metas[meta.id] = meta
        patterns.append(pattern)
    return patterns, metas


# Tokens that close a clause: a negation before them does not reach past them.
_CLAUSE_BREAKS = {",", ";", ":", "—", "–", "-", "но", "а", "зато", "однако", "but", "though"}
# Closing cues (acceptance) hold only at the end of a turn, not negated ("не беру"), not tied
# to a demand just before them ("скиньте сотню — и беру"), not reopened by a contrast after
# them ("беру, но только со скидкой"), not conditional in their sentence ("если…, тогда беру").
_NEGATORS = {"не", "нет", "ни", "not", "n't", "never", "no"}
_CONSEQUENCE = {"и", "—", "–", "-", "and"}
_CONTRAST = {"но", "а", "однако", "только", "but", "though", "however", "except", "unless"}
_CONDITIONAL = {"если", "тогда", "when", "if", "then", "unless", "provided"}
# A closing cue may be followed by a few words ("…, i'll take em in the brown"), no more.
_CLOSING_TAIL = 5


def _closes_turn(cue: Span) -> bool:
    """An acceptance cue that ends the turn and is unconditional (see the sets above)."""
    doc = cue.doc
    tail = [t for t in doc[cue.end :] if not t.is_punct]
    if "?" in doc.text or len(tail) > _CLOSING_TAIL:
        return False
    before = {t.lower_ for t in doc[max(cue.start - 2, 0) : cue.start]}
    if before & _NEGATORS or before & _CONSEQUENCE:
        return False
    if any(t.lower_ in _CONTRAST for t in tail):
        return False
    return not any(t.lower_ in _CONDITIONAL for t in cue.sent)


def _is_question(sent: Span) -> bool:
    return any("?" in token.text for token in sent[-2:])


def _cancels(neg: Span, span: Span, meta: RuleMeta) -> bool:
    if (meta.labels and span.label_ not in meta.labels) or (
        meta.rules and span.id_ not in meta.rules
    ):
        return False
    same_sentence = neg.sent.start == span.sent.start
    if meta.scope == "closing":  # only cues that close the turn reach here
        return neg.start >= span.end
    if meta.scope == "overlap":
        return neg.start < span.end and span.start < neg.end
    if meta.scope == "sentence":
        return same_sentence
    if meta.scope == "after":
        return neg.start >= span.end
    if not same_sentence or neg.end > span.start:
        return False
    if meta.scope == "sentence_before":
        return True
    gap = span.doc[neg.end : span.start]
    return len(gap) <= meta.window and not any(t.lower_ in _CLAUSE_BREAKS for t in gap)


def _anchor(pattern: list[dict[str, Any]]) -> frozenset[str] | None:
    """The smallest set of literal LOWER/LEMMA values one required token must have."""
    best: frozenset[str] | None = None
    for token in pattern:
        op = token.get("OP")
        if op is not None and op != "+" and not re.fullmatch(r"\{[1-9]\d*(,\d*)?\}", op):
            continue  # optional or negated tokens cannot anchor a pattern
        for attr in ("LOWER", "LEMMA", "ORTH", "TEXT"):
            value = token.get(attr)
            values = {value} if isinstance(value, str) else (value or {}).get("IN")
            if values and (best is None or len(values) < len(best)):
                best = frozenset(str(v).lower() for v in values)
    return best


_FORMS_KEY = "qa_forms"


def doc_words(doc: Doc) -> set[str]:
    """The lower-case forms and lemmas of a doc's tokens (what patterns are anchored on).

    Kept in ``doc.user_data`` after the first call: the components that use it run after
    the last change to the tokens (the money merger) and the lemmas.
    """
    cached = doc.user_data.get(_FORMS_KEY)
    if cached is None or cached[0] != len(doc):
        forms = {form for t in doc for form in (t.lower_, t.lemma_)}
        cached = doc.user_data[_FORMS_KEY] = (len(doc), forms)
    return cached[1]


class AnchoredRuler:
    """Matches lexicon patterns, but runs each only on turns that contain its anchor word.

    A spaCy Matcher tries every pattern at every token, which for a few hundred patterns
    costs ~0.2 ms a word. Most turns contain none of a pattern's literal words, so each
    pattern gets its own small matcher, looked up through an index of those words.
    """

    def __init__(self, nlp: Language, patterns: Sequence[dict[str, Any]]) -> None:
        from spacy.matcher import Matcher

        self.matchers: list[Any] = []
        self.index: dict[str, list[int]] = {}
        self.always: list[int] = []
        grouped: dict[frozenset[str] | None, list[dict[str, Any]]] = {}
        for entry in patterns:
            grouped.setdefault(_anchor(entry["pattern"]), []).append(entry)
        for anchor, entries in grouped.items():
            matcher = Matcher(nlp.vocab, validate=True)
            for entry in entries:
                matcher.add(f"{entry['label']}|{entry['id']}", [entry["pattern"]])
            position = len(self.matchers)
            self.matchers.append(matcher)
            if anchor is None:
                self.always.append(position)
            for word in anchor or ():
                self.index.setdefault(word, []).append(position)

    def spans(self, doc: Doc, words: set[str] | None = None) -> list[Span]:
        """All matches of the patterns in a doc, labelled and with their rule id.

        ``words`` (the doc's lower-case forms and lemmas) may be passed when known.
        """
        if words is None:
            words = doc_words(doc)
        chosen = set(self.always)
        for word in words:
            chosen.update(self.index.get(word, ()))
        found: list[Span] = []
        for position in sorted(chosen):
            matcher = self.matchers[position]
            for key, start, end in matcher(doc):
                label, rule_id = doc.vocab.strings[key].split("|", 1)
                found.append(Span(doc, start, end, label=label, span_id=rule_id))
        return found


class ObjectionRules:
    """spaCy component: objection spans that are not negated, conceded or neutral questions.

    Writes the kept spans to ``doc.spans["qa_objections"]`` (label and rule id on each).
    """

    def __init__(self, nlp: Language, lang: str) -> None:
        patterns, self.metas = load_lexicon(lang)
        self.cues = AnchoredRuler(nlp, [p for p in patterns if p["label"] != NEG_LABEL])
        negations = [p for p in patterns if p["label"] == NEG_LABEL]
        # Closing cues are looked for in every turn (they veto the classifier too); the other
        # context cues only where an objection cue matched.
        closing = [p for p in negations if self.metas[p["id"]].scope == "closing"]
        self.negations = AnchoredRuler(nlp, [p for p in negations if p not in closing])
        self.closings = AnchoredRuler(nlp, closing)

    def __call__(self, doc: Doc) -> Doc:
        matches = self.cues.spans(doc)
        closing = [n for n in self.closings.spans(doc) if _closes_turn(n)]
        negs = [*self.negations.spans(doc), *closing] if matches else []
        doc.spans[CLOSING_SPANS_KEY] = [
            Span(doc, n.start, n.end, label=label, span_id=n.id_)
            for n in closing
            for label in self.metas[n.id_].labels or BUILTIN_LABELS
            if not any(self._outlasts(m, n, label) for m in matches)
        ]
        kept: list[Span] = []
        for span in matches:
            meta = self.metas[span.id_]
            if meta.questions == "drop" and _is_question(span.sent):
                continue
            if any(
                _cancels(n, span, self.metas[n.id_])
                for n in negs
                if meta.negation == "check" or self.metas[n.id_].scope != "before"
            ):
                continue
            kept.append(span)
        doc.spans[OBJECTION_SPANS_KEY] = _longest_first(kept)
        return doc

    def _outlasts(self, match: Span, closing: Span, label: str) -> bool:
        """A cue of ``label`` that a closing cue cannot overrule: one after it, or one of a
        rule it does not list (bargaining: "отдадите за пятнадцать — беру" stays price)."""
        if match.label_ != label:
            return False
        overrules = self.metas[closing.id_].rules
        return match.start >= closing.end or bool(overrules and match.id_ not in overrules)


def _longest_first(spans: Iterable[Span]) -> list[Span]:
    """Drop spans of the same label contained in a longer one; keep text order."""
    chosen: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start - s.end, s.start)):
        if not any(
            c.label_ == span.label_ and c.start <= span.start and span.end <= c.end for c in chosen
        ):
            chosen.append(span)
    return sorted(chosen, key=lambda s: (s.start, s.end))


def vetoed_labels(doc: Doc) -> set[str]:
    """Labels whose classifier flag the turn's closing acceptance cue cancels."""
    return {cue.label_ for cue in doc.spans.get(CLOSING_SPANS_KEY, [])}


@Language.factory("qa_objection_rules", default_config={"lang": "ru"})
def _make_rules(nlp: Language, name: str, lang: str) -> ObjectionRules:
    return ObjectionRules(nlp, lang)


def add_objection_rules(nlp: Language, lang: str) -> None:
    """Add the objection lexicon of a language with its negation/question context."""
    nlp.add_pipe("qa_objection_rules", config={"lang": lang})
