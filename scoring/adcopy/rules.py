"""Load the ad-copy lexicons (spaCy Matcher patterns as JSON lines) and annotate tokens."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
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
        "ctx_promo",
        "label",
        "advertiser",
        "erid",
        "not_label",
        "not_advertiser",
    }
)
# The marking of online ads (labelling rules B4): judged together, not decided in order.
MARKING_LABELS = ("label", "advertiser", "erid")
# Labels decided in this order; a rule may only need labels decided before its own.
DECISION_ORDER = (
    "ctx_opportunity",
    "ctx_price",
    "ctx_event",
    "ctx_promo",
    "offer",
    "deadline",
    "cta",
)
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
    when one is anywhere in the ad. Either way a hit of ``unless`` in the hit's sentence vetoes it.
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
    # Verb class of concrete actions: aspect key -> the listed lemma it stands for.
    verbs: dict[str, str] = field(default_factory=dict)


def _register_extensions() -> None:
    for name, default in (
        ("adcopy_start", False),
        ("adcopy_impr", ""),
        ("adcopy_inf", ""),
        ("adcopy_amount", ""),
        ("adcopy_sent", 0),
        # A day of the month written in words ("пятнадцатого", "fifteenth"): its number.
        ("adcopy_day", 0),
        # The tens of a compound one ("двадцать" пятого, "twenty" first).
        ("adcopy_tens", 0),
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
                (
                    "date.",
                    "offer.",
                    "deadline.",
                    "cta.",
                    "vague.",
                    "optout.",
                    "not.",
                    "ctx.",
                    "marking.",
                )
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
    verbs = verb_class(
        lists.get(f"action_verbs_{lang}", ()), lists.get(f"not_action_verbs_{lang}", ())
    )
    return Lexicon(lang, dates, elements, labels, lists, conditions, verbs)


# Endings stripped to pair the aspects of a Russian verb: записать / записывать,
# оформить / оформлять, подключить / подключаться. Longest first.
_INFINITIVE_ENDINGS = ("ться", "тись", "чься", "ть", "ти", "чь")
_ASPECT_SUFFIXES = ("ыва", "ива", "я", "а", "и", "е")
_LABIAL_L = ("бл", "пл", "вл", "фл", "мл")


def aspect_key(lemma: str) -> str:
    """Return the stem that a Russian verb shares with its other aspect and its reflexive form.

    "записаться", "записывать" and "записать" give "запис"; "оформлять" and "оформить" give
    "оформ". Verbs whose aspects differ by more than a suffix keep distinct keys.
    """
    base = lemma
    for ending in _INFINITIVE_ENDINGS:
        if base.endswith(ending):
            base = base[: -len(ending)]
            break
    for suffix in _ASPECT_SUFFIXES:
        if base.endswith(suffix) and len(base) - len(suffix) >= 4:
            base = base[: -len(suffix)]
            break
    if base.endswith(_LABIAL_L):
        base = base[:-1]
    return base


def verb_class(listed: tuple[str, ...], excluded: tuple[str, ...] = ()) -> dict[str, str]:
    """Map the aspect key of each listed verb to the verb (the first listed wins)."""
    verbs: dict[str, str] = {}
    for lemma in listed:
        verbs.setdefault(aspect_key(lemma), lemma)
    for lemma in excluded:
        verbs[lemma] = ""
    return verbs


def _in_class(lemma: str, listed: frozenset[str], verbs: dict[str, str]) -> str:
    """Return the listed verb ``lemma`` stands for ("подключаться" -> "подключить"), or itself.

    An excluded lemma ("обратить", sharing a stem with "обратиться") gives "".
    """
    if not lemma or lemma in listed or not verbs or lemma in verbs:
        return "" if verbs.get(lemma) == "" else lemma
    return verbs.get(aspect_key(lemma)) or lemma


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


_RU_ORDINALS = {
    name: number
    for number, name in enumerate(
        [
            "первый",
            "второй",
            "третий",
            "четвертый",
            "пятый",
            "шестой",
            "седьмой",
            "восьмой",
            "девятый",
            "десятый",
            "одиннадцатый",
            "двенадцатый",
            "тринадцатый",
            "четырнадцатый",
            "пятнадцатый",
            "шестнадцатый",
            "семнадцатый",
            "восемнадцатый",
            "девятнадцатый",
            "двадцатый",
        ],
        1,
    )
} | {"четвёртый": 4, "тридцатый": 30}
_TENS = {"двадцать": 20, "тридцать": 30, "twenty": 20, "thirty": 30}
_EN_ORDINAL_ENDINGS = ("first", "second", "third", "th")


def _spoken_day(token: Token, lang: str) -> int:
    """The day of the month an ordinal written in words names, 0 if it is not one."""
    if lang == "ru":
        return _RU_ORDINALS.get(token.lemma_.replace("ё", "е"), 0) or _RU_ORDINALS.get(
            token.lemma_, 0
        )
    lower = token.lower_
    if not lower[:1].isalpha() or not lower.endswith(_EN_ORDINAL_ENDINGS):
        return 0
    # The English lemmatizer gives ordinals as figures ("fifteenth" -> "15").
    lemma = token.lemma_
    return int(lemma) if lemma.isdigit() and 1 <= int(lemma) <= 31 else 0


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


def annotate(doc: Doc, lang: str, lexicon: Lexicon | None = None) -> None:
    """Set the token attributes the lexicon patterns rely on (clause starts, verb forms...).

    With a lexicon, a Russian verb of the concrete-action class (another aspect or the reflexive
    form of a listed verb) carries the listed verb as its imperative or infinitive lemma.
    """
    verbs = lexicon.verbs if lexicon is not None else {}
    listed = frozenset(verbs.values())
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
        if token.is_alpha or "-" in token.text:
            token._.adcopy_day = _spoken_day(token, lang)
            token._.adcopy_tens = _TENS.get(token.lower_, 0)
        if lang == "ru" and token.is_alpha:
            imperative, infinitive = ru_verb_forms(token.lower_)
            token._.adcopy_impr = _in_class(imperative, listed, verbs)
            token._.adcopy_inf = _in_class(infinitive, listed, verbs)
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
    actions = frozenset(lexicon.lists.get(f"action_verbs_{lang}", ())) if lexicon else frozenset()
    _mark_unpunctuated_starts(doc, lang, actions)


# Words after which a capitalised or post-figure word is not a new clause ("we Call", "to Book").
_NO_BREAK_AFTER = frozenset(
    {
        "to",
        "we",
        "you",
        "i",
        "they",
        "he",
        "she",
        "it",
        "can",
        "will",
        "may",
        "must",
        "should",
        "could",
        "would",
        "might",
        "the",
        "a",
        "an",
        "our",
        "your",
        "their",
        "my",
        "his",
        "her",
        "its",
        "who",
        "that",
        "which",
        "let",
        "not",
        "don't",
        "never",
        "also",
        "of",
        "for",
        "with",
        "per",
        "no",
        "first",
        "next",
        "last",
        "every",
        "each",
        "any",
        "this",
        "one",
        "мы",
        "вы",
        "вам",
        "нам",
        "можно",
        "не",
    }
)
# What may follow an English imperative that opens an unpunctuated clause ("SAVE20 shop now").
_IMPERATIVE_NEXT = frozenset(
    {
        "now",
        "today",
        "tonight",
        "online",
        "us",
        "here",
        "at",
        "your",
        "the",
        "our",
        "by",
        "early",
        "ahead",
        "in",
        "a",
        "an",
        "this",
        "these",
        "for",
        "on",
        "and",
        "&",
        "direct",
        "in-store",
        "instore",
        "up",
        "over",
        "via",
        "before",
        "while",
        "soon",
        "it",
        "them",
        "yours",
        "one",
        "or",
        "to",
    }
)


def _breaks_line(prev: Token, token: Token) -> bool:
    """Whether ``token`` opens a new clause of a line written without punctuation.

    After a figure or a code ("-30% Звоните", "SAVE20 shop now"), at a change to or from capitals
    ("FALL shop now", "big sale Shop now") and inside a line in capitals ("40% OFF CALL NOW").
    """
    if not token.is_alpha or prev.lower_ in _NO_BREAK_AFTER or prev.lower_ in _CONNECTORS:
        return False
    upper = token.is_upper and len(token) > 1
    prev_upper = prev.is_upper and len(prev) > 1
    if any(ch.isdigit() for ch in prev.text):
        # "6pm" is one expression, not a figure and a word.
        return bool(prev.whitespace_)
    if upper and prev_upper:
        return True
    if prev_upper and not token.is_upper:
        return prev.is_alpha or any(ch.isdigit() for ch in prev.text)
    return token.is_title and prev.is_alpha and prev.is_lower


# Words after which an English action verb is an imperative wherever it stands in a line
# ("30% off everything book your table").
_IMPERATIVE_ANYWHERE_NEXT = frozenset({"now", "your"})


# "now" before these states the shop's news, not a request: "COFFEE SHOP NOW OPEN".
_NOW_STATES = frozenset(
    {"open", "opened", "available", "hiring", "on", "closed", "serving", "accepting", "live"}
)


def _now_state(token: Token) -> bool:
    """Whether ``token`` is "now" followed by a state ("now open", "now hiring")."""
    doc = token.doc
    return (
        token.lower_ == "now" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ in _NOW_STATES
    )


def _imperative_may_follow(token: Token, following: Token | None) -> bool:
    """Whether the words after ``token`` read like the rest of an imperative."""
    if following is not None and _now_state(following):
        return False
    if following is None or "\n" in token.whitespace_ or following.is_punct:
        # Only a capitalised word may close the clause: "any $75 purchase." names a purchase.
        return token.is_title or token.is_upper
    return (
        following.lower_ in _IMPERATIVE_NEXT
        or following.like_url
        or following.like_email
        or any(ch.isdigit() for ch in following.text)
    )


def _unbroken_imperative(prev: Token, token: Token, doc: Doc, actions: frozenset[str]) -> bool:
    """An imperative inside a line, after no subject or modal.

    An action verb before "now" or "your" ("30% off everything book your table"), or a verb of
    coming before its particle and a time ("Fresh bagels daily stop by today").
    """
    if not token.is_alpha or prev.lower_ in _NO_BREAK_AFTER or token.i + 1 >= len(doc):
        return False
    following = doc[token.i + 1]
    if token.lower_ in actions:
        return following.lower_ in _IMPERATIVE_ANYWHERE_NEXT and not _now_state(following)
    if token.lower_ not in _COMING_VERBS or following.lower_ not in _COMING_PARTICLES:
        return False
    after = doc[token.i + 2] if token.i + 2 < len(doc) else None
    return after is None or after.is_punct or after.lower_ in _COMING_WHEN


_COMING_VERBS = frozenset({"stop", "swing", "drop", "pop", "come", "hurry", "head"})
_COMING_PARTICLES = frozenset({"by", "in", "over"})
_COMING_WHEN = frozenset(
    {"today", "now", "tonight", "tomorrow", "soon", "anytime", "and", "for", "to", "at", "this"}
)


def _mark_unpunctuated_starts(doc: Doc, lang: str, actions: frozenset[str]) -> None:
    """Mark clause starts that a line without punctuation leaves unmarked.

    A capitalised word after a link also starts a new sentence. Otherwise an English word
    counts only when an imperative could go on from it: the next word is one of
    ``_IMPERATIVE_NEXT``, a link, an address, a number, or the clause ends. A Russian word counts
    only when capitalised (a button label such as "Купить" after the text of the ad).
    """
    prev: Token | None = None
    shift = 0
    for token in doc:
        if token.is_space:
            continue
        token._.adcopy_sent += shift
        if prev is None or token._.adcopy_start:
            prev = token
            continue
        if (prev.like_url or prev.like_email) and (token.is_title or token.is_upper):
            # A link ends a sentence: "Shop at x.example Reply STOP to opt out" is two.
            shift += 1
            token._.adcopy_sent += 1
            token._.adcopy_start = True
        elif lang != "ru" and _unbroken_imperative(prev, token, doc, actions):
            token._.adcopy_start = True
        elif _breaks_line(prev, token):
            if lang == "ru":
                token._.adcopy_start = token.is_title or token.is_upper
            else:
                following = doc[token.i + 1] if token.i + 1 < len(doc) else None
                token._.adcopy_start = _imperative_may_follow(token, following)
        prev = token


def clause_of(doc: Doc, index: int) -> Span:
    """Return the clause around token ``index``: up to clause punctuation or a new line."""
    start = index
    while start > 0 and not doc[start]._.adcopy_start:
        start -= 1
    end = index + 1
    while end < len(doc) and not doc[end]._.adcopy_start:
        end += 1
    return doc[start:end]
