"""Spoken numbers normalised to digits, each digit keeping the offsets of the words it came from.

"8 926 четыреста один двенадцать ноль три" becomes the digits "89264011203"; a value found in
those digits maps back to the original words, so a span starts at the first word or digit said
and ends at the last. Russian number words are read in every case and gender through pymorphy3
lemmas; English has "oh", "double" and "triple".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from privacy.tokens import Token

_RU_CARDINALS = {
    "ноль": 0,
    "нуль": 0,
    "один": 1,
    "два": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
    "одиннадцать": 11,
    "двенадцать": 12,
    "тринадцать": 13,
    "четырнадцать": 14,
    "пятнадцать": 15,
    "шестнадцать": 16,
    "семнадцать": 17,
    "восемнадцать": 18,
    "девятнадцать": 19,
    "двадцать": 20,
    "тридцать": 30,
    "сорок": 40,
    "пятьдесят": 50,
    "шестьдесят": 60,
    "семьдесят": 70,
    "восемьдесят": 80,
    "девяносто": 90,
    "сто": 100,
    "двести": 200,
    "триста": 300,
    "четыреста": 400,
    "пятьсот": 500,
    "шестьсот": 600,
    "семьсот": 700,
    "восемьсот": 800,
    "девятьсот": 900,
    "тысяча": 1000,
}
_RU_ORDINALS = {
    "первый": 1,
    "второй": 2,
    "третий": 3,
    "четвертый": 4,
    "пятый": 5,
    "шестой": 6,
    "седьмой": 7,
    "восьмой": 8,
    "девятый": 9,
    "десятый": 10,
    "одиннадцатый": 11,
    "двенадцатый": 12,
    "тринадцатый": 13,
    "четырнадцатый": 14,
    "пятнадцатый": 15,
    "шестнадцатый": 16,
    "семнадцатый": 17,
    "восемнадцатый": 18,
    "девятнадцатый": 19,
    "двадцатый": 20,
    "тридцатый": 30,
    "сороковой": 40,
    "пятидесятый": 50,
    "шестидесятый": 60,
    "семидесятый": 70,
    "восьмидесятый": 80,
    "девяностый": 90,
    "сотый": 100,
    "двухсотый": 200,
    "трехсотый": 300,
    "тысячный": 1000,
    "двухтысячный": 2000,
}
# Surface forms pymorphy3 may not lemmatise to the numeral.
_RU_FORMS = {
    "сорока": 40,
    "ста": 100,
    "девяноста": 90,
    "одна": 1,
    "одну": 1,
    "две": 2,
    "тысячи": 1000,
    "тысячу": 1000,
    "тысяч": 1000,
}
_EN_CARDINALS = {
    "zero": 0,
    "oh": 0,
    "o": 0,
    "nought": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
}
_EN_ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}
REPEATS = {"double": 2, "triple": 3, "дважды": 2, "трижды": 3}
# "три семёрки", "два нуля": a digit named by its noun after how many times it comes.
_TIMES = {"два", "две", "три", "четыре"}
DIGIT_NOUNS = {
    "нуля": 0,
    "нулей": 0,
    "единицы": 1,
    "двойки": 2,
    "тройки": 3,
    "четверки": 4,
    "пятерки": 5,
    "шестерки": 6,
    "семерки": 7,
    "восьмерки": 8,
    "девятки": 9,
}
_SEPARATORS = re.compile(r"[\s,\-–—()+]*")
# "восемь девятьсот тире сто", "nine zero three, space, four one", "девятнадцать ноль четыре,
# дальше восемь восемь": a dash, a space or "next" said between the groups of one number.
# ("..., and then space four four": "then" before the dash word.)
# ("..., and then a space, and forty-four": "and" after it.)
_DASH_WORD = r"(тире|дефис|пробел|дальше|далее|dash|hyphen|space)"
_DASH = rf"(((and )?then|(и )?потом|и)[\s,]+)?(an? )?{_DASH_WORD}"
_SPOKEN_SEPARATORS = re.compile(
    rf"[\s,\-–—()+]*({_DASH}[\s,\-–—()+]+((and|и)[\s,]+)?)?", re.IGNORECASE
)
_DASH_AHEAD = re.compile(_DASH + r"\b", re.IGNORECASE)
_DASH_BEHIND = re.compile(rf"\b{_DASH_WORD}[\s,]+$", re.IGNORECASE)


@lru_cache(maxsize=65536)
def word_value(word: str) -> tuple[int, bool] | None:
    """``(value, is_ordinal)`` of one number word, or None."""
    word = word.lower().replace("ё", "е")
    if word in _EN_CARDINALS:
        return _EN_CARDINALS[word], False
    if word in _EN_ORDINALS:
        return _EN_ORDINALS[word], True
    if word in _RU_FORMS:
        return _RU_FORMS[word], False
    if not re.fullmatch(r"[а-я]+", word):
        return None
    if word in _RU_CARDINALS:
        return _RU_CARDINALS[word], False
    for parse in morph_analyzer().parse(word):
        lemma = parse.normal_form.replace("ё", "е")
        if lemma in _RU_CARDINALS and ("NUMR" in parse.tag or lemma in ("тысяча", "ноль")):
            return _RU_CARDINALS[lemma], False
        if lemma in _RU_ORDINALS and "Anum" in parse.tag:
            return _RU_ORDINALS[lemma], True
    return None


@lru_cache(maxsize=1)
def morph_analyzer():  # type: ignore[no-untyped-def]
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _kind(value: int) -> str:
    if value == 0:
        return "zero"
    if value < 10:
        return "unit"
    if value < 20:
        return "teen"
    if value < 100:
        return "tens"
    if value < 1000:
        return "hundreds"
    return "thousand"


_ATTACH = {
    "hundreds": {"tens", "teen", "unit"},
    "tens": {"unit"},
    "thousand": {"hundreds", "tens", "teen", "unit"},
}


@dataclass
class NumberRun:
    """Consecutive number tokens: their digits and, per digit, the offsets it came from."""

    tokens: list[Token] = field(default_factory=list)
    digits: str = ""
    sources: list[tuple[int, int]] = field(default_factory=list)
    ordinal: bool = False
    joined: bool = False
    before: str = ""

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end

    def offsets(self, first: int, last: int) -> tuple[int, int]:
        """Text offsets of the digits ``digits[first:last]``."""
        return self.sources[first][0], self.sources[last - 1][1]

    def then(self, other: NumberRun, skip: int = 0, joined: bool = False) -> NumberRun:
        """This run followed by ``other`` less its first ``skip`` digits: one value said in
        pieces."""
        return NumberRun(
            tokens=self.tokens + other.tokens,
            digits=self.digits + other.digits[skip:],
            sources=self.sources + other.sources[skip:],
            joined=joined,
        )

    def without_last(self, count: int) -> NumberRun:
        """This run less its last ``count`` digits (their words stay among the tokens): the
        part a correction keeps."""
        return NumberRun(
            tokens=self.tokens, digits=self.digits[:-count], sources=self.sources[:-count]
        )

    def add(self, digits: str, start: int, end: int) -> None:
        self.digits += digits
        self.sources.extend([(start, end)] * len(digits))


def is_number_token(token: Token) -> bool:
    return token.is_digits or (
        token.is_word
        and (
            token.lower in REPEATS
            or token.lower in DIGIT_NOUNS
            or word_value(token.text) is not None
        )
    )


def is_ordinal_word(token: Token) -> bool:
    """ "второй", "fourth", "twenty-third"'s "third": a number word said as an ordinal."""
    found = word_value(token.text) if token.is_word else None
    return found is not None and found[1]


