"""A number said across an acknowledgement: "четыре два семь шесть, три восемь ноль ноль..." /
"ага" / "пять пять один два, девять ноль четыре семь" is one card said in two lines, and each
line holds a piece of it (pii-rules: every piece in its own line is a span of the value's kind).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from privacy.numbers import word_value
from privacy.numeric import detect_numbers, spoken_numbers
from privacy.question import values_said
from privacy.tokens import tokenize
from privacy.types import NOTHING_BEFORE, LineBefore, Span

# A line that only acknowledges what was said and lets the speaker go on.
_ACKNOWLEDGEMENT = re.compile(
    r"[\s,.!?…-]*((ага|угу|ок|окей|да|так|хорошо|записываю|пишу|слушаю|дальше|продолжайте|"
    r"диктуйте|m+-?hm+|uh[- ]?huh|go on|go ahead|carry on|yes|yeah|yep|ok|okay|right|sure|"
    r"got it|keep going|haan|and)[\s,.!?…-]*){1,3}",
    re.IGNORECASE,
)
_TRAILING = re.compile(r"[\s,.…]*$")
_LEADING = re.compile(r"[\s,.…]*")
# What the two pieces are joined with: a pause, as the speaker made it.
_PAUSE = "... "
NUMBER_KINDS = frozenset({"PHONE", "CARD", "PASSPORT", "SNILS", "INN"})


def acknowledges(line: str) -> bool:
    return _ACKNOWLEDGEMENT.fullmatch(line) is not None


# An echo is the piece and a word or two; a longer line says something of its own.
_LONGEST_ECHO = 120
_LAST_WORD = re.compile(r"(\w+)\W*$")


def _number_word(word: str) -> bool:
    return word.isdigit() or word_value(word) is not None


def echoed_piece(said: str, line: str, lang: str) -> Span | None:
    """The number in ``line`` that repeats the last one of ``said`` before an acknowledgement
    ("... СНИЛС... двести тридцать семь, семьсот пятьдесят один" / "двести тридцать семь,
    семьсот пятьдесят один, дальше"): the listener writing the piece down and asking for
    the rest. Its kind is the whole number's; None when ``line`` is no such echo."""
    said_last = _LAST_WORD.search(said)
    if len(line) > _LONGEST_ECHO or said_last is None or not _number_word(said_last.group(1)):
        return None  # (most lines: read no numbers where no piece can have been echoed)
    numbers = spoken_numbers(line, lang)
    if len(numbers) != 1:
        return None
    start, end, digits = numbers[0]
    rest = line[:start] + " " + line[end:]
    said_numbers = spoken_numbers(said, lang)
    if (
        not said_numbers
        or said_numbers[-1][2] != digits
        or len(digits) < 2
        or _TRAILING.fullmatch(said, said_numbers[-1][1]) is None
        or (_ACKNOWLEDGEMENT.fullmatch(rest) is None and rest.strip(" ,.…!?-"))
    ):
        return None
    return Span(start, end, "")


@dataclass(frozen=True)
class Across:
    """A number said across an acknowledgement: its piece in the line before it and in the
    line after it, and the whole value's digits to its kind (what the next line may read
    back)."""

    in_first: list[Span]
    in_second: list[Span]
    values: dict[str, str]


def pieces_across(
    first: str, second: str, lang: str, before: LineBefore = NOTHING_BEFORE
) -> Across:
    """The pieces of ``first`` and of ``second`` (the lines before and after an
    acknowledgement) that make one number; ``before``: what the line before ``first`` asked
    for and said."""
    head = first[: _TRAILING.search(first).start()]  # type: ignore[union-attr]
    tail_start = _LEADING.match(second).end()  # type: ignore[union-attr]
    joined = head + _PAUSE + second[tail_start:]
    second_at = len(head) + len(_PAUSE)
    crossing = [
        span
        for span in detect_numbers(joined, tokenize(joined), lang, before)
        if span.start < len(head) and span.end > second_at
    ]
    return Across(
        in_first=[Span(span.start, len(head), span.type) for span in crossing],
        in_second=[
            Span(tail_start, span.end - second_at + tail_start, span.type) for span in crossing
        ],
        values=values_said(joined, lang, crossing),
    )


def without_overlaps(spans: list[Span], pieces: list[Span]) -> list[Span]:
    """``spans`` less the number spans that a piece of a number said across lines covers."""
    return [
        span
        for span in spans
        if not (
            span.type in NUMBER_KINDS
            and any(span.start < piece.end and piece.start < span.end for piece in pieces)
        )
    ] + pieces
