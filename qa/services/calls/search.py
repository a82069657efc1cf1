"""Transcript search with Russian (and English) word forms.

Nothing extra is stored: SQL narrows the candidates with LIKE on the stems of every form of
each query word, then spaCy lemmas confirm each hit in Python and mark the matched words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import contains_eager

from qa.extensions import db
from qa.models import Call, TranscriptSegment
from qa.services.calls.listing import CallFilters, apply_filters
from qa.services.calls.redaction import (
    has_hidden_data,
    may_see_original,
    redaction_active,
    shown_text,
    view_original,
)
from qa.services.errors import ValidationFailed
from qa.services.validation import clean_text

MAX_QUERY_WORDS = 8
MAX_CANDIDATES = 3000
MIN_STEM = 3
SAID_BY = ("agent", "customer")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Term:
    """One query word: the lemmas it stands for and the stems that find its forms in SQL."""

    word: str
    lemmas: frozenset[str]
    stems: tuple[str, ...]


@dataclass(frozen=True)
class Query:
    text: str
    lang: str
    terms: tuple[Term, ...]
    phrase: bool


@dataclass(frozen=True)
class HitPiece:
    text: str
    hit: bool


@dataclass(frozen=True)
class SearchHit:
    call: Call
    segment: TranscriptSegment
    pieces: tuple[HitPiece, ...]


@dataclass
class SearchResults:
    query: Query
    hits: list[SearchHit]
    total: int
    calls: int
    page: int
    per_page: int
    truncated: bool

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@lru_cache(maxsize=1)
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def _fold(text: str) -> str:
    return text.lower().replace("ё", "е")


def _stems(forms: set[str]) -> tuple[str, ...]:
    """The fewest prefixes (at least MIN_STEM letters where possible) that cover every form."""
    groups: dict[str, list[str]] = {}
    for form in forms:
        groups.setdefault(form[:MIN_STEM], []).append(form)
    stems = set()
    for group in groups.values():
        prefix = group[0]
        for form in group[1:]:
            while not form.startswith(prefix):
                prefix = prefix[:-1]
        stems.add(prefix)
    return tuple(sorted(stems))


@lru_cache(maxsize=50_000)
def word_lemmas(word: str, lang: str) -> frozenset[str]:
    """Every lemma a word form may have: "дорого" is an adverb or a form of "дорогой"."""
    from scoring.nlp import lemmatize

    folded = _fold(word)
    lemmas = {folded, lemmatize(folded, lang)}
    if lang == "ru" and re.search("[а-я]", folded):
        lemmas.update(_fold(parse.normal_form) for parse in _morph().parse(folded))
    return frozenset(lemmas)


def make_term(word: str, lang: str) -> Term:
    """All lemmas a query word may stand for, and stems of all its forms."""
    folded = _fold(word)
    lemmas = set(word_lemmas(folded, lang))
    forms = {folded, *lemmas}
    if lang == "ru" and re.search("[а-я]", folded):
        for parse in _morph().parse(folded):
            forms.update(_fold(f.word) for f in parse.lexeme)
    return Term(word=word, lemmas=frozenset(lemmas), stems=_stems(forms))


def parse_query(text: str) -> Query:
    """Words of the query; in double quotes they must come together as a phrase."""
    cleaned = " ".join(text.split())
    phrase = len(cleaned) > 1 and cleaned.startswith('"') and cleaned.endswith('"')
    words = _WORD.findall(cleaned)
    if not words:
        raise ValidationFailed(_("Type a word or a phrase to search for."))
    if len(words) > MAX_QUERY_WORDS:
        raise ValidationFailed(_("Search for at most %(n)d words at a time.", n=MAX_QUERY_WORDS))
    from scoring.nlp import detect_language

    lang = detect_language(cleaned)
    return Query(cleaned, lang, tuple(make_term(w, lang) for w in words), phrase)


def _like(stem: str) -> str:
    escaped = stem.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _term_clause(term: Term, column: Any = TranscriptSegment.text) -> Any:
    folded = func.replace(func.replace(column, "Ё", "Е"), "ё", "е")
    options = []
    for stem in term.stems:
        # SQLite's lower() folds ASCII only, so capitalised and upper-case Cyrillic are spelt out.
        options.append(func.lower(folded).like(_like(stem), escape="\\"))
        options.append(folded.like(_like(stem.capitalize()), escape="\\"))
        options.append(folded.like(_like(stem.upper()), escape="\\"))
    return or_(*options)


def match_spans(text: str, query: Query) -> list[tuple[int, int]]:
    """Character spans of the words in ``text`` that satisfy ``query`` (empty: no match)."""
    from scoring.nlp import shared_pipeline

    doc = shared_pipeline(query.lang)(text)
    tokens = [t for t in doc if not (t.is_punct or t.is_space)]
    lemmas = [word_lemmas(t.text, query.lang) | {_fold(t.lemma_)} for t in tokens]

    def fits(index: int, term: Term) -> bool:
        return bool(lemmas[index] & term.lemmas)

    spans: list[tuple[int, int]] = []
    if query.phrase:
        size = len(query.terms)
        for i in range(len(tokens) - size + 1):
            if all(fits(i + k, term) for k, term in enumerate(query.terms)):
                spans.extend((t.idx, t.idx + len(t.text)) for t in tokens[i : i + size])
        return spans
    for term in query.terms:
        found = [(t.idx, t.idx + len(t.text)) for i, t in enumerate(tokens) if fits(i, term)]
        if not found:
            return []
        spans.extend(found)
    return sorted(set(spans))


def _pieces(text: str, spans: list[tuple[int, int]]) -> tuple[HitPiece, ...]:
    pieces, cursor = [], 0
    for start, end in sorted(spans):
        if start < cursor:
            continue
        if start > cursor:
            pieces.append(HitPiece(text[cursor:start], False))
        pieces.append(HitPiece(text[start:end], True))
        cursor = end
    if cursor < len(text):
        pieces.append(HitPiece(text[cursor:], False))
    return tuple(pieces)


def search_transcripts(
    text: str,
    filters: CallFilters,
    page: int = 1,
    per_page: int = 25,
    said_by: str | None = None,
    viewer: Any = None,
) -> SearchResults:
    """Segments whose words match ``text`` in any form, newest calls first.

    Where the company redacts, a ``viewer`` who may not see originals searches the redacted
    text: a value that is hidden from them finds nothing.
    """
    clean_text(text, field=_("Words or a phrase"), max_length=200, required=True)
    query = parse_query(text)
    original = may_see_original(viewer)
    column: Any = TranscriptSegment.text
    if not original:
        column = func.coalesce(TranscriptSegment.redacted_text, TranscriptSegment.text)
    statement = (
        select(TranscriptSegment)
        .join(Call, TranscriptSegment.call_id == Call.id)
        .options(contains_eager(TranscriptSegment.call))
        .where(and_(*(_term_clause(term, column) for term in query.terms)))
    )
    if said_by in SAID_BY:
        statement = statement.where(TranscriptSegment.speaker == said_by)
    statement = apply_filters(statement, filters).order_by(
        func.coalesce(Call.called_at, Call.created_at).desc(),
        Call.id.desc(),
        TranscriptSegment.position,
    )
    candidates = list(db.session.scalars(statement.limit(MAX_CANDIDATES + 1)))
    truncated = len(candidates) > MAX_CANDIDATES
    hits = []
    for segment in candidates[:MAX_CANDIDATES]:
        shown = shown_text(segment, original)
        spans = match_spans(shown, query)
        if spans:
            hits.append(SearchHit(segment.call, segment, _pieces(shown, spans)))
    page = max(1, page)
    first = (page - 1) * per_page
    shown_hits = hits[first : first + per_page]
    if original and redaction_active():
        # Snippets of originals that hold personal data are views of those originals.
        for call_id in {h.call.id: h for h in shown_hits if has_hidden_data(h.segment)}:
            hit = next(h for h in shown_hits if h.call.id == call_id)
            view_original(hit.call, search=query.text[:200])
    return SearchResults(
        query=query,
        hits=shown_hits,
        total=len(hits),
        calls=len({hit.call.id for hit in hits}),
        page=page,
        per_page=per_page,
        truncated=truncated,
    )