def _unit_at(words: list[Token], index: int) -> bool:
    """Whether the word at ``index`` is a digit's word, one to nine."""
    found = word_value(words[index].text) if index < len(words) else None
    return found is not None and _kind(found[0]) == "unit"


def _emit_words(run: NumberRun, words: list[Token]) -> None:
    """Adds spoken words to ``run``: compounds ("четыреста один") become one number."""
    value = 0
    first: Token | None = None
    last: Token | None = None
    last_kind = ""
    repeat = 1
    repeat_token: Token | None = None

    def flush() -> None:
        nonlocal value, first, last, last_kind
        if first is not None and last is not None:
            run.add(str(value), first.start, last.end)
        value, first, last, last_kind = 0, None, None, ""

    for index, word in enumerate(words):
        if word.lower in REPEATS:
            flush()
            repeat, repeat_token = REPEATS[word.lower], word
            continue
        if word.lower in DIGIT_NOUNS:
            digit = str(DIGIT_NOUNS[word.lower])
            if first is not None and first is last and last_kind == "unit" and value in (2, 3, 4):
                run.add(digit * value, first.start, word.end)  # "три семёрки" is 777
                value, first, last, last_kind = 0, None, None, ""
            else:
                flush()
                run.add(digit, word.start, word.end)
            continue
        found = word_value(word.text)
        if found is None:  # only number words reach here
            continue
        number, ordinal = found
        kind = _kind(number)
        if kind == "zero" and last_kind == "hundreds" and _unit_at(words, index + 1):
            last = word  # "семьсот ноль пять" is 705: the zero holds the tens' place
            continue
        if repeat > 1 and kind in ("zero", "unit") and repeat_token is not None:
            run.add(str(number) * repeat, repeat_token.start, word.end)
            repeat, repeat_token = 1, None
            continue
        if word.lower == "hundred" and first is not None and last_kind == "unit":
            # "twenty four hundred" is 2400, and so is "two thousand four hundred": after a
            # thousand, the hundred multiplies the unit said last.
            below = value % 1000 if value >= 1000 else value
            value, last, last_kind = value - below + below * 100, word, "hundreds"
        elif number == 1000 and first is not None and value < 1000 and last_kind != "thousand":
            value, last, last_kind = value * 1000, word, "thousand"
        elif first is not None and kind in _ATTACH.get(last_kind, ()):
            value, last, last_kind = value + number, word, kind
        else:
            flush()
            if kind == "zero":
                run.add("0", word.start, word.end)
            else:
                value, first, last, last_kind = number, word, word, kind
        run.ordinal = ordinal
    flush()


