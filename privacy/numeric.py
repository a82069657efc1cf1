"""Numbers said as one value: PHONE, CARD, PASSPORT, SNILS and INN.

A number's kind comes from the nearest cue before it ("номер карты", "СНИЛС", "my number is")
and, without one, from its length and checksum. A card keeps its span when a digit was
misheard and the Luhn check fails; order, contract and tracking numbers, prices and the last
four digits of a card are no personal data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import phonenumbers
from stdnum import luhn
from stdnum.ru import inn as ru_inn

from privacy.cues import (
    CUES,
    DOCUMENT_KINDS,
    LANDLINE,
    cue_after,
    followed_by_unit,
    nearest_cue,
    opens_answer,
)
from privacy.lexicons import lexicon
from privacy.numbers import (
    ADDRESS_NUMBER,
    NumberRun,
    build_run,
    is_ordinal_word,
    number_runs,
    word_value,
)
from privacy.tokens import Token, tokenize
from privacy.types import NOTHING_BEFORE, LineBefore, Span

_JOINERS = {"номер", "number", "№", "no"}
_EN_PASSPORT = re.compile(r"\b[A-Z]{1,2}\s?\d{6,9}\b")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
_EN_PASSPORT_ALONE = re.compile(r"\b[A-Z]\d{8}\b")
_TOLL_FREE = ("8800", "7800", "1800", "1888", "1877", "1866", "1855", "0800", "0808")
_TOLL_FREE_SPOKEN = re.compile(r"(one[\s-]+)?eight[\s-]+hundred\b", re.IGNORECASE)
_SNILS_WRITTEN = re.compile(r"\d{3}-\d{3}-\d{3}[ -]\d{2}")
_PLUS = re.compile(r"(\+|\bплюс\s+|\bplus\s+)$", re.IGNORECASE)


def snils_valid(digits: str) -> bool:
    if len(digits) != 11 or not digits.isdigit():
        return False
    total = sum(int(d) * (9 - i) for i, d in enumerate(digits[:9]))
    check = total % 101 if total > 101 else total
    return (0 if check in (100, 101) else check) == int(digits[9:])


_LETTERS = re.compile(r"(?<![\w'’])([A-Za-z]{1,2}|[A-Z] [A-Z]|[a-z] [a-z]),?\s?$")
# A letter said before the prefix makes a longer code ("p a c x k n four four ..."); a country
# is no prefix ("a UK one, one two five ...").
_LETTER_BEFORE = re.compile(r"(?<![\w'’])[A-Za-z][\s,]*$")
_NO_PREFIX = {"UK", "US", "EU", "ID", "OK", "uk", "us", "ok", "id"}
_LETTER_AS_IN = re.compile(r"(?<![\w'’])([A-Za-z],? (as in|for) [A-Za-z]+,?\s+){1,2}$")
_SHORT_WORDS = lexicon("en_short_words")


def _spelled_letters(text: str, start: int) -> int:
    """How many letters were spelled "as in" a word right before ``start`` ("P as in Paul, R as
    in Robert, nine one ...": two)."""
    spelled = _LETTER_AS_IN.search(text[max(0, start - 50) : start])
    return len(re.findall(r" (as in|for) ", spelled.group())) if spelled else 0


def _letters_before(text: str, start: int) -> int:
    """Length of a passport's letter prefix said just before ``start`` ("P 4567...", "c as in
    charlie 0 3...")."""
    spelled = _LETTER_AS_IN.search(text[max(0, start - 50) : start])
    if spelled:
        return len(spelled.group())
    match = _LETTERS.search(text[max(0, start - 6) : start])
    if not match:
        return 0
    letters = match.group(1)
    window_start = max(0, start - 6) + match.start()
    if letters in _NO_PREFIX or _LETTER_BEFORE.search(text, max(0, window_start - 4), window_start):
        return 0
    # "So 912474033": a word said before the number, not a prefix.
    if (letters.islower() and letters in _SHORT_WORDS) or not (
        letters.isupper() or letters.islower()
    ):
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
    # Irish and Australian numbers: a trunk zero and nine digits ("oh eight seven, ...").
    if lang == "en" and n == 10 and digits[0] == "0" and digits[1] != "0":
        return True
    if lang == "ru" and n != 10:
        return False  # eleven digits not after 7 or 8 are a СНИЛС, not a foreign number
    if n > 11:
        return False  # a foreign number this long is said with its "+" (read above)
    if lang == "en" and n == 11 and digits[:2] not in ("79", "89"):
        return False  # no English number; of Russian ones only a mobile is said without "+"
    if lang == "en" and n == 11 and digits[:2] == "89":
        return True  # a Russian mobile with its trunk eight ("8 916 773 29 05")
    for region in ("RU",) if lang == "ru" else ("RU", "US", "GB"):
        try:
            number = phonenumbers.parse("+" + digits if n > 10 else digits, region)
        except phonenumbers.NumberParseException:
            continue
        if n >= 10 and phonenumbers.is_valid_number(number):
            return True
    return False


def _phone_said(run: NumberRun) -> bool:
    """Whether eleven digits after a 7 or an 8 are said as a phone: with the trunk digit apart
    ("8 207 ...") or dialling a Russian number ("его номер восемьсот двадцать, ...": 8 207 ...
    dials none, and a СНИЛС whose checksum holds is what was said)."""
    first = run.tokens[0]
    said_first = word_value(first.text) if first.is_word else None
    if (first.is_digits and len(first.text) == 1) or (said_first and said_first[0] in (7, 8)):
        return True
    return phonenumbers.is_valid_number(phonenumbers.parse("+7" + run.digits[1:]))


def _home_phone(digits: str, lang: str) -> bool:
    """Whether ten digits are a Russian phone number, or in an English call also a North
    American or an Indian one."""
    for region in ("RU", "US", "IN") if lang == "en" else ("RU",):
        try:
            number = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number) and (
            phonenumbers.region_code_for_number(number) in ("RU", "US", "CA", "IN")
            and (lang == "en" or phonenumbers.region_code_for_number(number) == "RU")
        ):
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
    # Series and number joined by "номер"; a travel passport's "семьдесят пять, номер ...".
    if run.joined and (n == 10 or (n == 9 and lang == "ru")) and cue in (None, "PASSPORT", "PHONE"):
        return "PASSPORT"
    # Groups as written in digits ("ноль восемь" is two words, not a 4 + 6 grouping).
    groups = [len(token.text) if token.is_digits else 0 for token in run.tokens]
    # Written in a document's own grouping: a passport's series and number ("4512 987654",
    # "45 12 987654"), a СНИЛС's "123 456 789 01".
    # (In an English call too: a Russian passport of someone who lives in Russia; no
    # English-speaking country writes a phone so.)
    if groups in ([4, 6], [2, 2, 6]) and cue in (None, "PASSPORT"):
        return "PASSPORT"
    # A travel passport's two digits and seven ("75 0123456").
    if lang == "ru" and groups == [2, 7] and cue in (None, "PASSPORT"):
        return "PASSPORT"
    # "9208 117 046", "4019 семьсот семьдесят один ноль ноль два": a series said as four digits.
    if lang == "ru" and n == 10 and groups[0] == 4 and run.tokens[0].is_digits and cue is None:
        return "PASSPORT"
    # (In an English call only when its checksum holds.)
    if (
        groups == [3, 3, 3, 2]
        and cue in (None, "SNILS", "CARD")
        and (lang == "ru" or snils_valid(digits))
    ):
        return "SNILS"
    if cue == "SNILS" and n == 11:
        return "SNILS"
    if cue == "INN" and n in (10, 12):
        return "INN"
    # A Russian travel passport is nine digits ("загран 76 0392175"); a foreign guest's
    # passport in a Russian call has seven to nine ("паспорт номер e четыре пять восемь ...").
    if cue == "PASSPORT" and (
        n == 10 or (lang == "ru" and 7 <= n <= 9) or (lang == "en" and 6 <= n <= 10)
    ):
        return "PASSPORT"
    # "G K five five eight two nine one", "P A, zero nine three...": letters, then digits
    # (a letter glued to a short number is a stock code: "T21-4456").
    letters = _letters_before(run.before, len(run.before)) if lang == "en" else 0
    if letters and (8 <= n <= 9 or (6 <= n <= 7 and run.before[-1:] in (" ", ","))):
        return "PASSPORT"
    if cue == "CARD" and 13 <= n <= 19:
        return "CARD"
    if n == 16 or (n == 15 and digits[:2] in ("34", "37")):
        return "CARD"
    # Fifteen digits are an American Express card; others that pass Luhn are a phone's IMEI.
    if 13 <= n <= 19 and n != 15 and luhn.is_valid(digits):
        return "CARD"
    mobile = digits[:2] in ("79", "89")
    # In an English call, eleven digits that pass the СНИЛС check and start as no American,
    # British or Russian mobile number does are a СНИЛС (one in a hundred numbers passes).
    russian = (
        lang == "ru" or cue == "SNILS" or (cue is None and digits[0] not in "01" and not mobile)
    )
    if (
        russian
        and n == 11
        and snils_valid(digits)
        and not ((cue == "PHONE" or mobile) and digits[0] in "78" and _phone_said(run))
    ):
        return "SNILS"
    if cue == "CARD" and n < 13 and not (n == 11 and mobile):
        return None  # a card still being dictated, not a phone
    # An organisation's ИНН said with no cue (the agent asked for it): ten digits whose
    # checksum holds and that no Russian, North American or Indian phone has ("7767648690" is in
    # Kazakhstan, "1659083018" in no dialling plan without its trunk zero).
    # (In an English call a trunk zero starts a phone: "0412 345 678" in Australia.)
    if (
        cue is None
        and n == 10
        and ru_inn.is_valid(digits)
        and not _home_phone(digits, lang)
        and not (lang == "en" and digits[0] == "0")
    ):
        return "INN"
    if _phone_like(digits, lang) or (cue == "PHONE" and _MOBILE.fullmatch(digits)):
        return "PHONE"  # (a Russian mobile in an English call: "call me, eight nine one six ...")
    if cue is None and n in (10, 12) and ru_inn.is_valid(digits):
        return "INN"
    if cue == "PHONE" and lang == "en" and (n == 7 or (10 <= n <= 12 and digits[0] == "0")):
        return "PHONE"
    # Said with no cue in the turn (the question was the agent's): a Russian ten-digit number
    # that is no phone and no organisation's ИНН is a passport; twelve digits are an ИНН with a
    # misheard digit.
    if cue is None and lang == "ru" and n == 10:
        return "PASSPORT"
    if cue is None and lang == "ru" and n == 12:
        return "INN"
    if lang == "en" and 7 <= n <= 9 and _letters_before(run.before, len(run.before)) > 0:
        return "PASSPORT"
    if cue is None and lang == "en" and n == 9:
        return "PASSPORT"
    if cue is None and lang == "ru" and n == 11:
        return "SNILS"
    return None


