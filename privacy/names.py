"""Personal names: Russian from pymorphy3's name tags (Name, Surn, Patr grammemes) with rules,
English from the US census name lists of the ``names`` package with rules.

Adjacent name words are one span ("Иван Петрович", "Anna Lee"); honorifics stay outside.
Company, shop, bank and brand names, voice assistants and names inside a street name are not
names of people.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from privacy.numbers import _morph
from privacy.tokens import Token
from privacy.types import Span

_RU_CUE = re.compile(
    r"(зовут|фамилия|фамилию|имя|отчество|\bэто\b|господин|госпожа|\bип\b|менеджер|"
    r"оператор|специалист|уважаемый|уважаемая|спасибо|здравствуйте|\bдобрый день)\W*$"
)
_EN_CUE = re.compile(
    r"(name is|name's|\bi'?m\b|\bi am\b|this is|speaking with|talking to|\bmr\.?|\bmrs\.?|"
    r"\bms\.?|\bmiss\b|\bdr\.?|surname|last name|first name|thank you|thanks|\bhi\b|hello|"
    r"\bdear\b|sir|madam|ma'am|ask for|spell)\W*$",
    re.IGNORECASE,
)
_NOT_PERSON_BEFORE = re.compile(
    r"(улиц[а-я]*|\bул|проспект[а-я]*|\bпр|пр-т|переул[а-я]*|\bпер|бульвар[а-я]*|площад[а-я]*|"
    r"шоссе|набережн[а-я]*|имени|\bим|проезд[а-я]*|\bооо|\bзао|\bоао|\bао|компани[а-я]*|"
    r"магазин[а-я]*|банк[а-я]*|салон[а-я]*|фирм[а-я]*|бренд[а-я]*|сервис[а-я]*|клиник[а-я]*|"
    r"яндекс|street|avenue|road|company|bank|store|shop|brand|\binc|\bllc|model|модел[а-я]*|"
    r"марк[аиу]|автомобил[а-я]*|машин[а-я]*|лад[аыу])\W*$",
    re.IGNORECASE,
)
_NOT_PERSON_AFTER = re.compile(
    r"^\W*(street|st\b|avenue|ave\b|road|rd\b|lane|drive|boulevard|inc\b|llc|ltd|corp|"
    r"bank|store|shop|motors|улиц|проспект|переул|бульвар|банк|маркет|групп)",
    re.IGNORECASE,
)
_ASSISTANTS = {"алиса", "маруся", "салют", "siri", "alexa", "cortana"}
_RU_STOP = {
    "марта",
    "мая",
    "мир",
    "слава",
    "роман",
    "вера",
    "надежда",
    "любовь",
    "лев",
    "роза",
    "май",
    "ума",
    "дина",
    "лада",
    "нина",
    "тима",
    "мила",
    "ангел",
    "зоя",
    "ника",
    "ага",
    "али",
    "дана",
}
_EN_STOP = {
    "will",
    "mark",
    "bill",
    "may",
    "june",
    "april",
    "august",
    "grant",
    "rose",
    "joy",
    "hope",
    "art",
    "guy",
    "jack",
    "frank",
    "sue",
    "pat",
    "ray",
    "dawn",
    "faith",
    "summer",
    "hunter",
    "chase",
    "max",
    "sunny",
    "page",
    "lane",
    "wade",
    "dean",
    "earl",
    "gay",
    "van",
    "young",
    "king",
    "long",
    "white",
    "black",
    "brown",
    "green",
    "gray",
    "grey",
    "said",
    "see",
    "sale",
    "case",
    "card",
    "love",
    "bank",
    "street",
    "way",
    "else",
    "ok",
    "okay",
    "number",
    "phone",
    "visa",
    "thank",
    "thanks",
    "yes",
    "no",
    "hi",
    "hello",
    "dear",
    "sir",
    "madam",
    "miss",
    "mister",
    "lord",
    "major",
    "general",
    "will",
    "don",
    "ben",
    "bob",
    "penny",
    "carol",
    "christian",
    "angel",
    "ivory",
    "royal",
    "star",
    "precious",
    "honey",
    "lucky",
    "dusty",
    "rusty",
    "sandy",
    "cherry",
    "ginger",
    "holly",
    "ivy",
    "iris",
    "daisy",
    "lily",
    "violet",
    "hazel",
    "pearl",
    "ruby",
    "amber",
    "crystal",
    "jewel",
    "autumn",
    "winter",
    "spring",
    "april",
    "january",
    "march",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "apple",
    "samsung",
    "tesla",
    "ford",
    "dell",
    "mercedes",
    "ferrari",
    "lincoln",
    "chevy",
    "jaguar",
    "amazon",
    "google",
    "alexa",
    "siri",
    "cortana",
    "wells",
    "an",
    "in",
    "do",
    "so",
    "to",
    "and",
    "can",
    "son",
    "man",
    "non",
    "tom",
    "ed",
}


@lru_cache(maxsize=1)
def _english_names() -> tuple[frozenset[str], frozenset[str]]:
    import names

    folder = Path(names.__file__).parent

    def read(*files: str) -> frozenset[str]:
        words: set[str] = set()
        for file in files:
            for line in (folder / file).read_text(encoding="ascii").splitlines():
                if line.strip():
                    words.add(line.split()[0].lower())
        return frozenset(words)

    return read("dist.male.first", "dist.female.first"), read("dist.all.last")


@lru_cache(maxsize=1)
def _english_stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | {
        "america",
        "london",
        "paris",
        "york",
        "jersey",
        "florida",
        "georgia",
        "virginia",
        "carolina",
        "dakota",
        "austin",
    }


@lru_cache(maxsize=65536)
def _ru_scores(word: str) -> tuple[float, float, float]:
    """Scores of a word being a first name, a surname and a patronymic."""
    name = surn = patr = 0.0
    for parse in _morph().parse(word):
        tag = parse.tag
        if "Name" in tag:
            name += parse.score
        if "Surn" in tag:
            surn += parse.score
        if "Patr" in tag:
            patr += parse.score
    return name, surn, patr


def _sentence_start(text: str, token: Token) -> bool:
    before = text[max(0, token.start - 4) : token.start]
    return (
        token.start < 4 and not before.strip() or re.search(r"[.!?…:\-—]\s*$", before) is not None
    )


def _ru_kind(text: str, token: Token) -> str | None:
    """ "strong", "weak" or None for one Russian word."""
    word = token.lower
    if not re.fullmatch(r"[а-я]{2,}", word) or word in _ASSISTANTS:
        return None
    name, surn, patr = _ru_scores(word)
    if patr >= 0.5 or (name >= 0.5 and word not in _RU_STOP) or surn >= 0.6:
        return "strong"
    if name > 0 or surn > 0 or patr > 0:
        return "weak"
    return None


def _en_kind(text: str, token: Token) -> str | None:
    word = token.lower
    if not re.fullmatch(r"[a-z][a-z']+", word) or word in _ASSISTANTS:
        return None
    firsts, lasts = _english_names()
    if word in _EN_STOP or word in _english_stop_words():
        return "weak" if token.is_title and (word in firsts or word in lasts) else None
    if word in firsts:
        return "strong" if token.is_title or len(word) > 3 else "weak"
    if word in lasts:
        return "weak"
    return None


def _groups(text: str, tokens: list[Token], lang: str) -> list[list[tuple[Token, str]]]:
    kind_of = _ru_kind if lang == "ru" else _en_kind
    groups: list[list[tuple[Token, str]]] = []
    for token in tokens:
        if not token.is_word:
            continue
        kind = kind_of(text, token)
        if kind is None:
            continue
        adjacent = (
            groups
            and text[groups[-1][-1][0].end : token.start].strip() in ("", "-")
            and groups[-1][-1][0].end <= token.start
        )
        if adjacent:
            groups[-1].append((token, kind))
        else:
            groups.append([(token, kind)])
    return groups


def _accept(text: str, token: Token, kind: str, group_size: int, lang: str) -> bool:
    if kind == "strong":
        return True
    cue = _RU_CUE if lang == "ru" else _EN_CUE
    if cue.search(text[max(0, token.start - 30) : token.start].lower()):
        return True
    if group_size > 1:
        return True
    return token.is_title and not _sentence_start(text, token) and lang == "ru"


def detect_names(text: str, tokens: list[Token], lang: str) -> list[Span]:
    spans: list[Span] = []
    for group in _groups(text, tokens, lang):
        strong = [kind for _t, kind in group if kind == "strong"]
        members = [
            token
            for token, kind in group
            if _accept(text, token, kind, len(group) if strong else 1, lang)
        ]
        if not members:
            continue
        start, end = members[0].start, members[-1].end
        before = text[max(0, start - 25) : start]
        if _NOT_PERSON_BEFORE.search(before) or _NOT_PERSON_AFTER.search(text[end : end + 12]):
            continue
        if re.search(r"[«\"][^»\"]*$", before) or text[end : end + 1] in ("@", "»"):
            continue
        if text[end : end + 1] == "." and re.match(r"\.\w", text[end : end + 2]):
            continue
        spans.append(Span(start, end, "PERSON"))
    return spans
