"""What the line before holds for the next one: a customer answers "а серия и номер?" with the
bare number, its cue left in the agent's question, and an agent reads back a value the customer
has just said ("семь семь ноль один..., и дату рождения")."""

from __future__ import annotations

import re

from privacy.address import street_words
from privacy.cues import CUES, DOCUMENT_KINDS, nearest_cue
from privacy.dates import BIRTH
from privacy.numbers import is_number_token
from privacy.numeric import spoken_numbers
from privacy.tokens import tokenize
from privacy.types import NOTHING_BEFORE, LineBefore, Span

# How far back a cue is read before a value.
_QUESTION_CHARS = 80
# A value already replaced by its type ("[PASSPORT]") ends a question as a spoken value does.
_VALUE_END = re.compile(r"\d|\]")
_DATA_KINDS = ("PHONE", *DOCUMENT_KINDS)


def line_before(line: str, lang: str, found: list[Span] | None = None) -> LineBefore:
    """What ``line`` holds for the line after it; ``found``: its spans, when known."""
    if not line:
        return NOTHING_BEFORE
    said = values_said(line, lang, found or [])
    asked = asked_kinds(line)
    last_sentence = re.split(r"[.!]\s+", question_asked(line))[-1].lstrip(" .,;!")
    if not asked and said and _SAME_AGAIN.search(last_sentence):
        # "500127348816 and 168-022-491 05. And his?": the same kinds again, for another.
        asked = frozenset(said.values()) - {"NONE"}
    if any(span.type == "BIRTHDATE" for span in found or []):
        # "born the ninth of november seventy eight" - "so, nine eleven seventy eight?": a
        # birth date is read back in other words, or confirmed, in the line after.
        asked |= {"BIRTHDATE"}
    streets = frozenset(
        word
        for span in found or []
        if span.type == "ADDRESS"
        for word in street_words(line[span.start : span.end], lang)
    )
    return LineBefore(asked, said, streets)


# A line that ends by asking for the value to be said: "go on then", "диктуйте".
_INVITATION = re.compile(
    r"\b(go on|go ahead|read it( out)?|fire away|shoot|i'm ready|ready|i'm listening|"
    r"диктуйте|слушаю|говорите|давайте|записываю|готов[аы]?|"
    # ("yes please, all twelve digits": how long the value asked for is.)
    r"(all |все )?(the )?(ten|eleven|twelve|десять|одиннадцать|двенадцать) (digits|цифр))"
    r"(,? (then|please|пожалуйста))?\W*$",
    re.IGNORECASE,
)


def invites(line: str) -> bool:
    """Whether ``line`` ends by inviting the value to be said, which it does not name."""
    return _INVITATION.search(line) is not None


# A short question that names no kind but someone else: "And his?", "And the others?", "А у
# мужа?".
_SAME_AGAIN = re.compile(
    r"^(?=[^.!?]{0,30}\?\s*$)\W*[^.!?]*\b(his|her|hers|their|theirs|others?|the other|yours|"
    r"husband|wife|partner|son|daughter|mother|father|mum|mom|dad|baby|child|kids?|"
    r"его|е[её]|их|муж[а-я]*|жен[аеуы]|сын[а-я]*|доч[а-я]*|друг[а-я]*|втор[а-я]*|"
    r"реб[её]нк[а-я]*|малыш[а-я]*)\b|"
    # "Now yours, please.": the same kinds again, of the one spoken to; "Теперь Самиры.", "Now
    # Lily's.": of one named.
    r"^\W*(now|and|теперь|а)?\s*(yours|ваш[иу]?)\b[^.!?]{0,15}[.?!]?\s*$|"
    r"^\W*(now|and now|теперь|а теперь)\s+[^\s.!?]+\s*[.?!]?\s*$",
    re.IGNORECASE,
)