_LATIN_PREFIX = re.compile(r"\b[A-Z]{1,2}(\.\.\.|…|[\s,]|э+(-э+)*)*$")
_CODE_LETTERS = re.compile(r"[A-Za-zА-ЯЁа-яё]{1,4}-$")


def _join_passports(text: str, runs: list[NumberRun]) -> list[NumberRun]:
    """ "серия 4510 номер 123456" is one value: join a series, "номер" and a number; so is a
    travel passport's "семьдесят пять, номер ноль один два три четыре пять шесть"."""
    joined: list[NumberRun] = []
    for run in runs:
        sizes = (len(joined[-1].digits), len(run.digits)) if joined else (0, 0)
        # "номер будет вида ТГ-000-451": a code's letters glued to the number
        coded = _CODE_LETTERS.search(text, max(0, run.start - 5), run.start) is not None
        if sizes in ((4, 6), (2, 7)) and not coded:
            between = _ASIDE_WORDS.sub(" ", text[joined[-1].end : run.start].lower()).strip(" ,")
            # "номер... секунду, в обложке... 671 204", "записываете? номер 572 918", "...
            # она мне фотку присылала, листаю... нашёл. номер ...": an aside around "номер".
            aside = re.fullmatch(r"[^\d]{0,60}\b(номер|number)\b[^\d]{0,60}", between)
            if aside and nearest_cue(between, len(between)) in ("PHONE", "PASSPORT", None):
                between = "номер"
            if between in _JOINERS or (between == "" and sizes == (4, 6)):
                joined[-1] = joined[-1].then(run, joined=between != "")
                continue
        joined.append(run)
    return joined


# Between two pieces of one dictation: a pause ("девять два шесть... ноль ноль один") or a
# correction ("четыре три ноль три... нет, четыре три ноль два", "three one two... sorry").
# Groups read out as sentences ("five one oh five. six six eight four.") pause as well.
_PAUSE = re.compile(
    r"[\s,]*((э+(-э+)*|эм|ну|uh|um|er)\s*)?(\.\.\.|…|\.(?=\s))\s*"
    r"((э+(-э+)*|эм|ну|uh|um|er|щас|сейчас|так|и|и контрольное|контрольное)\s*(\.\.\.|…|,)?\s*)*"
)
_CORRECTION = re.compile(
    r"[\s.,…—–-]*((нет|а нет|ой|то есть|вернее|точнее|подождите|погодите|извините|простите|"
    r"sorry|no|wait|hang on|i mean|scratch that|strike that|uh|um|hmm+|э+(-э+)*)\b"
    r"[\s.,…!—–-]*)+",
    re.IGNORECASE,
)
# An aside between two pauses ("восемь девятьсот... записываете? ...двенадцать", "пять три один
# два... так... семь восемь") holds the dictation; a cue in it would start another value.
_ASIDE = re.compile(
    r"\s*(\.\.\.|…)\s*[^\d.…]{1,30}?(\.\.\.|…|\?)\s*"
    r"((okay|ok|so|right|alright|так|значит|ладно|ну),?\s*)?",
    re.IGNORECASE,
)
# Pauses and asides said between a passport's series and its number ("номер... секунду...").
_ASIDE_WORDS = re.compile(
    r"\.\.\.|…|\b(секунд[уоы]|секундочку|сейчас|щас|так|минутку|минуту|погодите|подождите|"
    r"э+|ну|вот|ага)\b"
)
# Words that take back what was just said; "wait" may also only hold it.
_TAKEN_BACK_WORDS = r"нет|ой|то есть|вернее|точнее|sorry|no|i mean"
_TAKEN_BACK = re.compile(rf"\b({_TAKEN_BACK_WORDS})\b", re.IGNORECASE)
_CORRECTION_WORD = re.compile(rf"\b({_TAKEN_BACK_WORDS}|wait)\b", re.IGNORECASE)
# Words that lead to the last digits of one value ("..., и контрольное ноль один", "..., and
# then oh one").
_LAST_PART = re.compile(
    r"[\s,.…]*(и\s+|and\s+)?(контрольн[а-я]*( число| цифры)?|последни[а-я]*( две| два| цифры)*|"
    r"в конце|at the end|"
    r"(the\s+)?last(\s+(two|digits?|ones?|bit|part))*(\s+(are|is))?|then)[\s,:]*|"
    # ("... and the last two are five two": the count of the digits left between.)
    r"[\s,.…]*(и\s+|and\s+)?(the\s+)?(last|последни[ея])\s+"
    r"(two|three|four|digits?|ones?|две|два|три|четыре|цифры)(\s+(are|is|digits|цифры))?[\s,:]*",
    re.IGNORECASE,
)
_HOW_MANY_LEFT = re.compile(r"\b(last|последни[ея]|оставши[ея]ся)\s+$", re.IGNORECASE)
_AND_LAST_TWO = re.compile(r"[\s,.…—–-]*\b(и|and)\s+", re.IGNORECASE)
# A hesitation without a pause mark ("seven oh two uh five five five") only holds the number.
_HESITATION = re.compile(
    r"[\s,]*\b(uh|um|er|hmm+|like|э+(-э+)*|эм|м+|ну|щас)\b[\s,]*", re.IGNORECASE
)
# An aside after a comma, closed by a comma, a question or a pause ("four two seven six, сейчас
# очки найду, four six ...", "..., hang on, the light's bad, nine two ...", "... двадцать шесть,
# записываете? четыреста один", "..., hang on, it's in my wallet... two two ...").
_COMMA_ASIDE = re.compile(r"\s*,\s*[^\d.…]{1,80}?([,?]|\.\.\.|…)\s*")
# Words that take up the reading again after an aside ("..., не помню ещё... вот: ...").
_THEN_ON = (
    r"((вот|так|okay|ok|so|right|ну|значит|ладно|here|ага|угу|yeah|yep|yes|всё|нашёл|нашла|"
    r"дальше|sorry|извините|простите|номер|number)[,:.]?\s*)*"
)
# "... someone's at the door... okay sorry, six six three one": an apology for the pause as
# the reading goes on takes nothing back.
_RESUMING_SORRY = re.compile(
    r"((\.\.\.|…|,)[^\d.…]+(\.\.\.|…))\s*((okay|ok|right|so|вот|так|всё)[,.]?\s+)*"
    r"(sorry|извините|простите)[,.]?\s*$",
    re.IGNORECASE,
)
# A pause, then an aside closed by a comma ("один два три... так, плохо видно, один два
# девять").
_PAUSE_ASIDE = re.compile(r"\s*(\.\.\.|…)\s*[^\d.…]{1,30}?,\s*" + _THEN_ON)
# A longer aside between two pauses, said why ("... hang on, I'm reading it upside down ...").
# (Or with no pause before it: "2202 1494 секунду, очки надену... 7004 9161".)
# ("... жена зовёт, секунду... всё, тут. ноль девять один": a short sentence of its own takes
# the reading up.)
_LONG_ASIDE = re.compile(
    r"\s*(\.\.\.|…|,)?\s*[^\d.…]{1,100}?(\.\.\.|…|[!?]\.\.)\s*"
    + _THEN_ON
    + r"([^\d.…!?]{1,20}[.:]\s+)?"
)
# Why the reading stopped: both an aside's words and an excuse that holds the dictation.
_WHY_STOPPED = (
    r"новый|не помню|наизусть|уроню|палец|стёрл|стерл|don't remember|by heart|baby|blurry|"
    r"it's on my|it's in my"
)
_ASIDE_VOCABULARY = re.compile(
    r"hang on|hold on|wait|sorry|a sec|moment|let me|light|glasses|writing|getting this|yelling|"
    r"записыва|записал|успева|сейчас|щас|секунд|минут|очки|так\b|подождите|погодите|гляну|найду|"
    r"видно|can't see|wallet|purse|кошел|достан|photo|фото|one sec|reading|upside|faded|мелко|"
    rf"\bkids?\b|сумк|темно|не трогай|new number|bag|{_WHY_STOPPED}",
    re.IGNORECASE,
)
# A phone named in an aside as a device ("hang on, new phone, I always forget it...").
_PHONE_IN_ASIDE = re.compile(
    r"\b(new|old|work|other|my|this)\s+phone\b(?!\s+number)|"
    r"\b(друг(ой|ом)|рабоч(ий|ем)|нов(ый|ом)|мо(й|[её]м)|это(т|м))\s+телефон(е)?\b(?!\s+номер)",
    re.I,
)
# Why the reading stopped ("sorry, the light's bad", "sorry, lost my place"): the "sorry" then
# excuses a pause instead of taking the group back.
_EXCUSE = re.compile(
    r"light|lost my place|can't see|cannot see|glasses|upside down|faded|\bkids?\b|yelling|"
    rf"плохо видно|не видно|мелко|очки|сбил[асо]*|photo|{_WHY_STOPPED}",
    re.IGNORECASE,
)
# "sorry, the cat's on the keyboard", "ой, ребёнок": an excuse of three words or more (or
# "ой" and a word), with no number or word that takes a group back, says why the reading
# stopped.
_EXCUSE_OPENS = re.compile(r"\b(sorry|ой|извините|простите)\b[\s,]*", re.IGNORECASE)
_NO_EXCUSE_WORDS = frozenset({"no", "not", "нет", "не", "mean", "wait", "то", "вернее", "точнее"})


