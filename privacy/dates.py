"""Dates of birth in digits or words: "15.03.1985", "пятнадцатого марта тысяча девятьсот
восемьдесят пятого года", "the fifteenth of March nineteen eighty-five".

A date is a birth date when a cue says so ("дата рождения", "родился", "born", "DOB") or when
its year is a plausible birth year and no cue names another kind of date (delivery,
appointment, invoice). "года" or "г." after the year is inside; "рождения", "born" and a
leading English "the" are outside.
"""

from __future__ import annotations

import re

from privacy.numbers import build_run, is_number_token, word_value
from privacy.tokens import Token
from privacy.types import Span

_MONTH = re.compile(
    r"(январ|феврал|март|апрел|ма[йяюе]$|июн|июл|август|сентябр|октябр|ноябр|декабр|"
    r"january|february|march|april|may$|june|july|august|september|october|november|"
    r"december|jan$|feb$|mar$|apr$|jun$|jul$|aug$|sept?$|oct$|nov$|dec$)"
)
_DIGITS = re.compile(
    r"\b(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})(?:\s*(?:года|г\.|г\b))?"
)
_BIRTH = re.compile(
    r"рожд|родил|д\.?\s?р\.?\b|\bborn\b|\bdob\b|d\.o\.b|birth|birthday|др\b", re.IGNORECASE
)
_OTHER = re.compile(
    r"доставк|достав|deliver|appointment|запис|встреч|invoice|сч[её]т|заказ|order|visit|"
    r"приед|привез|выдан|выдач|issued|expir|срок|действ|оплат|payment|due|ship|договор|contract|"
    r"\bс\s*$|\bпо\s*$|until|till|from\s*$",
    re.IGNORECASE,
)
_SUFFIX = {"th", "st", "nd", "rd"}
_YEAR_WORD = re.compile(r"\s*(года|г\.|г\b)", re.IGNORECASE)


def _birth_context(text: str, start: int, end: int) -> bool | None:
    """True on a birth cue, False on another date's cue, None without either."""
    before = text[max(0, start - 50) : start]
    after = text[end : end + 25]
    birth = [m.end() for m in _BIRTH.finditer(before)]
    other = [m.end() for m in _OTHER.finditer(before)]
    if _BIRTH.search(after) and not re.match(r"\s*(и|and)\b", after):
        return True
    if birth and (not other or max(birth) >= max(other)):
        return True
    if other:
        return False
    return None


def _plausible_year(year: int) -> bool:
    return 1920 <= year <= 2012


def _day(tokens: list[Token], text: str) -> tuple[int, int] | None:
    """The token indexes [i, j) of a day said at the start of ``tokens``."""
    if not tokens:
        return None
    first = tokens[0]
    if first.is_digits:
        if len(first.text) <= 2 and 1 <= int(first.text) <= 31:
            j = 2 if len(tokens) > 1 and tokens[1].lower in _SUFFIX else 1
            return 0, j
        return None
    found = word_value(first.text)
    if found is None:
        return None
    if found[1] and found[0] <= 31:
        return 0, 1
    if found[0] in (20, 30) and len(tokens) > 1:
        second = word_value(tokens[1].text)
        if (
            second
            and second[1]
            and second[0] < 10
            and text[first.end : tokens[1].start].strip(" -") == ""
        ):
            return 0, 2
    return None


def _day_before(tokens: list[Token], text: str) -> int | None:
    """Index where a day said just before the month starts (``tokens`` end at the month)."""
    for length in (2, 1):
        if len(tokens) >= length:
            found = _day(tokens[-length:], text)
            if found and found[1] == length:
                return len(tokens) - length
    return None


def _year_after(text: str, tokens: list[Token], k: int) -> int | None:
    """End offset of a year said from token ``k`` on."""
    group: list[Token] = []
    j = k
    while j < len(tokens) and tokens[j].text in ",":
        j += 1
    while (
        j < len(tokens)
        and len(group) < 6
        and (is_number_token(tokens[j]) or (group and tokens[j].text in "-,"))
    ):
        if tokens[j].text not in "-,":
            group.append(tokens[j])
        j += 1
    while group:
        run = build_run(text, group)
        if (
            len(run.digits) == 4
            and _plausible_year(int(run.digits))
            or (len(run.digits) == 2 and _YEAR_WORD.match(text, group[-1].end))
        ):
            end = group[-1].end
            suffix = _YEAR_WORD.match(text, end)
            return suffix.end() if suffix else end
        group.pop()
    return None


def detect_birthdates(text: str, tokens: list[Token]) -> list[Span]:
    spans = []
    for match in _DIGITS.finditer(text):
        year = re.findall(r"\d{4}", match.group())
        plausible = bool(year) and _plausible_year(int(year[0]))
        context = _birth_context(text, match.start(), match.end())
        if context or (context is None and plausible):
            spans.append(Span(match.start(), match.end(), "BIRTHDATE"))
    for k, token in enumerate(tokens):
        if not token.is_word or not _MONTH.match(token.lower):
            continue
        start: int | None = None
        year_from = k + 1
        before = [t for t in tokens[max(0, k - 4) : k] if t.text not in "-,"]
        if before and before[-1].lower in ("of",):
            before = before[:-1]
        index = _day_before(before, text)
        if index is not None:
            start = before[index].start
        else:
            found = _day(tokens[k + 1 : k + 4], text)
            if found:
                year_from = k + 1 + found[1]
                while year_from < len(tokens) and tokens[year_from].text in (",", "of"):
                    year_from += 1
                start = token.start
        if start is None:
            continue
        end = _year_after(text, tokens, year_from)
        if end is None:
            continue
        context = _birth_context(text, start, end)
        if context is False:
            continue
        if context is None and not re.search(r"\d{4}|\w", text[start:end]):
            continue
        spans.append(Span(start, end, "BIRTHDATE"))
    return spans