def values_said(
    line: str, lang: str, found: list[Span], before: LineBefore = NOTHING_BEFORE
) -> dict[str, str]:
    """The numbers found in ``line`` (read after ``before``): their digits ("89161234567") to
    their kind. The digits are those the number reader took, its corrections made ("seven
    nine... sorry, seven eight one two" ends in 7812)."""
    said = {}
    has_data = any(s.type in _DATA_KINDS for s in found)
    names_record = CUES["NONE"].search(line.lower().replace("ё", "е")) is not None
    numbers = spoken_numbers(line, lang, before) if has_data or names_record else []
    for start, end, digits in numbers:
        # "order ID is M Q seven seven three ...": a record named right before it is "NONE",
        # so that reading it back ("MQ7731904...") marks nothing.
        near = line[max(0, start - _RECORD_CUE_CHARS) : start]
        window = len(near) - max((m.end() for m in _SENTENCE_END.finditer(near)), default=0)
        if (
            len(digits) >= 6
            and nearest_cue(line, start, window) == "NONE"
            and not any(span.start < end and start < span.end for span in found)
        ):
            said[digits] = "NONE"
    for span in found:
        if span.type in _DATA_KINDS:
            digits = "".join(
                number for start, end, number in numbers if span.start <= start and end <= span.end
            )
            if not digits:  # the span holds more than the number (a date before it)
                value = line[span.start : span.end]
                digits = "".join(number for _, _, number in spoken_numbers(value, lang))
            if len(digits) >= 6:
                said[digits] = span.type
    return said


# How close before a number a record's cue names it, in its own sentence ("no sorry, that's
# the contract. it's four five one, ..." names the number said before).
_RECORD_CUE_CHARS = 25
_SENTENCE_END = re.compile(r"[.!?]\s")


def question_asked(line: str) -> str:
    """The end of ``line`` after the last value said in it ("Записала. А серия и номер?",
    "and your date of birth?")."""
    return _end_of_line(line)[0]


def _end_of_line(line: str) -> tuple[str, bool]:
    """The end of ``line`` after its last value, and whether a value was said before it."""
    tail = line[-_QUESTION_CHARS:]
    last_value = max((m.end() for m in _VALUE_END.finditer(tail)), default=0)
    # Number words two or more in a row are a value said; one ("ten-digit", "ещё один") is not.
    tokens = tokenize(tail)
    for left, right in zip(tokens, tokens[1:], strict=False):
        if right.start >= last_value and is_number_token(left) and is_number_token(right):
            last_value = right.end
    if last_value:
        return tail[last_value:].strip(), True
    if len(line) > _QUESTION_CHARS:
        return tail[tail.find(" ") + 1 :].strip(), False  # the first word was cut
    return tail.strip(), False


def asked_kinds(line: str) -> frozenset[str]:
    """The kinds of value the end of ``line`` asks for: "PHONE", "CARD", "PASSPORT", "SNILS",
    "INN" or "BIRTHDATE"; a bare "номер" asks for a phone when nothing else is named, and
    "номер заказа" for "NONE", a number that is no personal data."""
    question, after_value = _end_of_line(line)
    if after_value:
        question = _after_trailer(question)
    question = question.lower().replace("ё", "е")
    # "... the permit needs passport data and dates of birth. The booking number first,
    # please?": the last sentence asks for a record, whatever the ones before it named.
    last = re.split(r"[.!?]\s+", question.rstrip(" .!?"))[-1]
    number = CUES["NUMBER"].search(last)
    if (
        number is not None
        and _names_a_record(last, number)
        and not any(_names(last, kind) for kind in _DATA_KINDS)
    ):
        return frozenset({"NONE"})
    kinds = {kind for kind in _DATA_KINDS if _names(question, kind)}
    if CUES["SERIES"].search(question) and not CUES["NONE"].search(question):
        kinds.add("PASSPORT")  # "серия-номер и ИНН"
    if BIRTH.search(question):
        kinds.add("BIRTHDATE")
    if not kinds and not after_value and question.endswith("?") and len(line) > _QUESTION_CHARS:
        # "SNILS is the eleven digit pension insurance number, three groups of three and then
        # two. Could you read it out?": the kind named in the sentences before the question.
        earlier = line[-_EXPLAINED_CHARS:].lower().replace("ё", "е")
        kinds = {kind for kind in _DATA_KINDS if kind != "PHONE" and CUES[kind].search(earlier)}
    number = CUES["NUMBER"].search(question) if not kinds else None
    if number is not None:
        # "номер заказа?", "and the order number?": a number that is no personal data; "номер,
        # на который абонемент оформлен" asks for a phone.
        kinds.add("NONE" if _names_a_record(question, number) else "PHONE")
    elif (
        not kinds
        and _names(question, "NONE")
        and (
            _REQUEST.search(question)
            or (question.rstrip().endswith("?") and _RECORD_ASKED.search(question))
        )
    ):
        # "лицевой счёт назовите, сверху на квитанции", "Артикул есть на бирке?": asked for
        # without "номер".
        kinds.add("NONE")
    return frozenset(kinds)