def _aside_between(between: str, named: str | None) -> bool:
    """Whether ``between`` two pieces is an aside that says why the reading stopped, after
    which the value goes on; ``named``: the kind the first piece was named as or asked for."""
    plain = _ASIDE.fullmatch(between) is not None
    if not plain and not (
        _COMMA_ASIDE.fullmatch(between)
        or _PAUSE_ASIDE.fullmatch(between)
        or _LONG_ASIDE.fullmatch(between)
    ):
        return False
    said_why = _excuse_said(between)
    if not plain and not (_ASIDE_VOCABULARY.search(between) or said_why):
        return False
    # ("hang on, new phone, I never remember it...": the device of the number said.)
    if nearest_cue(between, len(between)) not in (None, named) and not _PHONE_IN_ASIDE.search(
        between
    ):
        return False
    # ", sorry, " takes the group back: a correction, not an aside
    return (
        not _TAKEN_BACK.search(_RESUMING_SORRY.sub(r"\1", between))
        or _EXCUSE.search(between) is not None
        or said_why
    )


def _excuse_said(between: str) -> bool:
    opening = _EXCUSE_OPENS.search(between)
    if opening is None:
        return False
    words = re.findall(r"[^\W\d_]+(?:'[a-z]+)?", between[opening.end() :])
    fewest = 1 if opening.group(1).lower() == "ой" else 3
    return (
        len(words) >= fewest
        and _OWNS_A_SLIP.search(between) is None
        and not any(
            word.lower() in _NO_EXCUSE_WORDS or word_value(word) is not None for word in words
        )
    )


# ("ой, ошиблась", "sorry, wrong one": a slip owned, so what follows replaces the group.)
_OWNS_A_SLIP = re.compile(
    r"ошиб|перепут|неправильн|неверн|wrong|mistake|typo|scratch|"
    r"друг(ой|ая|ую) (карт|номер|паспорт)|other one",
    re.IGNORECASE,
)


# A letter code glued to the digits ("CLM-7730-2281-04", "GSI 4408 1123 97") names a claim or
# a product, not a phone.
_CODE_BEFORE = re.compile(r"\b(?!SMS\b)[A-Z]{2,}[-\s]?$")  # "We'll SMS 082 ...": a phone
_DOTTED_PHONE = re.compile(
    r"(?<![\d.])\(?\d{3}\)?\.\d{3}\.\d{4}(?!\d|\.\d)"
)  # a full stop may follow
_EN_PASSPORT_CODE = re.compile(r"\b[A-Z]{1,2}\d{5,8}[A-Z]\d?\b")
_MOBILE = re.compile(r"[78]9\d{9}|9\d{9}")
_POSTCODE_BEFORE_STREET = re.compile(
    r",?\s*((г\.|город)\s*)?[а-яё]+(-[а-яё]+)*,\s*(улица|ул\.|проспект|пр-т|переулок|пер\.|"
    r"шоссе|бульвар|набережная|площадь|микрорайон)",
    re.IGNORECASE,
)
_ZIP_PLUS_FOUR = re.compile(r"\d{5}-\d{4}")
# A passport number of letters and digits ("22AB41783", "C01X00T47"), or spelled one by one
# ("C 0 1 X 0 0 T 4 7"), after a passport's cue.
_MIXED_CODE = re.compile(r"\b(?=[A-Z\d]*[A-Z])(?=(?:[A-Z]*\d){3})[A-Z\d]{7,10}\b")
_EN_PASSPORT_MIXED = re.compile(_MIXED_CODE.pattern + r"|\b[A-Z\d](?:[ ,]+[A-Z\d]){6,9}\b")
# A passport spelled in words after its cue: "c zero one x zero zero t four seven".
_SPOKEN_SYMBOL = r"(?:[a-z]|zero|oh|one|two|three|four|five|six|seven|eight|nine|\d)"
_EN_PASSPORT_SPELLED = re.compile(
    rf"(?<!['’])\b{_SPOKEN_SYMBOL}(?:[\s,]+{_SPOKEN_SYMBOL}){{6,11}}\b", re.I
)
_EN_PASSPORT_TWO_LETTERS = re.compile(r"\b[A-Z]{2}\d{6,7}\b")
# "the number's", "number is": no word before "number" says whose ("routing number").
_BARE_NUMBER_CUE = re.compile(
    r"(^|[.,!?]|\b(the|my|his|her|your|its|their))\s+number('s| is)\b[^\d]*$", re.IGNORECASE
)
_EXPECTED = {"INN": (10, 12), "SNILS": (11,), "CARD": (15, 16), "PHONE": (10, 11)}


def _cue(text: str, run: NumberRun) -> str | None:
    """A cue before the number, else one right after it."""
    return nearest_cue(text, run.start) or cue_after(text, run.end)


def _cue_before(text: str, run: NumberRun, before: LineBefore) -> str | None:
    """The nearest cue before the number, or the kind it had when said in the line before
    (read back). A refusing cue said before another number is that one's ("$54.99 back to
    3759 104822 61307": a price, then the card read back), and one said further back than
    the words leading to the number is no name of it ("... in the application. I've corrected
    it to 157-329-884 02"); "your booking reference is 987 654 321" names it."""
    cue = nearest_cue(text, run.start)
    said = before.said.get(run.digits) or _said_with_a_slip(run.digits, before.said)
    if (
        said
        and cue not in (None, "NONE", said)
        and _SENTENCE_BETWEEN.search(text, max(0, run.start - 80), run.start)
    ):
        # "СНИЛС не нужен. 500127783091, ...": a cue of an earlier sentence names no value
        # read back in this one.
        return said
    if cue == "NONE" and said:
        if len(run.digits) >= 10 and run.digits in before.said:
            return said  # "чек на 7802419063": the ИНН just given, named by what it is for
        near = text[max(0, run.start - _NAMING_CHARS) : run.start]
        window = len(near) - max((m.end() for m in _DIGIT.finditer(near)), default=0)
        if nearest_cue(text, run.start, window) is None:
            return said
    return cue or said


def _of_records_named(text: str, run: NumberRun, cue: str | None) -> str | None:
    """Of a СНИЛС and an ИНН named together before a number, the one whose length it has
    ("add my SNILS and INN, ...: <eleven digits>"; "СНИЛС, ИНН я не помню. <eleven digits>")."""
    other = {"INN": "SNILS", "SNILS": "INN"}.get(cue or "")
    sizes = _ANSWER_SIZES["ru"]
    if other is None or len(run.digits) in sizes[str(cue)]:
        return cue
    if len(run.digits) not in sizes[other]:
        return cue
    near = text[max(0, run.start - 80) : run.start].lower()
    named = [match.end() for match in CUES[other].finditer(near)]
    if named and not _DIGIT.search(near, named[-1]):
        return other
    return cue


def _bare_number_as_asked(
    text: str, run: NumberRun, cue: str | None, hint: str | None
) -> str | None:
    """ "... your baby's SNILS ..." - "And the baby?" - "his number is nine seven nine, ...": a
    bare "number" names the one record the line before asked for (``hint``), not a phone."""
    if cue != "PHONE" or hint not in DOCUMENT_KINDS:
        return cue
    near = text[max(0, run.start - 80) : run.start].lower()
    if _BARE_NUMBER_CUE.search(near) is not None and CUES["PHONE"].search(near) is None:
        return hint
    return cue


def _said_with_a_slip(digits: str, said: Mapping[str, str]) -> str | None:
    """The kind of a value of the line before that ``digits`` say again with a digit or two
    changed: a slip corrected ("no, the last bit is two nine. two three four ... six two
    nine"), or the wrong value on file ("у нас стоит 211 034 908 15")."""
    if len(digits) < 9:
        return None
    for value, kind in said.items():
        if (
            len(value) == len(digits)
            and sum(a != b for a, b in zip(value, digits, strict=True)) <= 2
        ):
            return kind
    return None


_SENTENCE_BETWEEN = re.compile(r"[.!?]\s+[^.!?]*$")
_TAKEN_BACK_NAME = re.compile(
    r"[\s.…,]*(\b(wait|no|sorry|нет|ой|стоп)\b[\s,.…!]*){1,3}"
    r"(that's|that is|it's|this is|это)\s+((my|мой|the|his|her)\s+)?",
    re.IGNORECASE,
)


def _taken_back_as(text: str, end: int) -> str | None:
    """The kind named when a number is taken back right after it ("..., wait, no, that's my
    SNILS")."""
    taken_back = _TAKEN_BACK_NAME.match(text, end)
    return cue_after(text, taken_back.end()) if taken_back else None


# How close before a number a refusing cue names it when the number was said before.
_NAMING_CHARS = 20


def _kind(text: str, run: NumberRun, lang: str, hint: str | None = None) -> str | None:
    """The kind of ``run`` by its cue, or by ``hint`` (the one kind the line before asked
    for) when it has none."""
    run.before = text[max(0, run.start - 12) : run.start]
    cue = _bare_number_as_asked(text, run, _cue(text, run), hint) or hint
    if _said_as_snils(text, run, cue):
        return "SNILS"
    if (
        lang == "en"
        and cue in (None, "PASSPORT")
        and 7 <= len(run.digits) <= 9
        and _spelled_letters(text, run.start)
    ):
        return "PASSPORT"  # "Z for zebra, four six eight... two nine one five"
    return _classify(run, cue, lang)


def _restarted(previous: NumberRun, run: NumberRun) -> NumberRun:
    """``run`` with its span starting where the abandoned attempt ``previous`` began."""
    sources = list(run.sources)
    sources[0] = (previous.start, sources[0][1])
    return NumberRun(
        tokens=previous.tokens + run.tokens, digits=run.digits, sources=sources, joined=run.joined
    )


_DIGIT = re.compile(r"\d")
_GROUP_BREAK = re.compile(r",|\.\.\.|…|\.\s|\s[—–]\s")


