"""Find and resolve expressions of time in an ad: which dates they name, and when they end."""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable
from typing import Any

import dateparser
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from scoring.adcopy.holidays import HOLIDAYS, holiday_key, weekend_end
from scoring.adcopy.rules import Lexicon

# A campaign's period (first day, last day); either end may be unknown.
Period = tuple[datetime.date | None, datetime.date | None]

_DASHES = "–—-"
_YEAR_WORDS = frozenset({"г", "г.", "года", "год", "году"})
_RELATIVE = {"tonight": 0, "today": 0, "сегодня": 0, "tomorrow": 1, "завтра": 1, "послезавтра": 2}
# Ranges and dates whose value dateparser cannot give (holidays) still count as dates.
_UNRESOLVED_OK = ("date.holiday",)
# Words that join the two ends of a range ("с 20 по 31 декабря", "Dec 1 to Dec 5").
_RANGE_JOINERS = frozenset(
    {"по", "до", "и", ",", "to", "through", "thru", "until", "till", "and", "&", "–", "—", "-"}
)
# A day of the month with no month ("by the 30th", "до 25 числа"). The English ordinal is a date
# only when no noun follows it ("the 4th free", "the 10th anniversary" are not dates).
_ORDINAL_RULE = "date.ordinal_day"
_AFTER_ORDINAL = frozenset(
    {
        "at",
        "to",
        "and",
        "or",
        "only",
        "of",
        "through",
        "thru",
        "until",
        "till",
        "by",
        "for",
        "midnight",
        "noon",
        "this",
        "next",
        "is",
        "will",
        "when",
        "with",
        "so",
        "in",
        "on",
    }
)
# pymorphy3 gives "воскресение" as the lemma of "воскресенье"; dateparser knows only the latter.
_DATEPARSER_SPELLING = {"воскресение": "воскресенье"}