_WORD_BEFORE = re.compile(r"[^\W\d_]{3}$")
_DASH_WORDS = {"тире", "дефис", "пробел", "дальше", "далее", "dash", "hyphen", "space"}
_DASH_LEAD_INS = {"and", "then", "и", "потом", "a", "an"}
_DATE_AHEAD = re.compile(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}\b")
_DATE_BEFORE = re.compile(r"\d{1,2}[./]\d{1,2}[./]$")


_WORD_AFTER_AND = re.compile(r"and\s+([a-z]+)", re.IGNORECASE)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def _hundred_and(text: str, last: Token, and_token: Token) -> bool:
    """ "six hundred and five": the "and" inside one number, said after its hundreds."""
    if last.lower not in ("hundred", "thousand"):
        return False
    after = _WORD_AFTER_AND.match(text, and_token.start)
    return after is not None and word_value(after.group(1)) is not None


def _joins_groups(text: str, last: Token, word: Token) -> bool:
    """Whether ``word``, said after the number token ``last``, is said between the groups of
    one number: a dash or a space named ("тире", "space"), the words around one ("and then
    a space, and"), or the "and" of "six hundred and five"."""
    lower = word.lower
    return (
        lower in _DASH_WORDS
        or (lower in _DASH_LEAD_INS and _DASH_AHEAD.match(text, word.start) is not None)
        or (lower in ("and", "и") and _DASH_BEHIND.search(text, 0, word.start) is not None)
        or (lower == "and" and _hundred_and(text, last, word))
    )


def number_runs(text: str, tokens: list[Token]) -> list[NumberRun]:
    """Maximal sequences of digit groups and number words joined by spaces, commas, hyphens,
    brackets or "+"."""
    runs: list[NumberRun] = []
    group: list[Token] = []
    for token in tokens + [Token("", len(text), len(text))]:
        if group and (token.text == "+" or _DATE_AHEAD.match(text, token.start)):
            # "квартира 8, +7 911 ...": a plus starts a number; "..., 14.02.1989" is a date.
            runs.append(build_run(text, group))
            group = []
        if token.text and (
            _SEPARATORS.fullmatch(token.text) or (group and _joins_groups(text, group[-1], token))
        ):
            continue
        # Digits glued to a word ("BIRTHDAY1990", "promo2024") belong to a code, not to a
        # number; one or two letters before them may be a document's prefix ("K8821045").
        glued = token.is_digits and bool(
            _WORD_BEFORE.search(text, max(0, token.start - 3), token.start)
        )
        # "two digits swapped", "one moment": a count, not a digit of the value.
        counts = bool(token.text) and (
            (token.is_word and _counts_a_thing(text, token.end))
            or _ONE_MOMENT.match(text, token.start) is not None
            or (token.lower == "one" and _ONE_AS_PRONOUN.search(text, 0, token.start) is not None)
        )
        numeric = bool(token.text) and is_number_token(token) and not glued and not counts
        if token.lower in DIGIT_NOUNS and not (group and group[-1].lower in _TIMES):
            numeric = False  # "с восьмёрки": the digit named, not said as a count of it
        joined = bool(group) and (
            _SPOKEN_SEPARATORS.fullmatch(text[group[-1].end : token.start]) is not None
            or (
                group[-1].lower in ("hundred", "thousand")
                and _AND.fullmatch(text, group[-1].end, token.start) is not None
            )
        )
        # (The empty token closing the text starts nothing: "..., four two nine,".)
        if joined and token.text and _starts_another_value(text, group, token):
            joined = False
        if numeric and (not group or joined):
            group.append(token)
            continue
        if group:
            runs.append(build_run(text, group))
        group = [token] if numeric else []
    return [run for run in runs if run.digits]


ADDRESS_NUMBER = re.compile(
    r"(квартир[а-я]*|кв\.?|дом(а|е|у|ом)?\b|д\.|корпус[а-я]*|строени[а-я]*|подъезд[а-я]*|этаж[а-я]*|"
    r"apartment|apt\.?|unit|flat|suite|house)\s*$",
    re.IGNORECASE,
)