def _said_groups(text: str, run: NumberRun) -> list[int]:
    """How many digits each group of ``run`` has, the groups as said between commas and
    pauses ("one two six, three three nine, oh four eight, five one": 3, 3, 3, 2)."""
    sizes = [1]
    for (_, end), (start, _) in zip(run.sources, run.sources[1:], strict=False):
        if _GROUP_BREAK.search(text, end, start) or _SAID_DASH.search(text, end, start):
            sizes.append(1)
        else:
            sizes[-1] += 1
    return sizes


_SAID_DASH = re.compile(r"(dash|hyphen|space|тире|дефис|пробел)", re.IGNORECASE)


def _inn_said_alone(text: str, run: NumberRun, lang: str) -> bool:
    """Twelve digits with no cue in an English call that are no phone (a foreign one is said
    after its "+", a British or an Indian one starts with its code) and not in a card's
    groups of four, with no letters of a code before them: a person's ИНН ("so
    771546229803, twelve digits")."""
    return (
        lang == "en"
        and len(run.digits) == 12
        and not run.digits.startswith(("0", "1", "44", "91"))
        and 4 not in _said_groups(text, run)
        and not any(token.is_digits and len(token.text) == 4 for token in run.tokens)
        and _CODE_BEFORE.search(text, max(0, run.start - 6), run.start) is None
    )


def _said_as_snils(text: str, run: NumberRun, cue: str | None) -> bool:
    """Eleven digits said in a СНИЛС's groups of three, three, three and two: no phone of
    any country is said so (a slip of one digit fails the checksum, so it is not asked). A cue
    of "number" alone does not make them a phone ("her number one three oh, two nine five,
    seven seven one, oh four"), nor does "passport": no passport has eleven digits ("паспорт:
    сто сорок семь, двести два, триста девятнадцать, шестьдесят" is the СНИЛС by mistake)."""
    if len(run.digits) != 11:
        return False
    if cue not in (None, "SNILS", "PHONE", "PASSPORT"):
        return False
    near = text[max(0, run.start - 60) : run.start].lower()
    # ("her snils... hang on, she's sending it on whatsapp... okay, zero seven seven, ...": a
    # phone named as how the value came, after the СНИЛС.)
    if cue == "PHONE" and CUES["PHONE"].search(near) and not CUES["SNILS"].search(near):
        return False
    return _said_groups(text, run) == [3, 3, 3, 2]


def _group_breaks(text: str, tokens: list[Token]) -> list[int]:
    """Indexes of the tokens that begin a group after a comma or a pause."""
    return [
        index
        for index in range(1, len(tokens))
        if _GROUP_BREAK.search(text[tokens[index - 1].end : tokens[index].start])
    ]


def _last_group(text: str, run: NumberRun) -> str:
    """The digits of the group said last in ``run`` (after its last comma or pause; in words
    said without one, the last compound: "двести девяносто" of "восемь девятьсот семнадцать
    двести девяносто")."""
    tokens = run.tokens
    group_start = tokens[max([0, *_group_breaks(text, tokens)])].start
    group = "".join(
        digit
        for digit, (start, _end) in zip(run.digits, run.sources, strict=True)
        if start >= group_start
    )
    if len(group) > 4 and tokens[-1].is_word:
        group = run.digits[-_last_compound_size(run) :]
    elif len(group) > 4 and len(tokens[-1].text) <= 4:
        group = tokens[-1].text  # the last group written apart ("4276 3800 1234")
    return group


_ZERO_WORDS = {"ноль", "нуль", "zero", "oh", "o"}


def _last_compound_size(run: NumberRun) -> int:
    """How many digits the last compound of a run said in words holds ("двести девяносто"),
    with the zeros said before it ("ноль три", "ноль ноль два") as one group with it."""
    size = sum(1 for source in run.sources if source == run.sources[-1])
    zeros = 0
    for token in reversed(run.tokens[:-1]):
        if token.lower not in _ZERO_WORDS:
            break
        zeros += 1
    return min(size + zeros, len(run.digits))


def _first_compound_size(run: NumberRun) -> int:
    """How many digits the first compound of a run said in words holds ("тридцать семь"); a
    zero and the digit after it are one group ("ноль четыре двадцать один": 04)."""
    tokens = run.tokens
    if len(tokens) > 1 and tokens[0].lower in _ZERO_WORDS and tokens[1].lower not in _ZERO_WORDS:
        return min(2, len(run.digits))
    return sum(1 for source in run.sources if source == run.sources[0])


def _first_group(text: str, run: NumberRun) -> str:
    """The digits of the group said first in ``run`` (before its first comma or pause)."""
    tokens = run.tokens
    group_end = tokens[min([len(tokens), *_group_breaks(text, tokens)]) - 1].end
    if tokens[0].is_digits and 2 <= len(tokens[0].text) <= 4:
        group_end = tokens[0].end  # a group written apart ("1235 5678"), not one digit of it
    group = "".join(
        digit
        for digit, (_start, end) in zip(run.digits, run.sources, strict=True)
        if end <= group_end
    )
    said_first = word_value(tokens[0].text) if tokens[0].is_word else None
    if len(group) > 4 and said_first and (said_first[0] >= 10 or said_first[0] == 0):
        # In words said without a comma, the first compound ("тридцать семь двадцать один");
        # digits said one by one stay one group ("one oh oh oh five").
        group = run.digits[: _first_compound_size(run)]
    return group


def _repeated_group(text: str, previous: NumberRun, run: NumberRun) -> int:
    """How many digits at the start of ``run`` repeat the group said last in ``previous``
    ("seven three... uh, seven three two one", "ноль ноль один... ноль ноль один, сорок пять"):
    the speaker picked the dictation up again from that group."""
    group = _last_group(text, previous)
    if 2 <= len(group) < len(run.digits) and run.digits.startswith(group):
        return len(group)
    return 0


def _restated_size(before: str, after: str) -> int:
    """Digit by digit, with no group heard ("three three three three no sorry three three three
    two"): how many digits the correction takes back, where the digits said after it start as
    a group of up to four said before it did."""
    for size in (4, 3, 2):
        if len(before) > size and len(after) >= 2 and before[-size:][:2] == after[:2]:
            return size
    return 0


def _word_said_again(previous: NumberRun, run: NumberRun, digit: bool = False) -> NumberRun | None:
    """ "триста... триста сорок один", "шестьсот восемьдесят... девять... шестьсот восемьдесят
    девять": the word said last before the pause starts the piece after it again, which says
    the whole group. A digit said again (``digit``) only where the value's length says so."""
    last = previous.tokens[-1]
    if not (last.is_word and len(run.tokens) > 1 and run.tokens[0].lower == last.lower):
        return None
    value = word_value(last.text)
    if value is None or (value[0] < 10 and not digit):
        return None  # "...four nine nine... nine one three five": digits said one by one
    said_last = sum(1 for source in previous.sources if source == previous.sources[-1])
    if said_last >= len(previous.digits):
        return None
    return previous.without_last(said_last).then(run)


def _said_from_its_start(previous: NumberRun, run: NumberRun) -> bool:
    """ "семьсот двенадцать триста... семьсот двенадцать триста шестьдесят восемь": the piece
    before the pause said again from its first word and finished. Only for words of tens or
    hundreds ("five five five... five five five, one two three four" may be two groups)."""
    said = [token.lower for token in previous.tokens]
    again = [token.lower for token in run.tokens[: len(said)]]
    return (
        len(run.tokens) > len(said)
        and again == said
        and all(token.is_word for token in previous.tokens)
        and any((word_value(token.text) or (0, False))[0] >= 10 for token in previous.tokens)
    )


def _group_replaced(text: str, previous: NumberRun, run: NumberRun) -> NumberRun | None:
    """ "five five five, sorry, five five six, oh one nine four": the group said after a
    correction replaces the last one said before it."""
    size = len(_last_group(text, previous))
    first = len(_first_group(text, run))
    # "five four one nine, six six zero two, seven... sorry, eight one one three": a group of
    # four begun and said again whole.
    begun = size == 1 and first == 4 and (len(previous.digits) - 1) % 4 == 0
    restated = _restated_size(previous.digits, run.digits)
    if (size < 2 and not begun) or restated > size:
        # "тридцать ноль шесть... нет, тридцать ноль пять": the group said again from its
        # first two digits is longer than its last word.
        size = restated
    # The new group may be longer: "one nine, sorry, one eight three three"; an Amex's last
    # group has five digits ("one oh oh, sorry, one oh oh oh five").
    elif not size <= first <= (5 if len(previous.digits) - size == 10 else 4):
        return None
    if not (size >= 2 or begun) or size >= len(previous.digits):
        return None
    return previous.without_last(size).then(run)


def _went_back(text: str, previous: NumberRun, run: NumberRun) -> NumberRun | None:
    """ "seven eight four zero, two one five... five six... no, two one five, six six three":
    a false start after a group, taken back and the dictation picked up again from that group,
    which replaces it and all said after it."""
    breaks = _group_breaks(text, previous.tokens)
    if len(breaks) < 2:
        return None
    group_start = previous.tokens[breaks[-2]].start
    group = "".join(
        digit
        for digit, (start, _end) in zip(previous.digits, previous.sources, strict=True)
        if start >= group_start
    )
    size = len(group) - len(_last_group(text, previous))
    if not 2 <= size < len(run.digits) or not run.digits.startswith(group[:size]):
        return None
    return previous.without_last(len(group)).then(run)


_THOUSANDS = {"тысяч", "тысячи", "тысяча", "тысячу", "thousand"}


def _hundreds_completed(previous: NumberRun, run: NumberRun) -> NumberRun | None:
    """ "восемь девятьсот... записываете? ...двенадцать": hundreds said before a pause and the
    tens after it are one number (912, not 90012)."""
    last, first = previous.tokens[-1], run.tokens[0]
    if not (last.is_word and first.is_word):
        return None
    hundreds, tens = word_value(last.text), word_value(first.text)
    if not (hundreds and tens and hundreds[0] in range(100, 1000, 100) and tens[0] < 100):
        return None
    # "две тысячи двести... тринадцать сорок": the hundreds closed a compound of thousands.
    if len(previous.tokens) > 1 and previous.tokens[-2].lower in _THOUSANDS:
        return None
    said_first = sum(1 for source in run.sources if source == run.sources[0])
    value = str(hundreds[0] + int(run.digits[:said_first]))
    return NumberRun(
        tokens=previous.tokens + run.tokens,
        digits=previous.digits[:-3] + value + run.digits[said_first:],
        sources=previous.sources[:-3] + [(last.start, first.end)] * 3 + run.sources[said_first:],
    )


