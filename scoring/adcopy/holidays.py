"""The day a named holiday falls on in a given year (Russian and US/UK ones that ads name)."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable

from spacy.tokens import Span


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    """The n-th ``weekday`` (0 = Monday) of the month; n = -1 is the last one."""
    if n > 0:
        first = datetime.date(year, month, 1)
        return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)


def western_easter(year: int) -> datetime.date:
    """Easter Sunday of the Gregorian calendar (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return datetime.date(year, month, day + 1)


def orthodox_easter(year: int) -> datetime.date:
    """Orthodox Easter Sunday as a Gregorian date (Julian computus, years 1900-2099)."""
    a, b, c = year % 4, year % 7, year % 19
    d = (19 * c + 15) % 30
    e = (2 * a + 4 * b - d + 34) % 7
    month, day = divmod(d + e + 114, 31)
    return datetime.date(year, month, day + 1) + datetime.timedelta(days=13)


def _thanksgiving(year: int) -> datetime.date:
    return _nth_weekday(year, 11, 3, 4)


def _fixed(month: int, day: int) -> Callable[[int], datetime.date]:
    return lambda year: datetime.date(year, month, day)


# Key words of a holiday name (lower case, lemmas for Russian) -> its day in a year.
HOLIDAYS: dict[str, Callable[[int], datetime.date]] = {
    "black friday": lambda y: _thanksgiving(y) + datetime.timedelta(days=1),
    "cyber monday": lambda y: _thanksgiving(y) + datetime.timedelta(days=4),
    "thanksgiving": _thanksgiving,
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "labour day": lambda y: _nth_weekday(y, 9, 0, 1),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "presidents day": lambda y: _nth_weekday(y, 2, 0, 3),
    "mlk day": lambda y: _nth_weekday(y, 1, 0, 3),
    "columbus day": lambda y: _nth_weekday(y, 10, 0, 2),
    "mothers day": lambda y: _nth_weekday(y, 5, 6, 2),
    "fathers day": lambda y: _nth_weekday(y, 6, 6, 3),
    "independence day": _fixed(7, 4),
    "4th of july": _fixed(7, 4),
    "fourth of july": _fixed(7, 4),
    "veterans day": _fixed(11, 11),
    "boxing day": _fixed(12, 26),
    "valentines day": _fixed(2, 14),
    "patricks day": _fixed(3, 17),
    "halloween": _fixed(10, 31),
    "christmas eve": _fixed(12, 24),
    "christmas": _fixed(12, 25),
    "xmas": _fixed(12, 25),
    "new years eve": _fixed(12, 31),
    "new years day": _fixed(1, 1),
    "new year": _fixed(1, 1),
    "easter": western_easter,
    # Russian
    "черный пятница": lambda y: _thanksgiving(y) + datetime.timedelta(days=1),
    "киберпонедельник": lambda y: _thanksgiving(y) + datetime.timedelta(days=4),
    "новый год": _fixed(1, 1),
    "новогодний праздник": _fixed(1, 8),
    "новогодний каникулы": _fixed(1, 8),
    "майский праздник": _fixed(5, 11),
    "рождество": _fixed(1, 7),
    "пасха": orthodox_easter,
    "масленица": lambda y: orthodox_easter(y) - datetime.timedelta(days=49),
    "масленичный неделя": lambda y: orthodox_easter(y) - datetime.timedelta(days=49),
    "хэллоуин": _fixed(10, 31),
    "день святой валентин": _fixed(2, 14),
    "день знание": _fixed(9, 1),
    "день победа": _fixed(5, 9),
    "день учитель": _fixed(10, 5),
    "день мать": lambda y: _nth_weekday(y, 11, 6, -1),
}
_DROP = str.maketrans("", "", "'’.")


def holiday_key(span: Span) -> str | None:
    """The key of ``HOLIDAYS`` that a holiday expression names, or None."""
    words = [token.lemma_ if span.doc.lang_ == "ru" else token.lower_ for token in span]
    text = " ".join(word.translate(_DROP).replace("ё", "е") for word in words if word.strip("'’"))
    text = text.replace(" s ", " ").replace("st ", "").replace("saint ", "").strip()
    text = text.replace("president ", "presidents ").replace("mother ", "mothers ")
    text = text.replace("father ", "fathers ").replace("valentine ", "valentines ")
    text = text.replace("patrick ", "patricks ").replace("veteran ", "veterans ")
    text = text.replace("parents ", "").replace("years", "year")
    if text in HOLIDAYS:
        return text
    for key in sorted(HOLIDAYS, key=len, reverse=True):
        if key.replace("years", "year") in text:
            return key
    return None


def weekend_end(day: datetime.date) -> datetime.date:
    """The last day of the long weekend around a holiday: Monday ones end on the holiday."""
    if day.weekday() == 0:
        return day
    return day + datetime.timedelta(days=(6 - day.weekday()) % 7)