_COUNTED = re.compile(
    r"\s+(digits?|numbers|цифр[аыу]?\b)|"
    # "two-day", "трёх-комнатная": a number word joined to a word that is no number.
    r"-(?!(zero|oh|one|two|three|four|five|six|seven|eight|nine|ноль|один|одна|два|две|три|"
    r"четыре|пять|шесть|семь|восемь|девять)\b)[^\W\d_]",
    re.IGNORECASE,
)


def _counts_a_thing(text: str, end: int) -> bool:
    """Whether the number word ending at ``end`` counts something ("two digits", "two-day"),
    not when a number word follows its hyphen ("тридцать-сорок": thirty, forty)."""
    counted = _COUNTED.match(text, end)
    if counted is None:
        return False
    hyphened = _HYPHENED_WORD.match(text, end)
    return hyphened is None or word_value(hyphened.group(1)) is None


_HYPHENED_WORD = re.compile(r"-([^\W\d_]+)")
# "new one, um, 5163 ...", "that one": "one" standing for a thing, not a digit.
_ONE_AS_PRONOUN = re.compile(
    r"\b(new|old|this|that|the|another|other|same|which|right|wrong|last|little|big)\s+$|"
    # "the Russian one", not "my cell one one two"
    r"\b(the|a|my|his|her|your|our|their)\s+(?!(cell|mobile|phone|number|card|passport|inn|"
    r"snils|code|is|was|ends?|ending|one|two|three|four|five|six|seven|eight|nine|zero|oh|"
    r"double|triple)\b)[A-Za-z]+\s+$",
    re.IGNORECASE,
)
_ONE_MOMENT = re.compile(r"(one|одну|одна)\s+(moment|sec|second|minute|секунд|минут)\b", re.I)


def _starts_another_value(text: str, group: list[Token], token: Token) -> bool:
    """Digits after an ordinal word, and after a comma what follows a flat or house number
    ("квартира шесть, 8 928 ...") or a day said as an ordinal ("+7 701 455 38 12, семнадцатое
    ноль шестое"), begin the next value."""
    said = word_value(group[0].text) if len(group) == 1 and group[0].is_word else None
    comma = "," in text[group[-1].end : token.start]
    # "первая 5536 ...", "и вторую, 4377 7231 ...", "call me first, eight nine one six": an
    # ordinal before the value ("девятнадцатое, ноль девять" is a day and a month).
    adverb = comma and group[0].lower == "first"
    if said is not None and said[1] and (token.is_digits or adverb):
        return True
    if not comma:
        return False
    if ADDRESS_NUMBER.search(text, max(0, group[0].start - 12), group[0].start):
        return True
    if _DATE_BEFORE.search(text, max(0, group[-1].start - 6), group[-1].start):
        return True  # "19/01/1977, 548 203 991": the year closes its date

    found = word_value(token.text) if token.is_word else None
    return found is not None and found[1]


def _hundreds_before(words: list[Token], token: Token) -> int | None:
    """The hundreds said just before a one- or two-digit group ("девятьсот 16"), else None."""
    if not (words and token.is_digits and len(token.text) <= 2 and token.text[0] != "0"):
        return None
    found = word_value(words[-1].text)
    return found[0] if found and found[0] in range(100, 1000, 100) else None


def build_run(text: str, group: list[Token], commas_split: bool = True) -> NumberRun:
    """The run of ``group``; with ``commas_split`` words either side of a comma are two
    numbers ("двести, десять"), without it one ("семьсот, восемьдесят девять" said slowly)."""
    # A lone "oh" or "o" before a comma is an interjection, not a zero.
    while (
        group
        and group[0].lower in ("oh", "o")
        and (len(group) == 1 or "," in text[group[0].end : group[1].start])
    ):
        group = group[1:]
    run = NumberRun(tokens=list(group))
    words: list[Token] = []
    for token in group:
        if token.is_digits and len(token.text) == 1 and words and words[-1].lower in REPEATS:
            repeat = words.pop()
            _emit_words(run, words)
            words = []
            run.add(token.text * REPEATS[repeat.lower], repeat.start, token.end)
            continue
        hundreds = _hundreds_before(words, token)
        if hundreds is not None:
            # "девятьсот 16": a number said half in words, half in digits, is 916.
            _emit_words(run, words[:-1])
            run.add(str(hundreds + int(token.text)), words[-1].start, token.end)
            words = []
            run.ordinal = False
            continue
        if commas_split and token.is_word and words and "," in text[words[-1].end : token.start]:
            _emit_words(run, words)  # "двести, десять" is said as two groups, not 210
            words = []
        if token.is_digits:
            _emit_words(run, words)
            words = []
            for offset, digit in enumerate(token.text):
                run.add(digit, token.start + offset, token.start + offset + 1)
            run.ordinal = False
        else:
            words.append(token)
    _emit_words(run, words)
    return run