def _settings(today: datetime.date) -> dict[str, Any]:
    base = datetime.datetime.combine(today, datetime.time())
    return {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": base}


def _numeric_formats(lang: str) -> list[str]:
    day_first = ["%d.%m.%Y", "%d.%m.%y", "%d.%m", "%d/%m/%Y", "%d/%m"]
    month_first = ["%m/%d/%Y", "%m/%d/%y", "%m/%d", "%d.%m.%Y", "%d.%m"]
    return day_first if lang == "ru" else month_first


def _has_year(span: Span) -> bool:
    for token in span:
        shape = token.shape_
        if shape == "dddd" or shape.endswith(".dddd") or shape.endswith("/dddd"):
            return True
        if shape.count(".") == 2 or shape.count("/") == 2:
            return True
    return False


def _end_part(text: str) -> str:
    """Return the end of a day range written as one token ("24–27" gives "27")."""
    for dash in _DASHES:
        head, sep, tail = text.partition(dash)
        if sep and head[:1].isdigit() and tail[:1].isdigit():
            return tail
    return text


def _range_end(span: Span) -> Span:
    """Return the part of a range after its last joiner ("31 декабря" of "с 20 по 31 декабря")."""
    for index in range(len(span) - 2, 0, -1):
        # A comma before a year ("December 20–31, 2026") does not join two days.
        if span[index].lower_ in _RANGE_JOINERS and span[index + 1].shape_ != "dddd":
            return span[index + 1 :]
    return span


def _parse_text(
    span: Span, lang: str, weekdays: frozenset[str], months: frozenset[str] = frozenset()
) -> str:
    words: list[str] = []
    tens = 0
    spoken = any(token._.adcopy_day for token in span)
    for token in span:
        lower = token.lower_
        if spoken and (token._.adcopy_tens or lower in {"the", "of"}):
            # "двадцать пятого декабря", "the twenty-first of May": the figure is added below.
            tens = token._.adcopy_tens
            continue
        if spoken and token._.adcopy_day:
            words.append(
                str(tens + token._.adcopy_day if token._.adcopy_day < 10 else token._.adcopy_day)
            )
            tens = 0
            continue
        if lower in _YEAR_WORDS or token.is_punct and lower not in {",", "."}:
            continue
        if token.lemma_ in weekdays or lang == "ru" and token.lemma_ in months:
            # dateparser reads Russian weekdays and bare months in the nominative only
            # ("пятницы", "в ноябре" fail).
            words.append(_DATEPARSER_SPELLING.get(token.lemma_, token.lemma_))
        elif token.shape_[:1] == "d" and ("-" in lower or lower.endswith(("st", "nd", "rd", "th"))):
            words.append(_end_part(lower).split("-")[0].rstrip("stndrh") or lower)
        else:
            words.append(_end_part(token.text))
    return " ".join(words).replace(" ,", ",")


def _next_day_of_month(day: int, today: datetime.date) -> datetime.date | None:
    """Return the next date on or after ``today`` whose day of the month is ``day``."""
    year, month = today.year, today.month
    for _ in range(3):
        if day <= calendar.monthrange(year, month)[1]:
            candidate = datetime.date(year, month, day)
            if candidate >= today:
                return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def months_before(day: datetime.date, months: int) -> datetime.date:
    """Return the same day ``months`` months earlier (the month's last day where it is shorter)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _occurrences(month: int, day: int | None, years: Iterable[int]) -> list[datetime.date]:
    """The dates with this month and day in ``years``; ``day`` None is the month's last day."""
    found = []
    for year in years:
        last = calendar.monthrange(year, month)[1]
        if day is None or day <= last:
            found.append(datetime.date(year, month, last if day is None else day))
    return found


def nearest(
    candidates: list[datetime.date], today: datetime.date, period: Period | None = None
) -> datetime.date | None:
    """Pick the day meant among yearly ``candidates`` (labelling rules, B2 "Expired").

    It is the nearest one: the one that fell within the six months before ``today`` (that day
    included) is in the past; otherwise it is the next one on or after ``today``. An ad tied to
    a campaign with a period reads the one inside that period, or the one nearest to it.
    """
    known = [end for end in period or () if end is not None]
    if known:
        first, last = min(known), max(known)

        def distance(value: datetime.date) -> tuple[int, int]:
            gap = (first - value).days if value < first else max(0, (value - last).days)
            return gap, abs((value - today).days)

        return min(candidates, key=distance, default=None)
    candidates = sorted(candidates)
    past = [value for value in candidates if value < today]
    if past and past[-1] >= months_before(today, 6):
        return past[-1]
    return next((value for value in candidates if value >= today), None)


def _years(today: datetime.date, period: Period | None) -> range:
    known = [end for end in period or () if end is not None] + [today]
    return range(min(known).year - 4, max(known).year + 5)


def nearest_occurrence(
    month: int, day: int | None, today: datetime.date, period: Period | None = None
) -> datetime.date | None:
    """Return the day a date written without a year names: the ``nearest`` such date.

    ``day`` None names the last day of the month; 29 February looks as far as the leap years
    around.
    """
    return nearest(_occurrences(month, day, _years(today, period)), today, period)


def resolve_holiday(
    span: Span, today: datetime.date, period: Period | None = None
) -> datetime.date | None:
    """Return the day a named holiday falls on: the ``nearest`` one, or None if not known."""
    key = holiday_key(span)
    if key is None:
        return None
    return nearest([HOLIDAYS[key](year) for year in _years(today, period)], today, period)


_MONTH_STEMS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
# Figures shaped like a date that are not one: "open 24/7".
_NOT_DATES = frozenset({"24/7", "24/7/365"})
_MAY_RU = frozenset({"май", "мая", "мае", "маю", "маем"})
_NUMERIC = re.compile(r"^(\d{1,2})([./])(\d{1,2})(?:[./](\d{4}|\d{2}))?$")


def _month_number(word: str) -> int:
    word = word.lower().rstrip(".")
    if word in _MAY_RU:
        return 5
    for size in (7, 6, 5, 4, 3):
        if len(word) >= size and word[:size] in _MONTH_STEMS:
            # English names are matched on their first three letters only when that is all of
            # the word or the word is the month ("mar" but not "market").
            stem = word[:size]
            if stem.isascii() and word not in _EN_MONTH_WORDS:
                return 0
            return _MONTH_STEMS[stem]
    return 0


_EN_MONTH_WORDS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)


def _fast_parse(text: str, lang: str, numeric: bool, today: datetime.date) -> datetime.date | None:
    """Read the usual forms ("30 ноября", "Nov 30, 2026", "30.11", "11/30") without dateparser.

    Returns None for anything else (weekdays, words dateparser knows), which is then parsed by
    dateparser as before.
    """
    if numeric:
        match = _NUMERIC.match(text.strip())
        if match is None:
            return None
        first, sep, second, year_text = match.groups()
        day, month = int(first), int(second)
        if lang != "ru" and sep == "/" and day <= 12:
            # Month first in English unless that makes no date (British "24/12/2026").
            day, month = month, day
        year = today.year
        if year_text:
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    else:
        day = month = 0
        year = today.year
        for word in text.replace(",", " ").split():
            if word.isdigit() and len(word) == 4:
                year = int(word)
            elif word.isdigit() and not day:
                day = int(word)
            elif not month and (number := _month_number(word)):
                month = number
            elif word.lower() not in {"the", "of"}:
                return None
        if not month:
            return None
        day = day or 1
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def resolve(
    span: Span,
    lang: str,
    today: datetime.date,
    lexicon: Lexicon,
    period: Period | None = None,
) -> datetime.date | None:
    """Return the (last) day a date expression names, or None when it names no day."""
    rule_id = span.id_ or ""
    first = span[0].lower_
    if rule_id == "date.relative" or first in _RELATIVE:
        return today + datetime.timedelta(days=_RELATIVE.get(first, 0))
    if rule_id.startswith(_UNRESOLVED_OK):
        return resolve_holiday(span, today, period)
    if rule_id == _ORDINAL_RULE:
        # "the 30th", "25 числа": the day of the month, this month or the next.
        day = next(int(m.group()) for t in span if (m := re.match(r"\d+", t.text)))
        return _next_day_of_month(day, today)
    weekdays = frozenset(lexicon.lists.get(f"weekdays_{lang}", ()))
    months = frozenset(lexicon.lists.get(f"months_{lang}", ()))
    settings = _settings(today)
    if span.label_ == "DRANGE":
        span = _range_end(span)
    text = _parse_text(span, lang, weekdays, months if len(span) == 1 else frozenset())
    numeric = len(span) == 1 and span[0].shape_[:1] == "d" and any(c in span.text for c in "./")
    if numeric and text.strip() in _NOT_DATES:
        return None
    fast = _fast_parse(text, lang, numeric, today)
    if fast is not None:
        parsed: datetime.datetime | None = datetime.datetime.combine(fast, datetime.time())
    elif numeric and _NUMERIC.match(text.strip()):
        # Figures that make no date either way are none.
        return None
    elif numeric:
        parsed = dateparser.parse(
            text, date_formats=_numeric_formats(lang), languages=["ru", "en"], settings=settings
        )
    else:
        parsed = dateparser.parse(text, languages=["ru", "en"], settings=settings)
    if parsed is None:
        return None
    value: datetime.date = parsed.date()
    only_month = all(
        t.lemma_ in months or t.lower_ in _YEAR_WORDS or t.shape_ == "dddd" for t in span
    )
    if only_month:
        value = value.replace(day=calendar.monthrange(value.year, value.month)[1])
    if span[0].lemma_ in weekdays or span[-1].lemma_ in weekdays:
        return value
    if _has_year(span):
        return value
    return (
        nearest_occurrence(value.month, None if only_month else value.day, today, period) or value
    )


