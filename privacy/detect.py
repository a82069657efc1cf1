"""All detectors over one transcript text, merged."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace
from itertools import accumulate

from privacy.across import (
    Dictation,
    acknowledges,
    alone,
    echoed_piece,
    pieces_said,
    without_overlaps,
)
from privacy.address import detect_addresses
from privacy.dates import detect_birthdates
from privacy.email import detect_emails
from privacy.merge import merge
from privacy.model import model_spans_many
from privacy.names import detect_names
from privacy.numeric import detect_numbers
from privacy.question import invites, line_before
from privacy.tokens import tokenize, written_with_capitals
from privacy.types import NOTHING_BEFORE, LineBefore, Span

LANGUAGES = ("ru", "en")


def guess_language(text: str) -> str:
    cyrillic = sum(1 for ch in text if "а" <= ch.lower() <= "я" or ch in "ёЁ")
    latin = sum(1 for ch in text if "a" <= ch.lower() <= "z")
    return "ru" if cyrillic >= latin else "en"


def detect(
    text: str, lang: str | None = None, model: bool = True, *, previous: str = ""
) -> list[Span]:
    """Personal-data spans of ``text`` (``lang`` "ru" or "en"; guessed when None); ``model``
    False leaves out the trained classifier and keeps the rules alone. ``previous`` is the
    line said before it in the same call, whose closing question says what a bare answer is."""
    return detect_many([text], lang, model, previous=[previous])[0]


def detect_many(
    texts: Sequence[str],
    lang: str | None | Sequence[str | None] = None,
    model: bool = True,
    *,
    previous: Sequence[str] | None = None,
) -> list[list[Span]]:
    """``detect`` of each text (``lang`` one language for all, or one per text; ``previous``
    the line said before each, or None for texts read on their own); the model reads them
    together, which is faster for the lines of one transcript."""
    per_text = [lang] * len(texts) if lang is None or isinstance(lang, str) else list(lang)
    before = [""] * len(texts) if previous is None else list(previous)
    if len(per_text) != len(texts) or len(before) != len(texts):
        raise ValueError("one language and one previous line per text")
    langs = [_checked_language(text, each) for text, each in zip(texts, per_text, strict=True)]
    found: list[list[Span]] = []
    read_after: list[LineBefore] = []  # what each text was read after
    carried: dict[str, str] = {}  # a value said across an acknowledgement, for the next line
    dictations: list[Dictation] = []  # the number each line may be dictating, from which line
    for i, (text, text_lang) in enumerate(zip(texts, langs, strict=True)):
        # The line before is usually the previous text, whose values are known by now.
        known = merge(found[i - 1]) if i and before[i] == texts[i - 1] else None
        line = line_before(before[i], text_lang, known)
        if (
            known is not None
            and not (line.asked or line.said)
            and (invites(before[i]) or acknowledges(before[i]))
        ):
            # "SNILS? It's like a pension number" - "go on then" - "one four eight, ...", "her
            # snils, one moment" - "take your time" - "two oh one, ...": the question of the
            # line before the invitation is the one answered.
            line = replace(line, asked=read_after[i - 1].asked)
        if carried and known is not None:
            line = replace(line, said={**line.said, **carried})
        read_after.append(line)
        found.append(detect_by_rules(text, text_lang, line))
        carried = _dictation_going_on(i, texts, langs, before, read_after, found, dictations)
    if model:
        for text_lang in set(langs):
            indexes = [i for i, each in enumerate(langs) if each == text_lang]
            extra = model_spans_many([texts[i] for i in indexes], text_lang)
            for i, spans in zip(indexes, extra, strict=True):
                found[i] += _gaps_only(spans, found[i])
    return [merge(spans) for spans in found]


def _checked_language(text: str, lang: str | None) -> str:
    if lang is None:
        return guess_language(text)
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be 'ru' or 'en', got {lang!r}")
    return lang


def detect_lines(
    lines: Sequence[str], lang: str | None | Sequence[str | None] = None, model: bool = True
) -> list[list[Span]]:
    """``detect_many`` of the lines of one conversation, in order: each read after the one
    before it."""
    return detect_many(lines, lang, model, previous=["", *lines[:-1]])


def detect_by_rules(text: str, lang: str, before: LineBefore = NOTHING_BEFORE) -> list[Span]:
    """The rules' spans, before merging: spoken numbers, checksums, cues, lexicons. ``before``:
    what the line before asked for and said, which a bare value is read after."""
    tokens = tokenize(text)
    spans = detect_emails(text, lang)
    spans += detect_numbers(text, tokens, lang, before)
    spans += detect_birthdates(text, tokens, lang, "BIRTHDATE" in before.asked)
    # Whether the transcript capitalises words, which names and English addresses read.
    cased = written_with_capitals(tokens)
    spans += detect_addresses(text, tokens, lang, cased, before.streets)
    spans += detect_names(text, tokens, lang, cased)
    return spans


def _dictation_going_on(
    i: int,
    texts: Sequence[str],
    langs: list[str],
    before: list[str],
    read_after: list[LineBefore],
    found: list[list[Span]],
    dictations: list[Dictation],
) -> dict[str, str]:
    """A number begun before an "ага" / "go on" (or the listener's echo of the piece) and
    going on in line ``i``, over as many lines as it takes: each line gets its piece, as the
    kind the whole number has (read after what the line before its first piece was). Appends
    line ``i``'s dictation; returns the whole value's digits to its kind, which the line after
    may read back."""
    dictations.append(alone(i, texts[i]))
    if i < 2:
        return {}
    follows = before[i] == texts[i - 1] and before[i - 1] == texts[i - 2]
    if not (follows and langs[i] == langs[i - 1] == langs[i - 2]):
        return {}
    echo = None
    if not acknowledges(texts[i - 1]):
        echo = echoed_piece(texts[i - 2], texts[i - 1], langs[i])
        if echo is None:
            return {}
    said_so_far = dictations[i - 2]
    if not said_so_far.can_go_on():
        said_so_far = alone(i - 2, texts[i - 2])
    dictation = said_so_far.then(i, texts[i], None if echo is None else (i - 1, echo))
    dictations[i] = dictation
    pieces = pieces_said(dictation, langs[i], read_after[dictation.first])
    for index, spans in pieces.in_line.items():
        found[index] = without_overlaps(found[index], spans)
    return pieces.values


def _gaps_only(found: list[Span], by_rules: list[Span]) -> list[Span]:
    """The model's spans that touch nothing a rule found: there the rule stands."""
    ordered = sorted(by_rules)
    starts = [span.start for span in ordered]
    furthest_end = list(accumulate((span.end for span in ordered), max))
    out = []
    for span in found:
        before = bisect_left(starts, span.end)  # rule spans that start before this one ends
        if before == 0 or furthest_end[before - 1] <= span.start:
            out.append(span)
    return out
