"""Numbers said as one value: PHONE, CARD, PASSPORT, SNILS and INN.

A number's kind comes from the nearest cue before it ("номер карты", "СНИЛС", "my number is")
and, without one, from its length and checksum. A card keeps its span when a digit was
misheard and the Luhn check fails; order, contract and tracking numbers, prices and the last
four digits of a card are no personal data.
"""

from __future__ import annotations

import re

import phonenumbers
from stdnum import luhn
from stdnum.ru import inn as ru_inn

from privacy.cues import cue_after, followed_by_unit, nearest_cue
from privacy.lexicons import lexicon
from privacy.numbers import NumberRun, number_runs
from privacy.tokens import Token
from privacy.types import Span

_JOINERS = {"номер", "number", "№", "no"}
_EN_PASSPORT = re.compile(r"\b[A-Z]{1,2}\s?\d{6,9}\b")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
_EN_PASSPORT_ALONE = re.compile(r"\b[A-Z]\d{8}\b")
_TOLL_FREE = ("8800", "7800", "1800", "1888", "1877", "1866", "1855")
_PLUS = re.compile(r"(\+|\bплюс\s+|\bplus\s+)$", re.IGNORECASE)


def snils_valid(digits: str) -> bool:
    if len(digits) != 11 or not digits.isdigit():
        return False
    total = sum(int(d) * (9 - i) for i, d in enumerate(digits[:9]))
    check = total % 101 if total > 101 else total
    return (0 if check in (100, 101) else check) == int(digits[9:])


_LETTERS = re.compile(r"(?<![\w'’])([A-Za-z]{1,2})\s?$")
_SHORT_WORDS = lexicon("en_short_words")


def _letters_before(text: str, start: int) -> int:
    """Length of a passport's letter prefix said just before ``start`` ("P 4567...")."""
    match = _LETTERS.search(text[max(0, start - 4) : start])
    if not match:
        return 0
    letters = match.group(1)
    if letters.islower() and letters in _SHORT_WORDS:
        return 0
    return len(match.group())


def _phone_like(digits: str, lang: str) -> bool:
    n = len(digits)
    if lang == "ru" and ((n == 11 and digits[0] in "78") or (n == 10 and digits[0] == "9")):
        return True
    if n == 10 and digits[0] in "23456789" and lang == "en":
        return True
    if n == 11 and digits[0] == "1" and lang == "en":
        return True
    if lang == "en" and ((n == 11 and digits[0] == "0") or (n == 12 and digits.startswith("44"))):
        return True
    for region in ("RU", "US", "GB"):
        try:
            number = phonenumbers.parse("+" + digits if n > 10 else digits, region)
        except phonenumbers.NumberParseException:
            continue
        if n >= 10 and phonenumbers.is_valid_number(number):
            return True
    return False


def _classify(run: NumberRun, cue: str | None, lang: str) -> str | None:
    digits = run.digits
    n = len(digits)
    if (
        cue == "NONE"
        or digits.startswith(_TOLL_FREE)
        or (lang == "en" and n == 10 and digits[:3] in ("800", "888", "877", "866", "855"))
    ):
        return None
    if run.joined and n == 10 and cue in (None, "PASSPORT", "PHONE"):
        return "PASSPORT"
    if cue == "SNILS" and n == 11:
        return "SNILS"
    if cue == "INN" and n in (10, 12):
        return "INN"
    if cue == "PASSPORT" and (n == 10 or (lang == "en" and 6 <= n <= 10)):
        return "PASSPORT"
    if lang == "en" and n == 8 and _letters_before(run.before, len(run.before)):
        return "PASSPORT"
    if cue == "CARD" and 13 <= n <= 19:
        return "CARD"
    if n == 16 or (n == 15 and digits[:2] in ("34", "37")):
        return "CARD"
    if 13 <= n <= 19 and luhn.is_valid(digits):
        return "CARD"
    if n == 11 and snils_valid(digits) and not (cue == "PHONE" and digits[0] in "78"):
        return "SNILS"
    if _phone_like(digits, lang):
        return "PHONE"
    if cue is None and n in (10, 12) and ru_inn.is_valid(digits):
        return "INN"
    if cue == "PHONE" and lang == "en" and n == 7:
        return "PHONE"
    if cue is None and lang == "en" and n == 9:
        return "PASSPORT"
    if cue is None and lang == "ru" and n == 11:
        return "SNILS"
    return None


def _join_passports(text: str, runs: list[NumberRun]) -> list[NumberRun]:
    """ "серия 4510 номер 123456" is one value: join a series, "номер" and a number."""
    joined: list[NumberRun] = []
    for run in runs:
        if joined and len(joined[-1].digits) == 4 and len(run.digits) == 6:
            between = text[joined[-1].end : run.start].strip(" ,").lower()
            if between in _JOINERS or between == "":
                previous = joined[-1]
                merged = NumberRun(
                    tokens=previous.tokens + run.tokens,
                    digits=previous.digits + run.digits,
                    sources=previous.sources + run.sources,
                    joined=between != "",
                )
                joined[-1] = merged
                continue
        joined.append(run)
    return joined


def detect_numbers(text: str, tokens: list[Token], lang: str) -> list[Span]:
    spans: list[Span] = []
    for run in _join_passports(text, number_runs(text, tokens)):
        run.before = text[max(0, run.start - 6) : run.start]
        if _DATE.fullmatch(text[run.start : run.end]):
            continue
        if run.ordinal or followed_by_unit(text, run.end):
            continue
        start, end = run.offsets(0, len(run.digits))
        cue = nearest_cue(text, run.start) or cue_after(text, end)
        kind = _classify(run, cue, lang)
        if kind is None:
            continue
        if kind == "PHONE" and start > 0 and text[start - 1] == "(":
            start -= 1
        plus = _PLUS.search(text, max(0, start - 6), start)
        if kind == "PHONE" and plus:
            start = plus.start()
        letters = _letters_before(text, start)
        if kind == "PASSPORT" and lang == "en" and letters:
            start -= letters
        spans.append(Span(start, end, kind))
    if lang == "en":
        for match in _EN_PASSPORT.finditer(text):
            if nearest_cue(text, match.start(), 40) == "PASSPORT":
                spans.append(Span(match.start(), match.end(), "PASSPORT"))
        for match in _EN_PASSPORT_ALONE.finditer(text):
            spans.append(Span(match.start(), match.end(), "PASSPORT"))
    return spans
