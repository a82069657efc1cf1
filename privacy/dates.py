"""Dates of birth in digits or words: "15.03.1985", "пятнадцатого марта тысяча девятьсот
восемьдесят пятого года", "the fifteenth of March nineteen eighty-five".

A date is a birth date when a cue says so ("дата рождения", "родился", "born", "DOB") or when
its year is a plausible birth year and no cue names another kind of date (delivery,
appointment, invoice). "года" or "г." after the year is inside; "рождения", "born" and a
leading English "the" are outside.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from privacy.cues import followed_by_unit, nearest_cue, opens_answer
from privacy.numbers import NumberRun, build_run, is_number_token, number_runs, word_value
from privacy.tokens import Token
from privacy.types import Span

MONTH = re.compile(
    r"(январ|феврал|март|апрел|ма[йяюе]$|июн|июл|август|сентябр|октябр|ноябр|декабр|"
    r"january|february|march|april|may$|june|july|august|september|october|november|"
    r"december|jan$|feb$|mar$|apr$|jun$|jul$|aug$|sept?$|oct$|nov$|dec$)"
)
_DIGITS = re.compile(
    r"\b(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[-/]\d{2}[-/]\d{2}|"
    r"(?:0[1-9]|[12]\d|3[01]) (?:0[1-9]|1[0-2]) (?:19|20)\d{2}(?!\d| \d))"
    r"(?:\s*(?:года|г\.|г\b))?"
)
BIRTH = re.compile(
    r"рожд|родил|д\.?\s?р\.?\b|\bborn\b|\bdob\b|d\.o\.b|birth|birthday|др\b", re.IGNORECASE
)
_OTHER = re.compile(
    r"доставк|достав|deliver|appointment|запис[а-я]*\s+((вас|тебя|его|е[её]|их)\s+)?(на|к)\b|"
    r"\bзапис[ьи]\b|встреч|invoice|"
    r"сч[её]т|заказ|order|visit|\bот\s*$|"
    r"приед|привез|выдан|выдач|issued|expir|срок|действ|оплат|payment|due|ship|договор|contract|"
    r"sort code|arriv|present|gift|before\s*$|\bby\s*$|\bс\s*$|\bпо\s*$|\buntil|\btill|from\s*$",
    re.IGNORECASE,
)
_SUFFIX = {"th", "st", "nd", "rd"}
# "года", "г." after the year; "-го" ("2001-го", "79-го") is the year's own ending.
_YEAR_WORD = re.compile(r"\s*(года|г\.|г\b)|-го\b", re.IGNORECASE)


def birth_context(text: str, start: int, end: int, asked: bool = False) -> bool | None:
    """True on a birth cue, False on another date's cue, None without either; ``asked``: the
    line before asked for a date of birth, which a date said with no cue answers."""
    before = text[max(0, start - 50) : start]
    after = text[end : end + 25]
    after += _WORD_REST.match(text, end + 25).group()  # type: ignore[union-attr]
    after = _SENTENCE_END.split(after, maxsplit=1)[0]  # a cue of the next sentence is its own
    birth = [m.end() for m in BIRTH.finditer(before)]
    # "выдан 2018, 5.3.2002": a cue with its own date or number before this one is that one's.
    other = [m.end() for m in _OTHER.finditer(before) if not re.search(r"\d", before[m.end() :])]
    if _RANGE_BEFORE.search(before):
        return False  # "5/3/1938 dash 10/29/2024", "12.04.1949 г. — 03.03.2025": a lifespan's end
    if BIRTH.search(after) and not re.match(r"\s*(и|and)\b", after):
        return True
    said = text[start:end]
    if _BORN_WHO.search(before) and len(said.split()) >= 3 and not re.search(r"\d", said):
        # "он с девятнадцатого ноября восемьдесят четвёртого": born then, said as one says a
        # birth date ("я с пятого мая работаю" has no year; "он с 01.09.2023" is a start).
        return True
    if birth and (not other or max(birth) >= max(other)):
        return True
    if other:
        return False
    if _NAME_BEFORE.search(before) and not _STREET_BEFORE.search(before):
        return True  # "Степанюк Иван Богданович, 04.11.2014": a person and their birth date
    return True if asked else None


_RANGE_BEFORE = re.compile(r"\d(\s*г\.)?\s*(—|–|-|\bdash\b|\bto\b|\bпо\b)\s*$", re.I)
# The window after a date ends at a word's end, not inside one ("адр|ес" is no "д.р.").
_WORD_REST = re.compile(r"\w*")
_SENTENCE_END = re.compile(r"[.!?]\s")


# A full name said right before the date, a comma between.
_NAME_BEFORE = re.compile(
    r"\b[A-ZА-ЯЁ][a-zа-яё'’-]+\s+[A-ZА-ЯЁ][a-zа-яё'’-]+(\s+[A-ZА-ЯЁ][a-zа-яё'’-]+)?,\s*$"
)


# "on the Tuam Road, third of March": a street's name, not a person's.
_STREET_BEFORE = re.compile(
    r"\b(road|street|avenue|lane|drive|way|close|crescent|square|place|court|park|prospekt)"
    r",\s*$",
    re.IGNORECASE,
)


def plausible_year(year: int, birth: bool = False) -> bool:
    """Without a birth cue a recent year is more likely a delivery's or an invoice's; with one,
    a child's birth date may be this year's, and an ancestor's (a family archive's request)
    before 1920."""
    return (1850 if birth else 1920) <= year <= (_THIS_YEAR if birth else 2012)


_THIS_YEAR = 2026
# Said after a two-digit year, the number counts something: "May fifth, twenty minutes".
_COUNTED = re.compile(
    r"\s*(minutes?|hours?|days?|people|persons|pieces|units|times|percent|минут|час|дн|"
    r"человек|штук|раз|процент)",
    re.IGNORECASE,
)


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
    # "twelve march", "June nine": a day said as a cardinal word next to its month.
    if found[1] and found[0] <= 31:
        return 0, 1
    if first.text.isascii() and 1 <= found[0] <= 31 and found[0] not in (20, 30):
        return 0, 1
    if found[0] in (20, 30) and len(tokens) > 1:
        # "twenty eighth", "twenty-eighth" (the hyphen a token of its own)
        unit_at = 2 if tokens[1].text == "-" and len(tokens) > 2 else 1
        second = word_value(tokens[unit_at].text)
        if (
            second
            and (second[1] or tokens[unit_at].text.isascii())
            and 0 < second[0] < 10
            and text[first.end : tokens[unit_at].start].strip(" -") == ""
        ):
            return 0, unit_at + 1
        if first.text.isascii():
            return 0, 1  # "thirty march"
    return None


def _cardinal_in_a_number(
    text: str, tokens: list[Token], starts: list[int], day: Token, month: Token
) -> bool:
    """ "nineteen sixty two, october the third": a cardinal word before the month ends a year
    (a number word before it, a comma after it), it is no day."""
    found = word_value(day.text)
    if day.is_digits or found is None or found[1] or not day.text.isascii():
        return False
    at = bisect_left(starts, day.start)
    number_before = at > 0 and is_number_token(tokens[at - 1]) and tokens[at - 1].is_word
    return "," in text[day.end : month.start] or number_before


def _day_before(tokens: list[Token], text: str) -> int | None:
    """Index where a day said just before the month starts (``tokens`` end at the month)."""
    for length in (3, 2, 1):
        if len(tokens) >= length:
            found = _day(tokens[-length:], text)
            if found and found[1] == length:
                return len(tokens) - length
    return None


# A number that counts or tells the time, not a year.
_NOT_A_YEAR_AFTER = re.compile(
    r"[\s-]*(weeks?|days?|months?|years?|hours?|minutes?|a\.?m\b|p\.?m\b|o'clock|percent|"
    r"недел|дн[ейя]|месяц|час|минут|процент)",
    re.IGNORECASE,
)


def _year_after(text: str, tokens: list[Token], k: int, birth: bool = False) -> int | None:
    """End offset of a year said from token ``k`` on: four digits, "'79", or two digits said as
    words ("восемьдесят девятого", "eighty nine") after a day and a month."""
    group: list[Token] = []
    j = k
    while j < len(tokens) and tokens[j].text in ",":
        j += 1
    if (
        j + 1 < len(tokens)
        and tokens[j].text in "'’"
        and tokens[j + 1].is_digits
        and len(tokens[j + 1].text) == 2
        and tokens[j].end == tokens[j + 1].start
    ):
        return tokens[j + 1].end
    while j < len(tokens) and len(group) < 6:
        joiner = tokens[j].text in "-," or (
            tokens[j].lower == "and" and group and group[-1].lower in ("thousand", "hundred")
        )  # "two thousand and six"
        if not (is_number_token(tokens[j]) or (group and joiner)):
            break
        if not joiner:
            group.append(tokens[j])
        j += 1
    while group:
        run = build_run(text, group)
        end = group[-1].end
        suffix = _YEAR_WORD.match(text, end)
        spoken = all(token.is_word for token in group) and not _COUNTED.match(text, end)
        if j > len(group) + k and word_value(group[-1].text) in ((1000, False), (100, False)):
            return None  # "two thousand" of "two thousand fourteen" is no year
        if _NOT_A_YEAR_AFTER.match(text, end):
            return None  # "October seventh, twenty-four weeks", "third of March, eight a.m."
        if (
            (len(run.digits) == 4 and plausible_year(int(run.digits), birth))
            or (len(run.digits) == 2 and suffix)
            or (len(run.digits) == 2 and spoken and len(group) <= 2)
            # "the 3rd of May 86" answering a question of the date of birth
            or (len(run.digits) == 2 and birth and len(group) == 1 and group[0].is_digits)
        ):
            return suffix.end() if suffix else end
        group.pop()
    return None


def _year_before(text: str, tokens: list[Token], k: int) -> int | None:
    """Start offset of a year said before the day at token ``k`` ("две тысячи пятый,
    двадцать первое мая")."""
    j = k
    while j > 0 and tokens[j - 1].text in ",":
        j -= 1
    written = tokens[j - 1] if j > 0 else None
    in_a_date = written is not None and written.start > 0 and text[written.start - 1] in "/.-"
    if written and written.is_digits and len(written.text) == 4 and not in_a_date:
        # "1999, November second": the year in digits
        return written.start if plausible_year(int(written.text), birth=True) else None
    group: list[Token] = []
    while j > 0 and len(group) < 5 and tokens[j - 1].is_word and is_number_token(tokens[j - 1]):
        group.insert(0, tokens[j - 1])
        j -= 1
    while group:
        digits = build_run(text, group).digits
        if len(digits) == 4 and plausible_year(int(digits), birth=True):
            return group[0].start
        group.pop(0)
    return None


# "nineteen ninety... no, nineteen eighty": the corrected year ends the span.
_REDO = re.compile(
    r"(\.\.\.|…)?[\s,]*(no|sorry|i mean|нет|ой|то есть|вернее)\b[\s,.]*", re.IGNORECASE
)
# A birth cue right before a date said as bare numbers ("DOB six fourteen eighty two",
# "дата рождения одиннадцатое ноль второе восемьдесят второго").
_CUE_THEN_NUMBERS = re.compile(
    r"(дата рождения|день рождения|родил[а-я]*|д\.?\s?р\.?|\bdob\b|d\.o\.b\.?|date of birth|"
    r"birthday|born( on)?)"
    r"(\s*(:|-|—|,|is|it's|это|у меня|the|э+(-э+)*|uh|um|er)\s*)*\s*$",
    re.IGNORECASE,
)


_MONTH_AFTER = re.compile(
    r"[\s,]*(of\s+)?\w*(январ|феврал|март|апрел|ма[йяе]|июн|июл|август|"
    r"сентябр|октябр|ноябр|декабр|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.I,
)


def _numeric_date(digits: str, lang: str) -> bool:
    """Whether ``digits`` split into day, month and year (or month, day and year) make a date."""
    for day_len in (1, 2):
        for month_len in (1, 2):
            year = digits[day_len + month_len :]
            if len(year) not in (2, 4) or (len(year) == 4 and not plausible_year(int(year), True)):
                continue
            first, second = int(digits[:day_len]), int(digits[day_len : day_len + month_len])
            if 1 <= first <= 31 and 1 <= second <= 12:
                return True
            if lang == "en" and 1 <= first <= 12 and 1 <= second <= 31:
                return True
    return False


# A turn that is only a date, said as numbers ("Ten, twenty-one, nineteen seventy-three."),
# answers the date of birth the other side asked for.
_ANSWER_BEFORE = re.compile(
    r"(^|[.!?]\s+)((so|it's|its|it is|yeah|yes|yep|okay|ok|um|uh|er|that's|sure|correct|right|"
    r"exactly),?\s+)*$",
    re.I,
)
_ANSWER_AFTER = re.compile(r"\s*([.!?]|$)")
_ANSWER_AFTER_STOP = re.compile(
    r"[.!?]\s+((so|it's|its|it is|yeah|yes|okay|ok|um|uh|er|that's|sure),?\s+)*$", re.I
)


def _answered_date(text: str, run: NumberRun, lang: str) -> bool:
    if lang != "en" or not 5 <= len(run.digits) <= 8 or len(run.tokens) < 3:
        return False
    before = text[max(0, run.start - 60) : run.start]
    at_start = run.start <= 60  # "^" of the pattern is the turn's start only then
    if not (
        (_ANSWER_BEFORE if at_start else _ANSWER_AFTER_STOP).search(before)
        and _ANSWER_AFTER.match(text, run.end)
    ):
        return False
    year = run.digits[-4:] if len(run.digits) >= 7 else run.digits[-2:]
    return _numeric_date(run.digits, lang) and _plausible_without_cue(year)


_ADDRESS_CUE = re.compile(r"address|адрес", re.IGNORECASE)


def _bare_numbers(text: str, tokens: list[Token], lang: str, asked: bool) -> list[Span]:
    """A date said as bare numbers ("ноль три ноль три девяностого", "oh three oh three
    ninety") after a birth cue, or as the answer to the line before's question."""
    spans: list[Span] = []
    cued = BIRTH.search(text) is not None
    if not cued and not asked and lang != "en":
        return spans
    for run in number_runs(text, tokens):
        if not cued and lang == "en" and _answered_date(text, run, lang):
            spans.append(Span(run.start, run.end, "BIRTHDATE"))
            continue
        # Six digits at least answer a question: "5512" is a code, "18 450" an amount.
        # (Or a day, a month and a year said as three numbers: "six three twenty-one".)
        said_apart = (
            len(set(run.sources)) == 3  # a day, a month and a year, each one number
            and run.sources[-1] == run.sources[-2]  # the year as one number, not two digits
        )
        answer = (
            asked
            and (len(run.digits) >= 6 or (said_apart and len(run.digits) >= 4))
            and opens_answer(text, run.start)
            and not followed_by_unit(text, run.end)
            and nearest_cue(text, run.start) is None
            # "My address is 2207-88 Harbour Street": a unit and house number.
            and not _ADDRESS_CUE.search(text, max(0, run.start - 20), run.start)
        )
        if (
            (answer or (cued and _CUE_THEN_NUMBERS.search(text, max(0, run.start - 40), run.start)))
            and 4 <= len(run.digits) <= 8
            and not _MONTH_AFTER.match(text, run.end)
            and not _DIGITS.fullmatch(text[run.start : run.end])
            and _numeric_date(run.digits, lang)
        ):
            spans.append(Span(run.start, run.end, "BIRTHDATE"))
    return spans


def _number_group(tokens: list[Token], i: int, step: int) -> tuple[int, int] | None:
    """Token indexes [a, b) of the number words or digits next to token ``i`` on one side."""
    j = i + step
    while 0 <= j < len(tokens) and is_number_token(tokens[j]) and abs(j - i) <= 4:
        j += step
    a, b = (i + 1, j) if step > 0 else (j + 1, i)
    return (a, b) if b > a else None


def _slashed(text: str, tokens: list[Token], lang: str, asked: bool) -> list[Span]:
    """A date said with its slashes: "one slash nineteen slash nineteen seventy six"."""
    spans: list[Span] = []
    slashes = [k for k, t in enumerate(tokens) if t.lower in ("slash", "слэш", "слеш")]
    for first, second in zip(slashes, slashes[1:], strict=False):
        day = _number_group(tokens, first, -1)
        month = _number_group(tokens, first, 1)
        year = _number_group(tokens, second, 1)
        if not (day and month and year and month[1] == second):
            continue
        values = [build_run(text, tokens[a:b]).digits for a, b in (day, month, year)]
        if not all(values) or len(values[2]) not in (2, 4):
            continue
        digits = values[0] + values[1] + values[2]
        start, end = tokens[day[0]].start, tokens[year[1] - 1].end
        context = birth_context(text, start, end, asked)
        wanted = context or (context is None and _plausible_without_cue(values[2]))
        if wanted and _numeric_date(digits, lang) and len(digits) <= 8:
            spans.append(Span(start, end, "BIRTHDATE"))
    return spans


def _plausible_without_cue(year: str) -> bool:
    """A year said without a cue: four digits within the birth years, or two digits from 30 on
    ("eighty one"), which no delivery or invoice date of this century has."""
    if len(year) == 4:
        return plausible_year(int(year))
    return len(year) == 2 and int(year) >= 30


def _ordinal_day_month(text: str, tokens: list[Token], lang: str, asked: bool) -> list[Span]:
    """A date of ordinals with the month as a number: "девятнадцатое ноль седьмое восемьдесят
    восьмого", "the 1st of the 4th, 88", "seventh of the seventh seventy seven"."""
    spans: list[Span] = []
    joiners = ("ноль",) if lang == "ru" else ("of", "the")
    for k in range(len(tokens) - 2):
        day = _day(tokens[k : k + 2], text)
        if day is None or (spans and tokens[k].start < spans[-1].end):
            continue
        m = k + day[1]
        while m < len(tokens) and tokens[m].lower in joiners:
            m += 1
        if lang == "en" and m - (k + day[1]) < 2:
            continue  # "first second": only "of the" says the second is a month
        month = _month_number(tokens, m)
        if month is None:
            continue
        m, number = month
        end = _year_after(text, tokens, m, birth=True) or _digit_year(tokens, m)
        if not 1 <= number <= 12 or end is None:
            continue
        context = birth_context(text, tokens[k].start, end, asked)
        year = build_run(text, [t for t in tokens[m:] if t.end <= end and t.text not in ",'’"])
        if context or (context is None and _plausible_without_cue(year.digits)):
            spans.append(Span(tokens[k].start, end, "BIRTHDATE"))
    return spans


def _digit_year(tokens: list[Token], m: int) -> int | None:
    """End of a two-digit year in digits after a month said as a number ("the 9th, 84")."""
    j = m + 1 if m < len(tokens) and tokens[m].text == "," else m
    if j < len(tokens) and tokens[j].is_digits and len(tokens[j].text) == 2:
        return tokens[j].end
    return None


def _month_number(tokens: list[Token], m: int) -> tuple[int, int] | None:
    """(index after the month, its number) for a month said as an ordinal: "седьмое", "4th"."""
    if m >= len(tokens):
        return None
    if tokens[m].is_digits and m + 1 < len(tokens) and tokens[m + 1].lower in _SUFFIX:
        return m + 2, int(tokens[m].text)
    found = word_value(tokens[m].text) if tokens[m].is_word else None
    if found and found[1]:
        return m + 1, found[0]
    return None


_BORN_WHO = re.compile(r"\b(я|он|она|мама|папа|сын|дочь|муж|жена|мать|отец)\s+(с\s+)?$", re.I)


def _year_of_birth(text: str, tokens: list[Token]) -> list[Span]:
    """ "я девяносто шестого года рождения", "мама сорок восьмого года": a birth year alone."""
    spans = []
    for k, token in enumerate(tokens):
        if token.lower != "года" or k == 0:
            continue
        i = k
        while i > 0 and k - i < 4 and tokens[i - 1].is_word and is_number_token(tokens[i - 1]):
            i -= 1
        found = word_value(tokens[k - 1].text) if i < k else None
        if not (found and found[1]):
            continue  # the year ends with an ordinal: "шестого"
        digits = build_run(text, tokens[i:k]).digits
        if not _plausible_without_cue(digits) and not (
            len(digits) == 4 and plausible_year(int(digits), birth=True)
        ):
            continue
        born = re.match(r"\s+рождения", text[token.end :], re.I)
        if born or _BORN_WHO.search(text[max(0, tokens[i].start - 12) : tokens[i].start]):
            spans.append(Span(tokens[i].start, token.end, "BIRTHDATE"))
    return spans


def detect_birthdates(
    text: str, tokens: list[Token], lang: str = "ru", asked: bool = False
) -> list[Span]:
    """``asked``: the line before asked for the date of birth ("а дата рождения?")."""
    spans = _bare_numbers(text, tokens, lang, asked) + _slashed(text, tokens, lang, asked)
    if lang == "ru":
        spans += _year_of_birth(text, tokens)
    spans += _ordinal_day_month(text, tokens, lang, asked)
    starts = [token.start for token in tokens]
    for match in _DIGITS.finditer(text):
        year = re.findall(r"\d{4}", match.group())
        short_year = re.search(r"[./-](\d{2})$", match.group())  # not "12.03.87 г."
        context = birth_context(text, match.start(), match.end(), asked)
        plausible = (bool(year) and plausible_year(int(year[0]), bool(context))) or (
            not year
            and short_year is not None
            and "-" not in match.group()  # "20-45-77" is a bank's sort code
            and _plausible_without_cue(short_year.group(1))
        )
        if (context and (plausible or not year)) or (context is None and plausible):
            spans.append(Span(match.start(), match.end(), "BIRTHDATE"))
    for k, token in enumerate(tokens):
        if not token.is_word or not MONTH.match(token.lower):
            continue
        start: int | None = None
        year_from = k + 1
        before = [t for t in tokens[max(0, k - 4) : k] if t.text not in "-,"]
        if before and before[-1].lower in ("of",):
            before = before[:-1]
        index = _day_before(before, text)
        if index is not None and _cardinal_in_a_number(text, tokens, starts, before[index], token):
            index = None
        day_end = token.end  # a day said before the month ends with the month
        if index is not None:
            start = before[index].start
        else:
            # "Oct. 3", "August the eighth"
            skip = 0
            while k + 1 + skip < len(tokens) and tokens[k + 1 + skip].lower in (".", "the"):
                skip += 1
            found = _day(tokens[k + 1 + skip : k + 4 + skip], text)
            if found:
                year_from = k + 1 + skip + found[1]
                day_end = tokens[year_from - 1].end
                while year_from < len(tokens) and tokens[year_from].text in (",", "of"):
                    year_from += 1
                start = token.start
        if start is None:
            continue
        end = _year_after(text, tokens, year_from, birth=True)
        if end is None:
            # "nineteen eighty seven, august the eighth": the year first; or no year at all,
            # which is a birth date only with a birth cue ("DOB is the ninth of November").
            day_at = k if index is None else bisect_left(starts, before[index].start)
            first = _year_before(text, tokens, day_at)
            context = birth_context(text, first if first is not None else start, day_end, asked)
            # A year in digits first ("1999, November second") only with a cue or a question.
            digits_first = first is not None and text[first].isdigit()
            bare = context is None and index is None and not digits_first
            if first is not None and (context or bare):
                spans.append(Span(first, day_end, "BIRTHDATE"))
            # (A day and month alone answer no question: "до 31 декабря" is a deadline.)
            elif first is None and birth_context(text, start, day_end):
                spans.append(Span(start, day_end, "BIRTHDATE"))
            continue
        context = birth_context(text, start, end, asked)
        if context is False:
            continue
        if not context:
            end = _year_after(text, tokens, year_from)
            if end is None:
                continue
        redo = _REDO.match(text, end)
        if redo:
            after = bisect_left(starts, redo.end())
            again = _year_after(text, tokens, after, bool(context)) if after < len(tokens) else None
            end = again if again is not None else end
        if context is None and not re.search(r"\d{4}|\w", text[start:end]):
            continue
        spans.append(Span(start, end, "BIRTHDATE"))
    return spans