def _ordinal_stands_alone(doc: Doc, end: int) -> bool:
    if end >= len(doc):
        return True
    following = doc[end]
    return not following.is_alpha or following.lower_ in _AFTER_ORDINAL


def mark_dates(
    doc: Doc, lexicon: Lexicon, today: datetime.date, period: Period | None = None
) -> dict[tuple[int, int], datetime.date | None]:
    """Set ``doc.ents`` to the time expressions found; return each one's resolved day."""
    candidates: list[Span] = []
    for match_id, start, end in lexicon.dates(doc):
        rule_id = doc.vocab.strings[match_id]
        span = Span(doc, start, end, label=lexicon.labels[rule_id], span_id=rule_id)
        candidates.append(span)
    kept: list[Span] = []
    values: dict[tuple[int, int], datetime.date | None] = {}
    for span in filter_spans(candidates):
        ends_on_number = span[-1].shape_[:1] == "d"
        if (
            span.id_ == _ORDINAL_RULE
            and ends_on_number
            and not _ordinal_stands_alone(doc, span.end)
        ):
            continue
        value: datetime.date | None = None
        if span.label_ in {"DATE", "DRANGE"}:
            value = resolve(span, doc.lang_, today, lexicon, period)
            if value is None and not span.id_.startswith(_UNRESOLVED_OK):
                continue
        elif span.label_ == "TIME":
            value = today
        if kept and kept[-1].end == span.start and span.id_ == "date.relative":
            # "Black Friday weekend", "July 4th weekend": the weekend of that day.
            held = values.get((kept[-1].start, kept[-1].end))
            if held is not None and kept[-1].label_ == "DATE" and kept[-1].id_ != span.id_:
                value = weekend_end(held)
        kept.append(span)
        values[(span.start, span.end)] = value
    doc.ents = kept
    _weekdays_in_holiday_week(doc, kept, values)
    return values


_WEEK_WORDS = frozenset({"week", "weekend", "неделя", "выходные", "выходной"})


def _weekdays_in_holiday_week(
    doc: Doc, kept: list[Span], values: dict[tuple[int, int], datetime.date | None]
) -> None:
    """Read weekdays in an ad about a holiday's week as the days of that week.

    "Thanksgiving week only: ... pre-order by Tuesday" means the Tuesday nearest to
    Thanksgiving, not the next Tuesday after the audit.
    """
    holidays = [
        held
        for span in kept
        if span.id_.startswith(_UNRESOLVED_OK)
        and (held := values.get((span.start, span.end))) is not None
        and span.end < len(doc)
        and (doc[span.end].lower_ in _WEEK_WORDS or doc[span.end].lemma_ in _WEEK_WORDS)
    ]
    if not holidays:
        return
    anchor = holidays[0]
    for span in kept:
        day = values.get((span.start, span.end))
        if span.id_ != "date.weekday" or day is None:
            continue
        shift = (day.weekday() - anchor.weekday()) % 7
        after = anchor + datetime.timedelta(days=shift)
        before = after - datetime.timedelta(days=7)
        values[(span.start, span.end)] = after if shift <= 3 else before


def dates_within(
    span: Span, values: dict[tuple[int, int], datetime.date | None]
) -> Iterable[datetime.date | None]:
    """Yield the resolved days of the time expressions inside ``span``."""
    for (start, end), value in values.items():
        if start >= span.start and end <= span.end:
            yield value