def _tens_completed(text: str, previous: NumberRun, run: NumberRun) -> NumberRun | None:
    """ "четыреста восемьдесят... э-э четыре": tens said before a hesitation and the unit
    after it are one number (484, not 4804)."""
    last, first = previous.tokens[-1], run.tokens[0]
    if not (last.is_word and first.is_word and _HESITATES.search(text, last.end, first.start)):
        return None
    tens, unit = word_value(last.text), word_value(first.text)
    if not (tens and unit and tens[0] in range(20, 100, 10) and 0 < unit[0] < 10):
        return None
    if sum(1 for source in run.sources if source == run.sources[0]) != 1:
        return None  # "восемьдесят... четырнадцать"
    return NumberRun(
        tokens=previous.tokens + run.tokens,
        digits=previous.digits[:-1] + run.digits,
        sources=previous.sources[:-1] + [(last.start, first.end)] + run.sources[1:],
    )


_HESITATES = re.compile(r"\b(э+(-э+)*|эм|uh|um|er)\b", re.IGNORECASE)


def _inn_goes_on(text: str, previous: NumberRun, run: NumberRun, hint: str | None) -> bool:
    """Ten digits said as an ИНН are an organisation's, unless two more follow the pause: a
    person's ИНН has twelve."""
    return (
        (_cue(text, previous) or hint) == "INN"
        and len(previous.digits) == 10
        and len(previous.digits) + len(run.digits) == 12
    )


def _paused_between(between: str) -> bool:
    return bool(_PAUSE.fullmatch(between) or _ASIDE.fullmatch(between))


def _paused_or_hesitating(between: str) -> bool:
    return bool(_PAUSE.fullmatch(between) or _HESITATION.fullmatch(between))


def _phone_goes_on(
    text: str, previous: NumberRun, run: NumberRun, lang: str, hint: str | None
) -> bool:
    """ "oh two oh, eight three oh oh... are you writing this down? ...four four one two": a
    short phone that a piece after a pause makes a full one."""
    if len(previous.digits) >= 10 or _kind(text, previous, lang, hint) != "PHONE":
        return False
    merged = previous.then(run)
    return 10 <= len(merged.digits) <= 11 and _kind(text, merged, lang, hint) == "PHONE"


def _card_goes_on(
    text: str,
    previous: NumberRun,
    run: NumberRun,
    between: str,
    hint: str | None,
    aside: bool = False,
) -> bool:
    """ "пять два ноль два... ноль шесть один три... четыре четыре восемь восемь... один семь
    три ноль": twelve digits pass for an ИНН until the last four make a card; ``aside``: the
    reading stopped for an aside ("шесть пять... ой, секунду, палец закрыл, ноль шесть")."""
    digits = previous.digits + run.digits
    if len(digits) != 16 or not (aside or _paused_or_hesitating(between)):
        return False
    cue = _cue(text, previous) or hint
    # "2202 2063 4418, э-э, 9075": four groups of four digits as a card is written.
    tokens = previous.tokens + run.tokens
    written = all(token.is_digits and len(token.text) == 4 for token in tokens)
    return cue == "CARD" or (cue is None and (luhn.is_valid(digits) or written))


def _join_dictation(
    text: str, runs: list[NumberRun], lang: str, before: LineBefore = NOTHING_BEFORE
) -> list[NumberRun]:
    """One value said in pieces: joined across a pause; after a correction, the span starts at
    the first attempt (pii-rules: a spoken sequence is one span from its first word).
    ``before``: the line before, whose one kind asked for is the kind of pieces said with no
    cue, and whose values, said again in pieces, are joined whole."""
    hint = _one_kind(before.asked, lang)
    asked = before.asked
    out: list[NumberRun] = []
    # "пять два один три... это первая... один два ноль один": an ordinal alone is a word of
    # an aside, not a piece of the number.
    # "and the last two are five two": how many digits are left is no piece either.
    runs = [
        run
        for run in runs
        if not (len(run.tokens) == 1 and run.ordinal)
        and not (len(run.digits) == 1 and _HOW_MANY_LEFT.search(text, 0, run.start))
    ]
    for run in _taken_back_apart(text, runs):
        if len(out) >= 2 and _not_this_but(text, out[-2], out[-1], run):
            # "..., девяносто один... ой, нет, не девяносто один, а девяносто семь, ноль восемь"
            taken_back = out.pop()
            kept = len(out[-1].digits) - len(taken_back.digits)
            # ("ноль семь, ой нет, не семь, ноль восемь": the zero before it said again.)
            if kept > 0 and out[-1].digits[kept - 1] == "0" and run.digits.startswith("0"):
                kept -= 1
            out[-1] = out[-1].without_last(len(out[-1].digits) - kept).then(run)
            continue
        joined = _one_value(text, out[-1], run, lang, hint, asked) if out else None
        if out and joined is None and _said_whole(text, out[-1], run, before.said):
            joined = out[-1].then(run)
        if joined is not None:
            out[-1] = joined
        else:
            out.append(run)
    return out


_NOT_THIS = re.compile(r"[\s,.…!]*((ой|нет|no|sorry|oh)[\s,.…!]*)*\b(не|not)\s+$", re.IGNORECASE)
_BUT_THIS = re.compile(r"[\s,]*(а|but|it's|it is)?[\s,]*", re.IGNORECASE)


def _named_in_an_earlier_sentence(text: str, start: int, asked: frozenset[str]) -> bool:
    """Whether the line before asked for personal data and the cue nearest before ``start``
    was said before the sentence it is in ("Телефон для связи?" - "заявку жена оставляла, со
    своего. Мой запишите, восемь девятьсот ..."), not in a question that the number answers
    ("КПП нужен? семьсот семьдесят три, ...")."""
    if not asked - {"NONE"}:
        return False
    ends = [match.end() for match in _SENTENCE_END.finditer(text, max(0, start - 80), start)]
    return bool(ends) and nearest_cue(text, start, start - ends[-1]) is None


_SENTENCE_END = re.compile(r"(?<!\.\.)[.!]\s+")


def _taken_back_apart(text: str, runs: list[NumberRun]) -> list[NumberRun]:
    """ "ноль семь, ой нет, не семь, ноль восемь": the group named after "не" read apart from
    the one said after its comma, which replaces it."""
    out: list[NumberRun] = []
    for run in runs:
        tokens = run.tokens
        if (
            out
            and len(tokens) > 1
            and _NOT_THIS.fullmatch(text, out[-1].end, run.start)
            and "," in text[tokens[0].end : tokens[1].start]
        ):
            first, rest = build_run(text, tokens[:1]), build_run(text, tokens[1:])
            if _not_this_but(text, out[-1], first, rest):
                out += [first, rest]
            else:
                out.append(run)
        else:
            out.append(run)
    return out


def _not_this_but(text: str, said: NumberRun, taken_back: NumberRun, run: NumberRun) -> bool:
    """ "двенадцать, ой, нет, не двенадцать, а двадцать один": the last group of ``said``
    named again after "не" and replaced by ``run`` after "а"."""
    return (
        said.digits.endswith(taken_back.digits)
        and len(taken_back.digits) < len(said.digits)
        # (the group said right and the rest, not the value said again from its start:
        # "сто шестьдесят... ой, нет, не шестьдесят, сто пятьдесят девять, ...")
        and said.digits[:3] not in run.digits
        and run.tokens[0].lower != said.tokens[0].lower
        and _NOT_THIS.fullmatch(text, said.end, taken_back.start) is not None
        and _BUT_THIS.fullmatch(text, taken_back.end, run.start) is not None
    )


def _one_kind(asked: frozenset[str], lang: str) -> str | None:
    """The one document or card asked for. Not a phone: a bare "номер?" asks for one, and a
    short piece of a phone being corrected would pass for a whole one; nor an English
    passport, whose six digits may be whole or the start of nine."""
    kinds = set(asked) & set(DOCUMENT_KINDS)
    if lang == "en":
        kinds.discard("PASSPORT")
    return next(iter(kinds)) if len(kinds) == 1 else None


def _said_whole(text: str, previous: NumberRun, run: NumberRun, said: Mapping[str, str]) -> bool:
    """ "два два ноль ноль три ноль ноль один... четыре пять пять шесть... семь семь один
    восемь": a value of the line before said again in pieces with pauses."""
    between = text[previous.end : run.start]
    return _paused_or_hesitating(between) and previous.then(run).digits in said


