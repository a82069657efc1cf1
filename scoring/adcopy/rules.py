"""Load the ad-copy lexicons (spaCy Matcher patterns as JSON lines) and annotate tokens."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicons"

# Labels of the first pass: expressions of time that become doc.ents.
DATE_LABELS = frozenset({"DATE", "DRANGE", "TIME", "RECUR"})
# Labels of the second pass.
ELEMENT_LABELS = frozenset(
    {
        "offer",
        "deadline",
        "cta",
        "vague",
        "vague_promo",
        "optout",
        "not_offer",
        "not_deadline",
        "not_cta",
        "ctx_opportunity",
        "ctx_price",
        "ctx_event",
    }
)
# Labels decided in this order; a rule may only need labels decided before its own.
DECISION_ORDER = ("ctx_opportunity", "ctx_price", "ctx_event", "offer", "deadline", "cta")
NEED_SCOPES = frozenset({"sentence", "ad"})

# Punctuation after which a new clause starts (an English imperative may open it).
_CLAUSE_PUNCT = frozenset('.!?…;:,—–-()|•/«»"“”„→➡>')
_SENTENCE_PUNCT = frozenset(".!?…;")
_CONNECTORS = frozenset(
    {
        "and",
        "or",
        "then",
        "&",
        "just",
        "please",
        "kindly",
        "simply",
        "so",
        "now",
        "и",
        "или",
        "а",
        "просто",
    }
)
_MINUS = "−-–"
_CURRENCY = ("₽", "$", "€", "£", "¥", "руб", "р.", "usd", "eur", "rub")


@dataclass(frozen=True)
class Need:
    """The condition of a conditional rule.

    The hit stands when a hit of one of ``any`` is in its sentence; with ``scope`` "ad", also
    when one is anywhere in the ad, unless a hit of ``unless`` shares the hit's sentence.
    """

    any: tuple[str, ...]
    scope: str
    unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    """Compiled patterns of one language: a date pass and an element pass."""

    lang: str
    dates: Matcher
    elements: Matcher
    labels: dict[str, str]
    lists: dict[str, tuple[str, ...]]
    needs: dict[str, Need]


def _register_extensions() -> None:
    for name, default in (
        ("adcopy_start", False),
        ("adcopy_impr", ""),
        ("adcopy_inf", ""),
        ("adcopy_amount", ""),
        ("adcopy_sent", 0),
    ):
        if not Token.has_extension(name):
            Token.set_extension(name, default=default)


_register_extensions()


def _substitute(value: Any, lists: dict[str, tuple[str, ...]], where: str) -> Any:
    """Replace "@name" strings inside a pattern by the named word list."""
    if isinstance(value, str) and value.startswith("@"):
        if value[1:] not in lists:
            raise ValueError(f"{where}: unknown list {value!r}")
        return list(lists[value[1:]])
    if isinstance(value, dict):
        return {key: _substitute(item, lists, where) for key, item in value.items()}
    if isinstance(value, list):
        return [_substitute(item, lists, where) for item in value]
    return value


def read_lexicon(path: Path) -> tuple[dict[str, tuple[str, ...]], list[dict[str, Any]]]:
    """Read named word lists and pattern entries from one JSONL lexicon file."""
    lists: dict[str, tuple[str, ...]] = {}
    entries: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{where}: not valid JSON ({exc.msg})") from exc
            if "list" in entry:
                lists[entry["id"]] = tuple(entry["list"])
                continue
            if entry.get("label") not in DATE_LABELS | ELEMENT_LABELS:
                raise ValueError(f"{where}: unknown label {entry.get('label')!r}")
            if not str(entry.get("id", "")).startswith(
                ("date.", "offer.", "deadline.", "cta.", "vague.", "optout.", "not.", "ctx.")
            ):
                raise ValueError(f"{where}: id must be dotted, e.g. offer.discount")
            entry["pattern"] = _substitute(entry["pattern"], lists, where)
            if "needs" in entry:
                _check_needs(entry, where)
            entries.append(entry)
    return lists, entries


def _check_needs(entry: dict[str, Any], where: str) -> None:
    """A conditional rule names labels decided before its own and a scope."""
    needs = entry["needs"]
    label = entry["label"]
    if not isinstance(needs, dict) or needs.get("scope") not in NEED_SCOPES:
        raise ValueError(f"{where}: needs must be {{'any': [...], 'scope': 'sentence'|'ad'}}")
    if label not in DECISION_ORDER:
        raise ValueError(f"{where}: a {label!r} rule cannot be conditional")
    before = DECISION_ORDER[: DECISION_ORDER.index(label)]
    named = [*needs.get("any", ()), *needs.get("unless", ())]
    if not needs.get("any") or any(item not in before for item in named):
        raise ValueError(f"{where}: needs may only name labels decided before {label!r}")


@lru_cache(maxsize=4)
def load_lexicon(lang: str, nlp: Language) -> Lexicon:
    """Compile ``scoring/lexicons/adcopy.<lang>.jsonl`` for the pipeline ``nlp``."""
    lists, entries = read_lexicon(LEXICON_DIR / f"adcopy.{lang}.jsonl")
    dates = Matcher(nlp.vocab, validate=True)
    elements = Matcher(nlp.vocab, validate=True)
    labels: dict[str, str] = {}
    needs: dict[str, Need | None] = {}
    for entry in entries:
        rule_id, label = entry["id"], entry["label"]
        if labels.setdefault(rule_id, label) != label:
            raise ValueError(f"adcopy.{lang}.jsonl: id {rule_id} used with two labels")
        need = None
        if "needs" in entry:
            spec = entry["needs"]
            need = Need(tuple(spec["any"]), str(spec["scope"]), tuple(spec.get("unless", ())))
        if needs.setdefault(rule_id, need) != need:
            raise ValueError(f"adcopy.{lang}.jsonl: id {rule_id} used with two conditions")
        matcher = dates if label in DATE_LABELS else elements
        matcher.add(rule_id, [entry["pattern"]])
    conditions = {rule_id: need for rule_id, need in needs.items() if need is not None}
    return Lexicon(lang, dates, elements, labels, lists, conditions)


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=50_000)
def ru_verb_forms(lower: str) -> tuple[str, str]:
    """Return (imperative lemma, infinitive lemma) of a Russian word, "" where it is neither."""
    imperative = infinitive = ""
    for parse in _morph().parse(lower):
        lemma = str(parse.normal_form).replace("ё", "е")
        # "incl" marks the inclusive "let us" form ("перезвоним"), a promise rather than a request.
        if "impr" in parse.tag and "incl" not in parse.tag and not imperative:
            imperative = lemma
        if "INFN" in parse.tag and not infinitive:
            infinitive = lemma
    return imperative, infinitive


def _amount_kind(text: str) -> str:
    lower = text.lower()
    if not any(ch.isdigit() for ch in lower):
        return ""
    minus = lower[0] in _MINUS
    body = lower.lstrip(_MINUS + "+ ")
    if body.endswith("%"):
        kind = "percent"
    elif any(sign in body for sign in _CURRENCY):
        kind = "money"
    else:
        return ""
    digits = [ch for ch in body if ch.isdigit()]
    if minus:
        return "minus"
    if kind == "money" and set(digits) == {"0"}:
        return "zero"
    return kind


def annotate(doc: Doc, lang: str) -> None:
    """Set the token attributes the lexicon patterns rely on (clause starts, verb forms...)."""
    sentence = 0
    starts_clause = True
    for token in doc:
        if token.is_space:
            if "\n" in token.text:
                starts_clause = True
                sentence += 1
            continue
        token._.adcopy_sent = sentence
        token._.adcopy_start = starts_clause
        token._.adcopy_amount = _amount_kind(token.text)
        if lang == "ru" and token.is_alpha:
            token._.adcopy_impr, token._.adcopy_inf = ru_verb_forms(token.lower_)
        text = token.text
        is_word = token.is_alpha or token.like_num or any(ch.isdigit() for ch in text)
        starts_clause = (
            not is_word and all(ch in _CLAUSE_PUNCT or not ch.isalnum() for ch in text)
        ) or token.lower_ in _CONNECTORS
        if text and all(ch in _SENTENCE_PUNCT for ch in text):
            sentence += 1
        if "\n" in token.whitespace_:
            starts_clause = True
            sentence += 1


def clause_of(doc: Doc, index: int) -> Span:
    """Return the clause around token ``index``: up to clause punctuation or a new line."""
    start = index
    while start > 0 and not doc[start]._.adcopy_start:
        start -= 1
    end = index + 1
    while end < len(doc) and not doc[end]._.adcopy_start:
        end += 1
    return doc[start:end]
