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
_ACK_WORDS = (
    r"(ага|угу|ок|окей|да|так|хорошо|записываю|пишу|слушаю|дальше|продолжайте|"
    r"диктуйте|m+-?hm+|uh[- ]?huh|go on|go ahead|carry on|yes|yeah|yep|ok|okay|right|sure|"
    r"got it|got that|noted|keep going|haan|ja|that's fine|fine|lovely|perfect|great|cool|"
    r"записал[аи]?|понял[аи]?|понятно|отлично|and|и|"
    # ("секунду, очки надену" - "да, конечно, не торопитесь" - "так, дальше ..."): the
    # listener waits while the speaker fetches the rest.
    r"конечно|не торопитесь|не спешите|жду|ждём|подожду|take your time|no rush|no hurry|"
    r"no problem|no worries|no bother|of course|course|i'll wait|i'll hold|waiting|"
    r"без проблем|не вопрос|ничего страшного|"
    # ("так, и контрольное число": the listener asks for the last part.)
    r"контрольн[а-я]*( две| два)?( число| цифры)?|последни[а-я]*( две| цифры)?|"
    # ("паспорт, серия?" - "шестьдесят пять ноль три" - "ага, номер?": the series' number.)
    r"номер|(the )?number)"
)
_ACKNOWLEDGEMENT = re.compile(rf"[\s,.!?…-]*({_ACK_WORDS}[\s,.!?…-]*){{1,3}}", re.IGNORECASE)
# The acknowledging words an echo may open with ("okay, one five four").
_ACK_OPENING = re.compile(rf"[\s,.!?…-]*({_ACK_WORDS}\b[\s,.!?…-]*)*", re.IGNORECASE)
_TRAILING = re.compile(r"[\s,.…]*$")
# ("dash, six zero eight, ...": the dash said between the pieces.)
_LEADING = re.compile(r"[\s,.…]*((dash|hyphen|space|тире|дефис|пробел)\b[\s,.…]*)?")
# What the two pieces are joined with: a pause, as the speaker made it.
_PAUSE = "... "
NUMBER_KINDS = frozenset({"PHONE", "CARD", "PASSPORT", "SNILS", "INN"})


def acknowledges(line: str) -> bool:
    return _ACKNOWLEDGEMENT.fullmatch(line) is not None


# An echo is the piece and a word or two; a longer line says something of its own.
_LONGEST_ECHO = 120
_LAST_WORD = re.compile(r"(\w+)\W*$")
_FIRST_WORD = re.compile(r"\W*(\w+)")


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
    opening = _ACK_OPENING.match(line)
    first_word = _FIRST_WORD.match(line, opening.end() if opening else 0)
    if first_word is None or not _number_word(first_word.group(1)):
        return None  # an echo opens with the piece, or with an "okay" before it
    numbers = spoken_numbers(line, lang)
    if len(numbers) != 1:
        return None
    start, end, digits = numbers[0]
    rest = line[:start] + " " + line[end:]
    said_numbers = spoken_numbers(said, lang)
    if (
        not said_numbers
        # (the piece said last: "восемь девятьсот семнадцать, двести три" / "так, двести три")
        or not said_numbers[-1][2].endswith(digits)
        or len(digits) < 2
        or _TRAILING.fullmatch(said, said_numbers[-1][1]) is None
        or (_ACKNOWLEDGEMENT.fullmatch(rest) is None and rest.strip(" ,.…!?-"))
    ):
        return None
    return Span(start, end, "")


# The most lines one dictation is followed across ("one two six," / "yep" / "four four
# eight," / "uh-huh" / "three nine oh," / "go on" / "and the last two are five two.").
_MOST_PARTS = 6


@dataclass(frozen=True)
class Dictation:
    """A number being dictated line by line: the lines said so far joined with pauses.
    ``parts``: per line, (its index, where its part starts in it, where in ``text``);
    ``echoes``: the listener's echoes between the parts, (line index, span, the part before
    it)."""

    text: str
    parts: tuple[tuple[int, int, int], ...]
    echoes: tuple[tuple[int, Span, int], ...] = ()

    @property
    def first(self) -> int:
        return self.parts[0][0]

    def can_go_on(self) -> bool:
        return len(self.parts) < _MOST_PARTS

    def then(self, index: int, line: str, echo: tuple[int, Span] | None = None) -> Dictation:
        """This dictation going on in line ``index`` after an acknowledgement (or ``echo``)."""
        head = self.text[: _TRAILING.search(self.text).start()]  # type: ignore[union-attr]
        tail_start = _LEADING.match(line).end()  # type: ignore[union-attr]
        echoes = self.echoes
        if echo is not None:
            echoes += ((echo[0], echo[1], len(self.parts) - 1),)
        return Dictation(
            text=head + _PAUSE + line[tail_start:],
            parts=(*self.parts, (index, tail_start, len(head) + len(_PAUSE))),
            echoes=echoes,
        )


def alone(index: int, line: str) -> Dictation:
    return Dictation(text=line, parts=((index, 0, 0),))


@dataclass(frozen=True)
class Pieces:
    """The pieces of a number said across acknowledgements, per line, and the whole value's
    digits to its kind (what the next line may read back)."""

    in_line: dict[int, list[Span]]
    values: dict[str, str]


def pieces_said(dictation: Dictation, lang: str, before: LineBefore = NOTHING_BEFORE) -> Pieces:
    """The pieces of the numbers that run from an earlier line of ``dictation`` into its last
    one; ``before``: what the line before its first line asked for and said."""
    text, parts = dictation.text, dictation.parts
    last_at = parts[-1][2]
    crossing = [
        span
        for span in detect_numbers(text, tokenize(text), lang, before)
        if span.start < last_at - len(_PAUSE) and span.end > last_at
    ]
    in_line: dict[int, list[Span]] = {}
    values = values_said(text, lang, crossing, before)
    for span in crossing:
        first_part = len(parts)
        digits = ""  # the whole value's, piece by piece as each line said it
        for number, (index, in_its_line, at) in enumerate(parts):
            part_end = parts[number + 1][2] - len(_PAUSE) if number + 1 < len(parts) else len(text)
            start, end = max(span.start, at), min(span.end, part_end)
            if start < end:
                first_part = min(first_part, number)
                numbers = spoken_numbers(text[start:end], lang)
                if span.end > part_end and numbers:
                    # A piece that goes on in the next line ends at its digits ("..., семь ноль
                    # один пять... секунду, очки надену").
                    end = start + numbers[-1][1]
                if span.start < at and numbers:
                    # A piece that goes on from the line before begins at its digits ("and
                    # the last two are five two").
                    start += numbers[0][0]
                piece = Span(start - at + in_its_line, end - at + in_its_line, span.type)
                in_line.setdefault(index, []).append(piece)
                digits += "".join(said for _, _, said in numbers)
        if len(digits) >= 6:
            values[digits] = span.type
        for index, echo, after_part in dictation.echoes:
            if after_part >= first_part:
                # The echo is the piece said before, written down: the whole number's kind.
                in_line.setdefault(index, []).append(Span(echo.start, echo.end, span.type))
    return Pieces(in_line=in_line, values=values)


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