def _one_value(
    text: str,
    previous: NumberRun,
    run: NumberRun,
    lang: str,
    hint: str | None = None,
    asked: frozenset[str] = frozenset(),
) -> NumberRun | None:
    """``previous`` and ``run`` read as one value said in pieces, or None when they are two;
    ``hint``: the kind of a number said with no cue (the one the line before asked for);
    ``asked``: the kinds the line before asked for."""
    between = text[previous.end : run.start]
    if ADDRESS_NUMBER.search(text, max(0, previous.start - 12), previous.start):
        return None  # "квартира 32, ... а инн щас гляну... вот, семьдесят семь ...": a flat
    if previous.ordinal:
        return None  # "... пятьдесят шестого года рождения, СНИЛС щас...": a date's year
    # "..., семьсот восемьдесят девять, и шестьдесят четыре": a СНИЛС's last two after "и".
    and_last_two = _AND_LAST_TWO.fullmatch(between) is not None and (
        len(previous.digits),
        len(run.digits),
    ) == (9, 2)
    cue = _cue(text, previous)
    paused = bool(
        _PAUSE.fullmatch(between)
        or _HESITATION.fullmatch(between)
        or _LAST_PART.fullmatch(between)
        or and_last_two
        or _aside_between(between, cue or hint)
    )
    corrected = paused or _CORRECTION.fullmatch(between) is not None
    refused = cue == "NONE" and not _named_in_an_earlier_sentence(text, previous.start, asked)
    if not corrected or refused:
        return None
    previous_kind = _kind(text, previous, lang, hint)
    run_kind = _kind(text, run, lang, hint)
    unfinished = (
        previous_kind is None
        or _inn_goes_on(text, previous, run, hint)
        or _card_goes_on(text, previous, run, between, hint, paused)
        or (_paused_between(between) and _phone_goes_on(text, previous, run, lang, hint))
        # "..., seven eight nine, and then oh one": nine digits pass for a passport until the
        # last two make a СНИЛС.
        or (
            _LAST_PART.fullmatch(between) is not None
            and _kind(text, previous.then(run), lang, hint) is not None
        )
        or (and_last_two and _kind(text, previous.then(run), lang, hint) == "SNILS")
        # "passport five zero one two, three four eight... eight five one": seven digits pass
        # for a foreign passport until the last three make a series of four and a number of six.
        or (
            paused
            and (len(previous.digits), len(run.digits)) == (7, 3)
            and len(_first_group(text, previous)) == 4
            and (_cue(text, previous) or hint) == "PASSPORT"
        )
        # "..., eight oh five... two one": a СНИЛС's last two after a pause, its checksum
        # holding (nine digits alone pass for a passport).
        or (
            paused
            and (len(previous.digits), len(run.digits)) == (9, 2)
            and snils_valid(previous.digits + run.digits)
            and _kind(text, previous.then(run), lang, hint) == "SNILS"
        )
    )
    if not unfinished:
        # "... тридцать один пятьдесят... нет пятьдесят шесть", "... oh one nine... sorry, oh
        # one nine eight": a value already whole with its last group said again.
        taken_back = _TAKEN_BACK.search(between) is not None
        replaced = _group_replaced(text, previous, run) if taken_back else None
        if replaced is not None and run_kind is None and _kind(text, replaced, lang, hint):
            return replaced
        return _group_restated(text, previous, run, lang, hint) if paused else None
    if paused and _said_from_its_start(previous, run):
        return _restarted(previous, run)
    # The kind the value was named as, or the one the line before asked for (a "no record"
    # cue left here is of an earlier sentence and names nothing: "...his last parcel, so. one
    # three two...").
    named = _bare_number_as_asked(text, previous, None if cue == "NONE" else cue, hint) or hint
    again = _word_said_again(previous, run)
    # Unless only the two pieces as said make a whole value ("СНИЛС? ... семьсот шестьдесят...
    # шестьдесят шесть": 760 and 66).
    said_apart = previous.then(run)
    if (
        paused
        and again is not None
        and run_kind is None
        and not (_kind(text, said_apart, lang, hint) and _kind(text, again, lang, hint) is None)
    ):
        return again
    repeated = _repeated_group(text, previous, run)
    merged = previous.then(run, skip=repeated)
    if paused:
        merged = _hundreds_completed(previous, run) or merged
        tens = _tens_completed(text, previous, run)
        if tens is not None and _kind(text, merged, lang, hint) is None:
            merged = tens if _kind(text, tens, lang, hint) else merged
        restated = _group_restated(text, previous, run, lang, hint)
        if restated is not None and _kind(text, merged, lang, hint) is None:
            return restated
    if paused or _TAKEN_BACK.search(between):
        # "the inn is seven eight four one, oh six two, nine... nine five three, oh eight",
        # "five six seven, eight... no, eight nine oh": one digit too many for the kind named,
        # so the digit was said again.
        digit_again = _word_said_again(previous, run, digit=True)
        if (
            named is not None
            and digit_again is not None
            and _kind(text, merged, lang, hint) is None
            and _kind(text, digit_again, lang, hint) == named
        ):
            return digit_again
    # "oh eight two... five five seven, double three nine one": a trunk's zero and a code,
    # then the rest of the number (which alone would pass for a local one).
    if (
        paused
        and previous.digits.startswith("0")
        and len(previous.digits) <= 5
        and not run.digits.startswith("0")
        and _kind(text, merged, lang, hint) == "PHONE"
    ):
        return merged
    # A value dictated in groups with pauses ("5213... 0024... 6681... 9930") is joined group
    # by group while it may still grow into one.
    # A longer piece after the pause is a fresh start ("123... 132 456"), not a group.
    # A hesitation with no pause ("five five five five uh four four ...") holds it.
    growing = len(merged.digits) <= 16 and (
        len(run.digits) <= len(previous.digits) or _HESITATION.fullmatch(between) is not None
    )
    # A correction that picks up the last group again continues the dictation.
    if (paused or repeated) and run_kind is None and (_kind(text, merged, lang, hint) or growing):
        return merged
    # "семьдесят пять... ноль восемь тридцать три, сто семьдесят девять": a travel passport's
    # two digits, then its seven, which alone would pass for a foreign passport.
    if (
        paused
        and lang == "ru"
        and (len(previous.digits), len(run.digits)) == (2, 7)
        and _kind(text, merged, lang, hint) == "PASSPORT"
    ):
        return merged
    # "четыре четыре три один... ноль ноль восемь два, ...": the rest of a card after a
    # pause, though twelve digits alone would pass for an ИНН (unless an ИНН was asked for).
    # So are twelve digits after a first group of four that they do not start again ("четыре
    # четыре три один... подождите, очки надену... ноль ноль восемь два, ..."), a card with a
    # misheard digit.
    if (
        paused
        and len(merged.digits) == 16
        and (
            luhn.is_valid(merged.digits)
            or (len(previous.digits) == 4 and not run.digits.startswith(previous.digits[:2]))
        )
        and _cue(text, previous) in (None, "CARD")
    ):
        return merged
    replaced = _group_replaced(text, previous, run) if _CORRECTION_WORD.search(between) else None
    went_back = _went_back(text, previous, run) if _TAKEN_BACK.search(between) else None
    if (
        went_back is not None
        and run_kind is None
        and _kind(text, went_back, lang, hint) is not None
        and (replaced is None or _kind(text, replaced, lang, hint) is None)
    ):
        return went_back
    # A corrected group in a number still being dictated ("...сто двадцать три... ой нет
    # двести тридцать... сорок пять") goes on with it.
    if (
        replaced is not None
        and (
            run_kind is None
            # "4276 тридцать восемь... нет, 3800 1294 5570": the rest after the corrected group
            # would pass for a value of its own; a fresh start would say the first digits again.
            or (
                _kind(text, replaced, lang, hint) is not None
                and not run.digits.startswith(previous.digits[:2])
            )
        )
    ):
        return replaced
    # "СНИЛС ... ноль девять восемь... пять семь ноль, четыре один три": a longer piece that
    # does not say the first digits again goes on with a document still too short.
    if (
        paused
        and named in ("SNILS", "INN", "CARD", "PASSPORT")
        and len(merged.digits) < max(_EXPECTED.get(named, (10,)))
        and not run.digits.startswith(previous.digits[:2])
    ):
        return merged
    if len(previous.digits) < len(run.digits):
        return _restarted(previous, run)
    return None


def _group_restated(
    text: str, previous: NumberRun, run: NumberRun, lang: str, hint: str | None = None
) -> NumberRun | None:
    """ "... four four... four five one, six two", "... девяносто девять... девяносто восемь,
    двенадцать": after a pause the last group is said again from its first word, and the
    value it makes replaces it."""
    group = _last_group(text, previous)
    group_start = previous.sources[len(previous.digits) - len(group)][0] if group else -1
    first = next((token for token in previous.tokens if token.end > group_start), None)
    if first is None or first.lower != run.tokens[0].lower:
        return None
    replaced = _group_replaced(text, previous, run)
    if replaced is None or _kind(text, replaced, lang, hint) is None:
        return None
    return replaced


def _card_before_expiry(text: str, run: NumberRun) -> NumberRun | None:
    """ "4276 3800 1294 5561, 08/28", "..., пять пять шесть один, ноль восемь двадцать
    восемь": a card's sixteen digits in groups of four, then its expiry month (and year)."""
    if len(run.digits) not in (18, 20) or not "01" <= run.digits[16:18] <= "12":
        return None
    for end in range(len(run.tokens) - 1, 0, -1):
        card = build_run(text, run.tokens[:end])
        if len(card.digits) < 16:
            return None
        if (
            len(card.digits) == 16
            and (
                _said_groups(text, card) == [4, 4, 4, 4]
                or [len(token.text) for token in card.tokens] == [4, 4, 4, 4]
            )
            and _GROUP_BREAK.search(text, card.end, run.tokens[end].start)
        ):
            return card
    return None


def _trimmed(text: str, run: NumberRun, cue: str | None, lang: str) -> NumberRun | None:
    """The run less a word said before or after the value ("this one 41 22 ...", "...
    тридцать четыре, двенадцать цифр"), when what is left is the value its cue asks for."""
    tokens = run.tokens
    # A word said before the value, or a group said apart by a comma ("last group is 5100,
    # 5105 1051 0510 5100").
    apart = len(tokens) > 1 and "," in text[tokens[0].end : tokens[1].start]
    leading = tokens[1:] if tokens[0].is_word or apart else []
    parts = [tokens[:-1], tokens[:-2], leading]
    for part in [leading] + parts if apart else parts:
        if not part:
            continue
        sub = build_run(text, part)
        if not sub.digits or len(sub.digits) not in _EXPECTED.get(cue or "CARD", ()):
            continue
        sub.before = text[max(0, sub.start - 12) : sub.start]
        kind = _classify(sub, cue, lang)
        if kind is None:
            continue
        four_by_four = [len(t.text) for t in part] == [4, 4, 4, 4]
        card_like = len(sub.digits) == 16 and (luhn.is_valid(sub.digits) or four_by_four)
        if kind == cue or (cue is None and card_like):
            return sub
    return None


def _two_values(text: str, run: NumberRun, lang: str) -> list[Span]:
    """The run split at a comma or a pause into two values that each have a kind, or []."""
    for index in _group_breaks(text, run.tokens):
        parts = [build_run(text, run.tokens[:index]), build_run(text, run.tokens[index:])]
        kinds = [_kind(text, part, lang) for part in parts]
        if all(kinds):
            spans = []
            for part, kind in zip(parts, kinds, strict=True):
                start, end = part.offsets(0, len(part.digits))
                plus = _PLUS.search(text, max(0, start - 6), start)
                spans.append(
                    Span(plus.start() if plus and kind == "PHONE" else start, end, str(kind))
                )
            return spans
    return []