# "номер отправления, он в смс есть", "the waybill number on the SMS": where a value was sent,
# not a phone asked for.
_WHERE_SENT = re.compile(r"\b(в|во|из|на|по|on|in|from|via|by)( the| my| your)?\s+$")


# "Адрес проживания для договора?": what the value asked for is for.
_WHAT_FOR = re.compile(r"\b(для|for)( the| your| my)?\s+$")


def _names(question: str, kind: str) -> bool:
    """Whether ``question`` names a value of ``kind``."""
    where = {"PHONE": _WHERE_SENT, "NONE": _WHAT_FOR}.get(kind)
    return any(
        where is None or not where.search(question, max(0, match.start() - 12), match.start())
        for match in CUES[kind].finditer(question)
    )


def _names_a_record(question: str, number: re.Match[str]) -> bool:
    """Whether a refusing cue next to "номер" / "number" says whose number it is."""
    for match in CUES["NONE"].finditer(question):
        if BIRTH.match(match.group()):
            continue  # "the number and your DOB": a birth date, asked for too
        if match.start() <= number.start() < match.end():
            return True  # "waybill number"
        after = question[number.end() : match.start()]
        if 0 <= match.start() - number.end() <= 15 and "," not in after:
            return True
        if 0 <= number.start() - match.end() <= 25:
            return True
    return False


# Records asked for in a question with no request word ("Артикул есть на бирке внутри?").
_RECORD_ASKED = re.compile(
    r"артикул|серийн|\bsku\b|imei|трек|tracking|\border\b|заказ[ау]?\b|"
    r"договор(а|у|ом|е)?\b|полис|policy|invoice|serial|\bmember"
)
_REQUEST = re.compile(
    r"назов|продикту|скажите|подскаж|прочита|please|can i (get|have|take)|could you|"
    r"what's|what is|give me|read (me |it |out)"
)


_REQUEST_IN_SENTENCE = re.compile(
    r",\s*(i|we)( just| also| will| 'll)? need\b|,\s*(мне |нам )?(нужн[аоы]?|нужен)\b|"
    r",\s*(can i|could you|please|назовите|продиктуйте|скажите)\b",
    re.IGNORECASE,
)


# How far back a request explained before its question is read.
_EXPLAINED_CHARS = 160


# The words that close a value's sentence ("1985 года рождения.", "…, это СНИЛС."): a cue said
# after the value, not a question.
_TRAILER = re.compile(r"[^.!?]*[.!]\s*")


# "…, and snils", "…, а дата рождения": a new question starts after the value.
_NEXT_QUESTION = re.compile(
    r"\W*(and|also|now|next|then|plus|what about|how about|и|а|ещ[её]|теперь|также|плюс)\b",
    re.IGNORECASE,
)


def _after_trailer(question: str) -> str:
    """``question``, said after a value, without the words that close that value's sentence."""
    if _NEXT_QUESTION.match(question):
        return question
    trailer = _TRAILER.match(question)
    if trailer:
        # "10 percent, I just need his date of birth to apply it.": a request said in the
        # value's sentence, after a comma, is a question of its own.
        request = _REQUEST_IN_SENTENCE.search(question, 0, trailer.end())
        return question[request.start() if request else trailer.end() :]
    return question if "?" in question or len(question) >= 25 else ""