def _has_ordinal(run: NumberRun) -> bool:
    """A day said before a year ("thirtieth nineteen sixty four") is a date, not a number."""
    return any(is_ordinal_word(token) for token in run.tokens)


def _said_twice(run: NumberRun) -> bool:
    half = len(run.digits) // 2
    return len(run.digits) in (20, 22) and run.digits[:half] == run.digits[half:]


def _refused_before(text: str, start: int) -> bool:
    """Whether a cue of something that is no personal data was said shortly before."""
    return CUES["NONE"].search(text[max(0, start - 60) : start].lower()) is not None


def _without_word_before(text: str, run: NumberRun, asked: frozenset[str], lang: str) -> NumberRun:
    """ "I have one, 783 901 224 516": the run less a number word said before the answer and
    a comma, when only then it has the length of a kind asked for."""
    tokens = run.tokens
    if len(tokens) < 2 or not tokens[0].is_word or "," not in text[tokens[0].end : tokens[1].start]:
        return run
    rest = build_run(text, tokens[1:])
    if _answer_cue(run, asked, lang) is None and _answer_cue(rest, asked, lang) is not None:
        return rest
    return run


def _answer_cue(run: NumberRun, asked: frozenset[str], lang: str) -> str | None:
    """The one kind the line before asked for ("а серия и номер?") that a number said with no
    cue of its own has the length of."""
    if asked == {"NONE"}:
        return "NONE"
    fitting = [kind for kind in asked if len(run.digits) in _ANSWER_SIZES[lang].get(kind, ())]
    return fitting[0] if len(fitting) == 1 else None


_ANSWER_SIZES: dict[str, dict[str, Sequence[int]]] = {
    "ru": {
        "PASSPORT": (9, 10),
        "SNILS": (11,),
        "INN": (10, 12),
        "CARD": (15, 16),
        "PHONE": (10, 11),
    },
    "en": {
        "PASSPORT": range(6, 11),
        "SNILS": (11,),
        "INN": (10, 12),
        "CARD": (15, 16),
        "PHONE": range(7, 13),
    },
}


def _joined_runs(
    text: str, tokens: list[Token], lang: str, before: LineBefore = NOTHING_BEFORE
) -> list[NumberRun]:
    """The numbers of ``text``, each value said in pieces joined and its corrections made."""
    return _join_passports(text, _join_dictation(text, number_runs(text, tokens), lang, before))


def spoken_numbers(
    text: str, lang: str, before: LineBefore = NOTHING_BEFORE
) -> list[tuple[int, int, str]]:
    """The numbers said in ``text`` as this module reads them (after ``before``, which may
    say what was asked for): (start, end, digits) of each."""
    runs = _joined_runs(text, tokenize(text), lang, before)
    return [(run.start, run.end, run.digits) for run in runs]


_MOST_GROUPS = 8


def _in_written_date(text: str, run: NumberRun) -> bool:
    """Whether ``run`` is the day, month or year of a date written in digits."""
    return any(
        m.start() <= run.start and run.end <= m.end()
        for m in _DATE.finditer(text, max(0, run.start - 10), run.end + 10)
    )


def _read_back(text: str, run: NumberRun, said: Mapping[str, str]) -> list[NumberRun]:
    """ "4612 673091, 088-614-227 51, 503811402967", "12.05.2000, 142-231-056 39": values of
    the line before read back one after another run together; split them at the commas where
    the pieces are values said there, or, with no comma between them, at the words ("семьдесят
    пять четыре восемь один два три четыре пять девятнадцатое ноль седьмое": a passport, then
    a date). Otherwise the run as it is."""
    if not said or run.digits in said:
        return [run]
    # "..., сорок... нет, сорок пять": a value corrected as it was said is read as corrected,
    # not cut into the pieces of its words.
    if _said_with_a_slip(run.digits, said) and _TAKEN_BACK.search(text, run.start, run.end):
        return [run]
    tokens = run.tokens
    bounds = [0, *_group_breaks(text, tokens), len(tokens)]
    pieces: list[NumberRun] = []
    i = 0
    while i < len(bounds) - 1:
        # A value spans a few comma groups at most ("088-614-227 51" is four).
        for j in range(min(len(bounds) - 1, i + _MOST_GROUPS), i, -1):
            piece = build_run(text, tokens[bounds[i] : bounds[j]])
            if _is_said(piece.digits, said):
                break
        else:
            j = i + 1
            piece = build_run(text, tokens[bounds[i] : bounds[j]])
        pieces.append(piece)
        i = j
    if any(_is_said(piece.digits, said) for piece in pieces):
        return pieces
    return _said_first(text, run, said) or [run]


def _is_said(digits: str, said: Mapping[str, str]) -> bool:
    """Whether ``digits`` are a value of the line before, or one with a slip corrected
    ("4377 7200 1564 8830, пятнадцать шестьдесят четыре в серёдке")."""
    return digits in said or _said_with_a_slip(digits, said) is not None


def _said_first(text: str, run: NumberRun, said: Mapping[str, str]) -> list[NumberRun] | None:
    """The run cut after the value of the line before that its words begin with, when a date
    may follow it; the words after it kept as a run when they are long enough for a value of
    their own. None when it begins with no such value."""
    tokens = run.tokens
    if len(tokens) < 2:
        return None  # digits written as one ("721944608211156") are cut by no word
    for value in said:
        # Its first digits at least: its last word may join the next ("сорок девятое" is 49).
        if len(value) >= len(run.digits) or run.digits[:4] != value[:4]:
            continue
        # The words that say it: "триста" makes 300 until "сорок" makes it 340, so a few
        # words past its length are read too.
        cut = next(
            (
                j
                for j in range(2, min(len(tokens), _MOST_WORDS))
                if build_run(text, tokens[:j]).digits == value
            ),
            None,
        )
        if cut is None:
            continue
        piece, rest = build_run(text, tokens[:cut]), tokens[cut:]
        digits_after = len(run.digits) - len(value)
        # Two or three digits more finish the value itself (the line before ended it short);
        # a day said as an ordinal, or four digits or more, may be a date of its own.
        if digits_after < 4 and not any(is_ordinal_word(token) for token in rest):
            return None
        after = build_run(text, rest)
        return [piece, after] if len(after.digits) >= _SHORTEST_VALUE else [piece]
    return None


def _date_said(run: NumberRun) -> bool:
    """Whether ``run`` is a day, a month and a four-digit year said as numbers ("fifteen, zero
    eight, nineteen eighty-five")."""
    digits = run.digits
    if len(digits) != 8:
        return False
    day, month, year = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    return 1 <= day <= 31 and 1 <= month <= 12 and 1900 <= year <= 2030


def _record_read_back(code: str, before: LineBefore) -> bool:
    """Whether the digits of ``code`` were said as a record in the line before ("order ID is
    M Q seven seven three ..." - "MQ7731904, ...")."""
    return before.said.get("".join(ch for ch in code if ch.isdigit())) == "NONE"


_LANDLINE_CUE = re.compile(LANDLINE, re.IGNORECASE)
# A value read back is said in a few words more than its digits ("one one two" is three words,
# "сто двенадцать" two).
_MOST_WORDS = 24
# Fewer digits than this make a date or an amount, not a phone, card or document number.
_SHORTEST_VALUE = 9


def detect_numbers(
    text: str, tokens: list[Token], lang: str, before: LineBefore = NOTHING_BEFORE
) -> list[Span]:
    """``before``: what the line before said and asked for. A number said with no cue of its
    own that was said there is read back and keeps its kind; the first one (or one after an
    answer) answers its question."""
    spans: list[Span] = []
    answered: set[str] = set()  # the kinds asked for that this line's numbers answered
    answer_end = -1
    runs = _joined_runs(text, tokens, lang, before)
    runs = [piece for run in runs for piece in _read_back(text, run, before.said)]
    previous_end = 0
    for run in runs:
        # Written dates ("30.08.1993") are read as three runs; they are no value here, and an
        # answer said after one is still right after the answer before it.
        if _in_written_date(text, run) or run.ordinal or _has_ordinal(run):
            continue
        if run.tokens[-1].lower in _THOUSANDS:
            continue  # "П-3391, двести сорок тысяч": an amount closes the run
        if "BIRTHDATE" in before.asked and _date_said(run) and nearest_cue(text, run.start) is None:
            continue  # "And your date of birth?" - "Fifteen, zero eight, nineteen eighty-five."
        # A cue before the number, or the kind it had when said in the line before.
        cue = _cue_before(text, run, before)
        cue = _of_records_named(text, run, cue)
        cue = _bare_number_as_asked(text, run, cue, _one_kind(before.asked, lang))
        # "it ends in 5678, sorry, 4147 3800 1234 5678": a refusing cue speaks of the number
        # right after it, not of one said after that.
        record_read_back = _record_read_back(run.digits, before)
        if (
            cue == "NONE"
            and not record_read_back
            and _named_in_an_earlier_sentence(text, run.start, before.asked)
        ):
            cue = None  # a record of the sentence before names no answer
        if (
            cue == "NONE"
            and not record_read_back
            and nearest_cue(text, run.start, run.start - previous_end) is None
        ):
            cue = None
        if cue is None and before.asked:
            # The first number, or one right after an answer ("сорок пять ноль девять ..., и
            # сто двадцать ...": "паспорт и СНИЛС?" answered both). A long one may follow other
            # words and answers ("фамилия, имя, дата рождения, серия и номер"; "I'm a foreigner
            # but I have one, ..."); after an answer, the same kind may be said again ("мой ...,
            # а у мужа ..."). The question comes before a cue said after the number ("да 5469
            # 3800 1276 4410 договор на почту").
            opens_line = previous_end == 0 and (
                # ("Right, hang on, it's in the drawer... okay, one two five, ...")
                opens_answer(text, run.start, reach=60) or len(run.digits) >= 9
            )
            if opens_line or previous_end == answer_end:
                run = _without_word_before(text, run, before.asked - answered, lang)
                cue = _answer_cue(run, before.asked - answered, lang)
                # Not a correction of the answer: "46 15 873 402, no, sorry, 873 420".
                again = not _TAKEN_BACK.search(text, previous_end, run.start)
                if cue is None and previous_end == answer_end and again:
                    cue = _answer_cue(run, before.asked, lang)
            if cue is not None:
                answered.add(cue)
                answer_end = run.end
        # "Паспорт узбекский? ..." - "FA... э-э... ноль семь пять один, девять девять два": a
        # foreign passport's Latin letters, then its digits.
        foreign = lang == "ru" and cue is None and "PASSPORT" in before.asked
        prefix = (
            _LATIN_PREFIX.search(text, max(0, run.start - 20), run.start)
            if foreign and 6 <= len(run.digits) <= 9
            else None
        )
        foreign = prefix is not None
        if foreign:
            cue = "PASSPORT"
        answers_none = cue == "NONE" and answer_end == run.end
        taken_back_as = _taken_back_as(text, run.end)
        if taken_back_as is not None:
            # "And the INN is seven four three, ... oh nine... wait, no, that's my SNILS": the
            # speaker takes back the name said before the number.
            cue = taken_back_as
        elif cue is None or answers_none:
            # "six one three, five five five... no sorry, that's my phone number": what the
            # speaker says the number is beats what was asked for.
            cue = cue_after(text, run.end) or cue
        # "посылку отправить, получатель ..., 89051117043": a mobile number said well after
        # a cue of another kind is still a phone (not one given for a record asked for).
        if (
            cue == "NONE"
            and not answers_none
            and _MOBILE.fullmatch(run.digits)
            and nearest_cue(text, run.start, 25) is None
        ):
            cue = None
        if len(run.digits) >= 4:  # a value, not "ten digits"
            previous_end = run.end
        run.before = text[max(0, run.start - 12) : run.start]
        if _ZIP_PLUS_FOUR.fullmatch(text, run.start, run.end):
            continue  # "TX 76706-1145" closes an address
        if len(run.digits) == 6 and _POSTCODE_BEFORE_STREET.match(text, run.end):
            continue  # "344002, Ростов-на-Дону, улица ...": a postcode opens an address
        glued = _CODE_LETTERS.search(text, max(0, run.start - 5), run.start)
        if glued and run.tokens[0].is_digits and cue != "PASSPORT":
            # "убыток номер У-2024-0783316": letters glued to the digits make a code ("Passport
            # is G-A-7-7-1-0-2-9" spells one).
            continue
        if lang == "en" and _TOLL_FREE_SPOKEN.match(text, run.start):
            continue  # "one eight hundred five five five ...": a company's free line
        kind = None if followed_by_unit(text, run.end) else _classify(run, cue, lang)
        card = _card_before_expiry(text, run) if cue in (None, "CARD") else None
        if card is not None:
            run, kind = card, "CARD"
        if kind is None and cue != "NONE":
            # "восемь, девятьсот, ноль четыре, семьсот, восемьдесят девять": commas as pauses
            slow = build_run(text, run.tokens, commas_split=False)
            slow.before = run.before
            # Not for a run whose pieces were corrected: its tokens hold the words taken back.
            as_said = all(
                any(start < token.end and token.start < end for start, end in run.sources)
                for token in run.tokens
            )
            if as_said and slow.digits != run.digits and not followed_by_unit(text, run.end):
                kind = _classify(slow, cue, lang)
                run = slow if kind else run
        if _PLUS.search(text, max(0, run.start - 6), run.start) and 11 <= len(run.digits) <= 13:
            kind = "PHONE"  # "+7 912 408-33-05": only a phone starts with a country code
        elif _SNILS_WRITTEN.fullmatch(text, run.start, run.end) and cue in (None, "PHONE"):
            kind = "SNILS"  # "126-558-903 41": written as only a СНИЛС is
        elif _said_as_snils(text, run, cue):
            kind = "SNILS"  # "one two six, three three nine, oh four eight, five one"
        if (kind is None and cue != "NONE") or (kind != cue and cue in ("INN", "SNILS", "CARD")):
            sub = _trimmed(text, run, cue, lang)
            if sub is not None:
                run, kind = sub, _classify(sub, cue, lang)
        # "мамин городской, 2 64 18 09": a landline said without its city's code.
        if (
            kind is None
            and lang == "ru"
            and len(run.digits) in (6, 7)
            and cue == "PHONE"
            and _LANDLINE_CUE.search(text, max(0, run.start - 30), run.start)
        ):
            kind = "PHONE"
        # "c as in charlie oh three oh oh five nine eight eight": a spelled letter and digits
        # are a document number.
        document_like = cue is None or (cue == "PHONE" and len(run.digits) < 10)
        if (
            kind is None
            and document_like
            and lang == "en"
            and 6 <= len(run.digits) <= 9
            and _spelled_letters(text, run.start) >= (1 if len(run.digits) >= 7 else 2)
        ):
            kind = "PASSPORT"
        # "five six four eight one zero two nine seven, and your INN, ...": a cue said after
        # the value that it cannot be is the next value's.
        if kind is None and cue not in (None, "NONE") and nearest_cue(text, run.start) is None:
            kind = _classify(run, None, lang)
        # "the number's five three eight, one two oh, seven four six": nine digits are no
        # phone in English; "number" alone asked for a document's.
        if (
            kind is None
            and lang == "en"
            and len(run.digits) == 9
            and cue == "PHONE"
            and not CUES["PHONE"].search(text[max(0, run.start - 80) : run.start].lower())
            and _BARE_NUMBER_CUE.search(text[max(0, run.start - 30) : run.start])
        ):
            kind = "PASSPORT"
        # "девяносто два восемнадцать, ноль семьдесят шесть, триста сорок пять": ten digits
        # said from a group of four are a passport's series and number; a phone starts with
        # its three-digit code.
        if (
            kind == "PHONE"
            and lang == "ru"
            and cue is None
            and len(run.digits) == 10
            and len(_first_group(text, run)) == 4
        ):
            kind = "PASSPORT"
        if kind is None and cue is None and _inn_said_alone(text, run, lang):
            kind = "INN"
        if kind is None and len(run.digits) > 16:
            # "+7 916 204-11-87, 07956 441208": two values said one after the other.
            pair = _two_values(text, run, lang)
            if pair:
                spans += pair
                continue
        if kind is None and _said_twice(run):
            # "oh four three one ... oh four three one ...": the same number said twice
            half = len(run.digits) // 2
            for first, last in ((0, half), (half, len(run.digits))):
                piece = NumberRun(
                    tokens=run.tokens,
                    digits=run.digits[first:last],
                    sources=run.sources[first:last],
                )
                piece.before = run.before
                if _classify(piece, cue, lang) == "PHONE":
                    spans.append(Span(*run.offsets(first, last), "PHONE"))
            continue
        if kind is None:
            continue
        start, end = run.offsets(0, len(run.digits))
        # "the reference number for this call is c s four eight ...": a code, not a passport.
        if kind == "PASSPORT" and cue != "PASSPORT" and _refused_before(text, start):
            continue
        if kind in ("PHONE", "CARD") and _CODE_BEFORE.search(text, max(0, start - 6), start):
            continue
        if kind == "PHONE" and start > 0 and text[start - 1] == "(":
            start -= 1
        plus = _PLUS.search(text, max(0, start - 6), start)
        if kind == "PHONE" and plus:
            start = plus.start()
        letters = _letters_before(text, start)
        if kind == "PASSPORT" and prefix is not None:
            start = prefix.start()
        elif kind == "PASSPORT" and letters and (lang == "en" or cue == "PASSPORT"):
            start -= letters
        spans.append(Span(start, end, kind))
    # "паспорт грузинский, 13AB45871": a foreign passport mixes letters and digits; read back
    # in the next line, it keeps its kind.
    for match in _MIXED_CODE.finditer(text):
        code_digits = "".join(ch for ch in match.group() if ch.isdigit())
        named = lang == "ru" and nearest_cue(text, match.start(), 60) == "PASSPORT"
        if named or before.said.get(code_digits) == "PASSPORT":
            spans.append(Span(match.start(), match.end(), "PASSPORT"))
    if lang == "en":
        for match in _EN_PASSPORT.finditer(text):
            if nearest_cue(text, match.start(), 40) == "PASSPORT":
                spans.append(Span(match.start(), match.end(), "PASSPORT"))
        for pattern in (_EN_PASSPORT_ALONE, _EN_PASSPORT_CODE):
            for match in pattern.finditer(text):
                if not _record_read_back(match.group(), before):
                    spans.append(Span(match.start(), match.end(), "PASSPORT"))
        for match in _EN_PASSPORT_MIXED.finditer(text):
            value = match.group()
            digits = sum(ch.isdigit() for ch in value)
            # A German passport mixes as many letters as digits ("C7H2N4K9R").
            if digits >= 3 and nearest_cue(text, match.start(), 60) == "PASSPORT":
                spans.append(Span(match.start(), match.end(), "PASSPORT"))
        for match in _EN_PASSPORT_SPELLED.finditer(text):
            symbols = re.split(r"[\s,]+", match.group().lower())
            letters = sum(len(symbol) == 1 and symbol.isalpha() for symbol in symbols)
            if (
                1 <= letters <= 5
                and len(symbols) - letters >= (5 if letters <= 3 else 3)
                and nearest_cue(text, match.start(), 60) == "PASSPORT"
            ):
                spans.append(Span(match.start(), match.end(), "PASSPORT"))
        # "So that's GK558291.": two letters and six or seven digits, said with no other cue.
        for match in _EN_PASSPORT_TWO_LETTERS.finditer(text):
            if nearest_cue(text, match.start()) in (
                None,
                "PASSPORT",
            ) and not _record_read_back(match.group(), before):
                spans.append(Span(match.start(), match.end(), "PASSPORT"))
        for match in _DOTTED_PHONE.finditer(text):
            if nearest_cue(text, match.start()) != "NONE":
                spans.append(Span(match.start(), match.end(), "PHONE"))
    return spans
