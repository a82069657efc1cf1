"""Personal names: Russian from pymorphy3's name tags (Name, Surn, Patr grammemes) with rules,
English from the US census name lists of the ``names`` package with rules.

Adjacent name words are one span ("Иван Петрович", "Anna Lee"); honorifics stay outside.
Company, shop, bank and brand names, voice assistants, product and car models and names inside
a street name are not names of people. In a transcript with capitals, an English name is
capitalised; in an all-lowercase one, a first name that is also an English word ("patience")
needs a cue ("my name is").
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from pathlib import Path

from privacy.lexicons import lexicon
from privacy.numbers import morph_analyzer, word_value
from privacy.tokens import Token
from privacy.types import Span

_RU_CUE = re.compile(
    r"(?<!\w)(зовут|фамилия|фамилию|имя|отчество|\bэто\b|господин|госпожа|\bип\b|менеджер|"
    r"оператор|специалист|уважаем[а-я]+|спасибо|здравствуйте|добрый день|муж|жена|сын|"
    r"дочь|коллега|мастер|курьер|спросит[еь]|попросит[еь]|позовит[еь]|позвать)\W*$"
)
_EN_CUE = re.compile(
    r"(?<!\w)(name is|name's|\bi'?m\b|\bi am\b|this is|it's|\bits|speaking with|talking to|\bmr\.?|"
    r"\bmrs\.?|\bms\.?|\bmiss\b|\bdr\.?|surname|last name|first name|thank you|thanks|\bhi\b|"
    r"hello|\bdear\b|ask for|spell|agent|manager|colleague|husband|wife|son|daughter|friend|"
    r"partner|mother|father|mom|dad|brother|sister|technician|courier)\W*$",
    re.IGNORECASE,
)
# Honorifics and relations stay outside; the names after them are taken even when unknown.
_INTRO = re.compile(
    r"(?<!\w)(меня зовут|моя фамилия|фамилия|my name is|my name's|name's|i'm|this is|"
    r"(sur|last |first |middle )?name( is)?|surname|"
    r"\bmr\.?|\bmrs\.?|\bms\.?|\bdr\.?|agent|manager|colleague|husband|wife|son|daughter|"
    r"partner|technician|speaking with|talking to|ask for|calls? me|\bmiss|\bmister|"
    r"speaking to|speak to|through to|covering for|is this|\bhey|\bhiya|"
    r"муж|жена|сын|дочь|коллега)[^\w.!?]*$",  # "for my son. He's five": not across a sentence
    re.IGNORECASE,
)
# Cues after which a first name that is also an everyday word ("bill", "grant") is a name.
_NAMING = re.compile(
    r"(?<!\w)(my name is|my name's|name's|call me|calls me|ask for|speaking with|"
    r"first name( is)?)\W*$",
    re.IGNORECASE,
)
# Words naming a business, said before its name ("клиника Смирнова", "магазин «Петрович»").
_BUSINESS_WORDS = (
    r"\bооо|\bзао|\bоао|\bао|компани[а-я]*|магазин[а-я]*|банк[а-я]*|салон[а-я]*|фирм[а-я]*|"
    r"клиник[а-я]*|company|bank|store|shop"
)
# The same before a name the classifier found, with a few more that the rules' own names,
# found by their cues, need not fear.
_BUSINESS_BEFORE = re.compile(
    rf"({_BUSINESS_WORDS}|студи[а-я]*|агентств[а-я]*|clinic)[\s«\"]*$", re.IGNORECASE
)
_NOT_PERSON_BEFORE = re.compile(
    r"(улиц[а-я]*|\bул|проспект[а-я]*|\bпр|пр-т|переул[а-я]*|\bпер|бульвар[а-я]*|площад[а-я]*|"
    r"шоссе|набережн[а-я]*|имени|\bим|проезд[а-я]*|станиц[а-я]*|пос[её]л[а-я]*|\bсел[оаеу]|"
    r"деревн[а-я]*|город[а-я]*|\bг|хутор[а-я]*|\bаул[а-я]*|слобод[а-я]*|микрорайон[а-я]*)"
    r"\.?(\s+[А-ЯЁа-яё]+){0,2}\s*$|"
    rf"({_BUSINESS_WORDS}|бренд[а-я]*|сервис[а-я]*|яндекс|"
    r"brand|\binc|\bllc|model|модел[а-я]*|марк[аиу]|автомобил[а-я]*|машин[а-я]*|"
    r"\bthe|\ba|\ban|\bat|\bfrom|\bin|\bnear)[\s«\"]*$",
    re.IGNORECASE,
)
_NOT_PERSON_AFTER = re.compile(
    r"^\W*(street|st\b|avenue|ave\b|road|rd\b|lane|drive|boulevard|prospekt|prospect|inc\b|llc|"
    r"ltd|corp|"
    r"bank|store|shop|motors|sofa|couch|chair|table|bed\b|mattress|furniture|hotel|"
    r"collection|range|series|model|edition|brand|restaurant|cafe|agency|school|academy|"
    r"platform|storage|online|hotline|market\b|roofing|wines?\b|translations?\b|clinic|studio|"
    r"salon|cent(re|er)\b|services?\b|solutions|oblast|district|region\b|krai\b)|"
    # "Ben and Jerry's"; not "Ananya Iyer and father's name is ...".
    r"^\s+and\s+(?!(his|her|my|your|our|their|father|mother|wife|husband|son|daughter)'s)\w+'s\b|"
    # "Wilson & Sons Joinery", "Bob's Furniture Outlet": a business named after its owner.
    r"^\s*(&|and)\s+(sons|daughters|co)\b|^['’]s\s+([A-Z]\w+\s+){0,2}(outlet|store|shop|"
    r"furniture|garage|bakery|kitchen|diner|pub)\b|"
    # "Пушкина улица" names the street; "Орлова Светлана, улица Гоголя" names a person first.
    r"^\s+(улиц|проспект|переул|бульвар|банк|маркет|групп)",
    re.IGNORECASE,
)
# Capitalised words that belong to an address: after a house number ("1029 Via Del Mar",
# "2 Heol y Nant"), before a building's word ("Willow House", "Sai Krupa Apartments") or before
# a postcode or ZIP ("Sylvan Lake, Alberta, T4S 1X5", "Karve Nagar, Pune 411052").
_HOUSE_NUMBER_BEFORE = re.compile(
    r"\b\d+[A-Za-z]?,?\s+((via|calle|rue|boulevard|boul|avenida|heol|av)\s+)?$", re.IGNORECASE
)
_BUILDING_AFTER = re.compile(
    r"^\s+(House|Apartments?|Cottages?|Colony|Nagar|Court|Towers?|Mansions?|Estate|Industrial|"
    r"Heights|Residency|Villas?|Lodge|Manor|Farm|Crown)\b"
)
_POSTCODE_AFTER = re.compile(
    r"^(,?\s+[A-Z][\w.'-]*){0,3},?\s+([A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d|"
    r"[A-Z]{2,3}\s\d{4,5}|\d{5,6})\b"
)
# "Northgate Chevrolet, Curtis speaking", "Kia of Richmond, this is Jessie": a business
# answering the phone; "Mercedes-Benz of Walton": a business's place.
# How the one who answers goes on: "this is Jessie", "Curtis speaking".
_ANSWERER = r"this is|you're talking to|[A-Z][\w'-]+,?\s+(speaking|here)\b"
_CAPITALISED_WORDS = r"((\s+(of|and|&))?\s+[A-Z][\w'&-]*)"
# "Maguire Apiaries, export desk, Niamh here", "Kamchatka Wild Hunts, bookings, this is Yuri":
# the desk or department said between the business and the one who answers.
_DEPARTMENT = r"(,(\s+[A-Za-z]+){1,4})?"
_ANSWERING_AFTER = re.compile(
    # ("Big Dave's Boxes, you're speaking to Priya": a business named after its owner.)
    rf"^(['’]s{_CAPITALISED_WORDS}{{1,3}}|{_CAPITALISED_WORDS}{{0,3}}){_DEPARTMENT},\s*"
    rf"({_ANSWERER}|you're (speaking|through) (to|with))|"
    # "Southern Power and Gas, my name's Liam", "Harbourline Bank mortgage servicing, this is
    # Priya": a business of two words or more, its department said after it.
    rf"^(['’]s)?{_CAPITALISED_WORDS}{{1,3}}(\s+[a-z]+){{0,2}}{_DEPARTMENT},\s*({_ANSWERER}|it's|"
    r"my name's|my name is|you're (speaking|through) (to|with))"
)
# "Northgate Credit Union mortgage desk, Marc speaking": the same, the business's words being
# the span itself.
_DEPARTMENT_ANSWERING_AFTER = re.compile(
    rf"^(\s+[a-z]+){{1,2}},\s*({_ANSWERER}|it's|my name's|my name is)|"
    # "you're through to Evergreen Farewell Plans, my name's Siobhan"
    r"^,\s*(my name's|my name is|you're (speaking|through) (to|with))|"
    # "VeloExpress Kazan, hiring line, my name is Timur", "Plastinka Records, buy-in desk,
    # Gleb speaking"
    r"^,(\s+[a-z-]+){0,2}\s+(desk|line|office|department|team|support|bookings|reservations|"
    rf"sales|service|centre|center),\s*({_ANSWERER}|it's|my name's|my name is|you're "
    r"(speaking|through) (to|with))"
)
# "City Cars, Priya speaking": the name of the one who answers.
_ANSWERING_NAME = re.compile(r",?\s+(speaking|here)\b")
_BUSINESS_OF_BEFORE = re.compile(r"\b[A-Z][\w'-]+\s+of\s+$")
_INTERJECTIONS = {
    "ha",
    "hah",
    "haha",
    "hang",
    "hey",
    "cheers",
    "im",
    "hiya",
    "ooh",
    "whoa",
    "ta",
    "aww",
    "aw",
    "g'day",
    "gday",
}
_STREET_WORD = re.compile(
    r"\b(street|road|avenue|lane|drive|boulevard|court|place|terrace|close|crescent|square|"
    r"parkway|highway|way|row|mews|walk|hill|park|gardens|grove|prospekt|prospect|ulitsa|"
    r"pereulok|shosse|naberezhnaya|bulvar)$",
    re.IGNORECASE,
)
_RU_SURNAME_ENDING = re.compile(r"(ов|ев|ин|ын|ск|цк)(ий|ая|ой)$|(ова|ева|ина|ына)$")
# The holder of a card or a document, written as on the card ("ALEKSANDR VOLKOV") or not.
_HOLDER = re.compile(
    r"(держател[а-я]*|на имя|имя на карте|name on (the )?card( is)?|card ?holder( name)?( is)?|"
    r"holder( name)?( is)?)\W*$",
    re.IGNORECASE,
)
_HOLDER_WORD = re.compile(r"держател|на имя|имя на карте|holder|name on", re.IGNORECASE)
# A name spelled out letter by letter: "H A Y E S", "O-K-A-F-O-R", "r e y e s".
_SPELLED = re.compile(r"(?<![\w'’-])[^\W\d_](?:(?: |-)[^\W\d_](?![^\W\d_])){2,}")
# A middle initial between a first name and a surname: "Robert J. Kowalski", "luis e ramirez".
# "I" and "a" are an initial only with a full stop: "Linda I think" is no "Linda I. Think".
_INITIAL = re.compile(r"\s+(?:(?![IiAaЯя]\s)[^\W\d_]\.?|[IiAaЯя]\.)\s+")
_INITIAL_SURNAME = re.compile(r"\s+(?:(?![IiAa]\s)[A-Za-z]\.?|[IiAa]\.)\s+([A-Za-z][a-z'’-]{2,})\b")
_SPELLING_AN_ADDRESS = re.compile(
    r"латиниц|e-?mail|имейл|почт|логин|before the at|user ?name|login", re.IGNORECASE
)
_EMAIL_WORDS = re.compile(r"\b(dot|at|underscore|точка|собака)\b|@", re.IGNORECASE)
_NOT_ALONE = (None, "common", "common first")  # kinds that are no name without a naming cue
_HONORIFICS = {"mr", "mrs", "ms", "dr", "miss", "mister", "missus"}
# Not "miss", also a verb ("we'll miss Anna").
_HONORIFIC_BEFORE = re.compile(
    rf"\b({'|'.join(sorted(_HONORIFICS - {'miss'}))})\.?\s+$", re.IGNORECASE
)
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_ASSISTANTS = {"алиса", "маруся", "салют", "siri", "alexa", "cortana"}
_ASSISTANT_CONTEXT = re.compile(r"колонк|яндекс|станци|умн|assistant|speaker|echo", re.I)
_RU_STOP = lexicon("ru_not_names")
_BRANDS = lexicon("brands")
_RU_ABBREVIATIONS = lexicon("ru_abbreviations")
_EN_STOP = lexicon("en_not_names")
_NAME_WORDS = lexicon("en_name_words")  # "bill", "grant", "going"
_NAME_PLACES = lexicon("en_name_places")
_CLUSTER_NAMES = lexicon("en_cluster_names")  # "kenji", "arjun": people's names outside the census
_NATIONS = lexicon("en_nationalities")
_EVERYDAY = lexicon("en_everyday_words")  # "got", "im", "gonna": frequent, not in WordNet
_CYRILLIC = re.compile(r"[а-яё]")
# Months that are seldom first names (April, May, June and August often are).
_MONTHS = frozenset(
    ["january", "february", "march", "july", "september", "october", "november", "december"]
)
# Words an introduction or "я"/"зовут" never names (sets built once, not per word).
_NOT_INTRODUCED = _HONORIFICS | _NATIONS | _BRANDS | _ASSISTANTS
_RU_NOT_NAMED = _BRANDS | _RU_STOP  # "denver", "willow"; not "heather", "robert"


@lru_cache(maxsize=1)
def english_names() -> tuple[frozenset[str], frozenset[str]]:
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
def english_dictionary() -> frozenset[str]:
    """English dictionary words (WordNet's index in spacy-lookups-data) and stop words."""
    import spacy_lookups_data
    from spacy.lang.en.stop_words import STOP_WORDS

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_index.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        index = json.load(handle)
    words = {word for part in index.values() for word in part}
    return frozenset(words | set(STOP_WORDS))


@lru_cache(maxsize=1)
def _english_stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    relations = "husband wife son daughter friend partner mother father mom dad brother sister"
    return frozenset(STOP_WORDS) | frozenset(relations.split())


@lru_cache(maxsize=65536)
def _ru_scores(word: str) -> tuple[float, float, float, float, bool]:
    """Scores of a word being a first name, a surname, a patronymic and a place; known?"""
    name = surn = patr = geox = 0.0
    morph = morph_analyzer()
    for parse in morph.parse(word):
        tag = parse.tag
        if "Name" in tag:
            name += parse.score
        if "Surn" in tag:
            surn += parse.score
        if "Patr" in tag:
            patr += parse.score
        if "Geox" in tag or "Orgn" in tag:
            geox += parse.score
    return name, surn, patr, geox, morph.word_is_known(word)


def russian_name_score(word: str) -> float:
    """How likely a lowercase Russian word is a first name, surname or patronymic."""
    name, surn, patr, _geox, _known = _ru_scores(word)
    return max(name, surn, patr)


@lru_cache(maxsize=65536)
def _function_word(word: str) -> bool:
    """A pronoun, preposition, verb and the like: "моя" after "фамилия" is no surname."""
    top = morph_analyzer().parse(word)[0]
    return top.tag.POS in ("NPRO", "PREP", "CONJ", "PRCL", "VERB", "INFN", "ADVB", "INTJ", "PRED")


def _sentence_start(text: str, token: Token) -> bool:
    before = text[max(0, token.start - 4) : token.start]
    if token.start < 4 and not before.strip():
        return True
    return re.search(r"[.!?…:\-—]\s*$", before) is not None


def _ru_kind(text: str, token: Token, cased: bool) -> str | None:
    """ "strong", "weak" or None for one Russian word."""
    word = token.lower
    if not re.fullmatch(r"[а-я]{2,}", word) or word in _ASSISTANTS | _RU_ABBREVIATIONS:
        return None
    if cased and (token.text.isupper() or not token.is_title):
        return None  # ИНН, ОСАГО; a transcript with capitals writes names with one
    name, surn, patr, geox, known = _ru_scores(word)
    if known and name + surn + patr < 0.5 and _function_word(word):
        return None
    if geox >= max(name, surn, patr) and geox > 0:
        return "place"  # Ершов, Московская: a name only next to a first name
    if known and (patr >= 0.5 or (name >= 0.5 and word not in _RU_STOP) or surn >= 0.6):
        return "strong"
    if name > 0 or surn > 0 or patr > 0:
        return "weak" if known else "unknown"
    if cased and _RU_SURNAME_ENDING.search(word):
        return "unknown"  # "Ряжская Елена Михайловна": kept only beside a first name
    return None


def _en_kind(text: str, token: Token, cased: bool) -> str | None:
    word = token.lower.replace("'", "").replace("’", "")
    if cased and not token.is_title:
        return None
    if _CYRILLIC.search(word) or word in _ASSISTANTS or word in _BRANDS or word in _NATIONS:
        return None
    if word in _INTERJECTIONS:
        return None
    if token.text.isupper() and len(token.text) > 1:
        return None  # "SKU", "CVS": letters of a code or a company
    if not re.fullmatch(r"[a-z]{2,}", word):
        # "Joaquín", "Wiśniewska": Latin letters no English word has.
        return "rare" if word.isalpha() and len(word) >= 3 else None
    firsts, lasts = english_names()
    if word in _english_stop_words():
        return None
    if word in _CLUSTER_NAMES:
        return "strong" if cased else "weak"
    if word in _MONTHS:
        return None  # "It's March to May": a month, though March is a surname too
    if word in _EN_STOP:
        return "weak" if cased and (word in firsts or word in lasts) else None
    if word in firsts:
        if cased or not (word in _NAME_WORDS or word in _NAME_PLACES):
            return "strong"
        return "common first" if word in _NAME_WORDS else "weak"
    common = word in _NAME_WORDS or word in _NAME_PLACES
    if word in lasts:
        return "weak" if cased or not common else "common"
    return "rare" if _unknown_name(word) else None


def _groups(
    text: str, tokens: list[Token], lang: str, cased: bool
) -> list[list[tuple[Token, str]]]:
    kind_of = _ru_kind if lang == "ru" else _en_kind
    groups: list[list[tuple[Token, str]]] = []
    for token in tokens:
        if not token.is_word:
            continue
        kind = kind_of(text, token, cased)
        if kind is None:
            continue
        between = text[groups[-1][-1][0].end : token.start] if groups else ""
        adjacent = groups and (between.strip() in ("", "-") or _INITIAL.fullmatch(between))
        if adjacent:
            groups[-1].append((token, kind))
        else:
            groups.append([(token, kind)])
    return groups


# "Raymour and Flanigan", "Burnt Yates", "Mr Price": a capitalised word beside another one
# that is no name is part of a business or a place.
_CAPITALISED_AROUND = re.compile(r"(?<![.!?]\s)\b[A-Z][\w'-]*\s+((and|&)\s+)?$")
# "moving to Evanston", "departing Heathrow", "calling Barclays": a place or a business.
_PLACE_BEFORE = re.compile(
    r"\b(to|on|in|at|from|near|via|into|departing|calling|maybe|visit|our|your|of|or|"
    r"around|outside|towards|like),?\s+$",
    re.IGNORECASE,
)
_CAPITALISED_NEXT = re.compile(r"\s+(and\s+|&\s+)?[A-Z]")


def _place_like(text: str, token: Token) -> bool:
    """A word no list knows that is said as a place: after "to", "in", "departing", or in a
    list of capitalised parts ("Coolbawn, Nenagh", "Hoboken, New Jersey")."""
    before = text[max(0, token.start - 20) : token.start]
    return bool(
        _PLACE_BEFORE.search(before)
        or re.match(r",\s+[A-Z]", text[token.end : token.end + 3])
        or re.search(r"[a-z],\s+$", before)
        and re.search(r"\b[A-Z][\w'-]*,\s+$", before)
    )


_SENTENCE_BREAK = re.compile(r"[.!?]\s")


def _accept(
    text: str, token: Token, kind: str, group_size: int, lang: str, group_cue: bool, cased: bool
) -> bool:
    if kind == "strong":
        return True
    if kind == "common":  # "lee" in "my name is anna lee"
        return group_cue and group_size > 1
    if kind == "common first":  # "bill" after "call me", never "going" after "i'm"
        named = _NAMING.search(text[max(0, token.start - 20) : token.start])
        return (group_cue and group_size > 1) or named is not None
    if kind == "place" and group_size == 1:
        return False  # "это Татарстан выдавал", "это Москва": a place after a naming cue
    cue = _RU_CUE if lang == "ru" else _EN_CUE
    said = cue.search(text[max(0, token.start - 30) : token.start].lower())
    # "Thank you. Home address and ...": a cue that ends the sentence before names no word of
    # this one ("Mr. Pruitt": the abbreviation's dot is the cue's own).
    if said and not _SENTENCE_BREAK.search(said.group(), len(said.group(1))):
        return True
    if group_size > 1:
        return True
    # "I found it under Pruitt", "I'll call Tomasz": in a transcript with capitals, a
    # capitalised surname or a word no dictionary knows, said inside a sentence.
    if lang == "en" and kind in ("weak", "rare") and _ANSWERING_NAME.match(text, token.end):
        return True
    if (
        lang == "en"
        and cased
        and kind in ("weak", "rare")
        and not _sentence_start(text, token)
        and token.text[1:].islower()
        and not (kind == "rare" and _place_like(text, token))
        and token.lower not in english_dictionary()
        and token.lower not in _NAME_PLACES
        and not _CAPITALISED_AROUND.search(text[max(0, token.start - 20) : token.start])
        and not _CAPITALISED_NEXT.match(text, token.end)
    ):
        return True
    if kind in ("place", "unknown", "rare"):  # known to no list: a cue or a neighbour decides
        return False
    return token.is_title and not _sentence_start(text, token) and lang == "ru"


def _introduced(text: str, tokens: list[Token], cased: bool) -> list[Span]:
    """Names said right after "меня зовут", "my name is", "Mr." even when no list knows them."""
    spans = []
    for k, token in enumerate(tokens):
        if not token.is_word or not (token.is_title or not cased):
            continue
        if not _INTRO.search(text[max(0, token.start - 20) : token.start]):
            continue
        # "call me bill": a first name that is also a word, after a naming cue.
        named = _NAMING.search(text[max(0, token.start - 20) : token.start]) is not None
        named = named and token.lower in english_names()[0]
        if (token.lower in _EN_STOP and not named) or token.lower in _RU_STOP:
            continue
        if token.text.isupper():
            continue
        if token.lower in _NOT_INTRODUCED:
            continue  # "this is Mrs. Patterson": the name follows; "I'm Canadian"; "Hey Siri"
        if word_value(token.text) is not None or len(token.text) < 2:
            continue
        lowercase_word = not cased and token.text.isascii() and not _unknown_name(token.lower)
        if lowercase_word and not named and _en_kind(text, token, cased) in _NOT_ALONE:
            continue  # "i'm going"; but "call me bill"
        if _CYRILLIC.search(token.lower) and _ru_kind(text, token, cased) is None:
            continue  # "фамилия моя сидорова"
        end = _title_run_end(text, tokens, k)
        spans.append(Span(token.start, tokens[end - 1].end, "PERSON"))
    return spans


def _after_initial(text: str, end: int) -> int:
    """The end of a surname said after a middle initial ("patricia m delacroix"), or ``end``."""
    match = _INITIAL_SURNAME.match(text, end)
    if not match:
        return end
    word = match.group(1).lower()
    if word in _english_stop_words() or word in _NAME_WORDS or word.endswith(("ed", "ing")):
        return end
    return match.end()


@lru_cache(maxsize=65536)
def _unknown_name(word: str) -> bool:
    """A word no dictionary or name list knows, such as "gareth" or "oluwaseun": after "this is"
    or "my name is" in a lowercase transcript it is taken as a name."""
    if len(word) < 3 or not word.isalpha() or word in _EN_STOP or word in _english_stop_words():
        return False
    if word in _BRANDS or word in _EVERYDAY or _CYRILLIC.search(word):
        return False
    words = english_dictionary()
    stems = [word] + [
        word[: -len(end)] for end in ("ing", "ed", "s", "es", "ly", "er") if word.endswith(end)
    ]
    return not any(stem in words or stem + "e" in words for stem in stems)


def _title_run_end(text: str, tokens: list[Token], k: int) -> int:
    """The end (exclusive) of up to three capitalised words from ``k``, one space apart."""
    end = k + 1
    while (
        end < len(tokens)
        and end - k < 3
        and tokens[end].is_word
        and tokens[end].is_title
        and tokens[end].lower not in _WEEKDAYS  # "Dr. Klein Tuesday at four"
        and text[tokens[end - 1].end : tokens[end].start] == " "
    ):
        end += 1
    return end


_BUSINESS_REACHED = re.compile(
    r"(you've reached|welcome to|(thanks|thank you) for calling)\W*$",
    re.IGNORECASE,
)


def _is_person(text: str, start: int, end: int, members: list[tuple[Token, str]]) -> bool:
    before = text[max(0, start - 30) : start]
    after = text[end : end + 14]
    if _NOT_PERSON_BEFORE.search(before) or _NOT_PERSON_AFTER.search(after):
        return False
    if _BUSINESS_REACHED.search(before):
        return False  # "you're through to Evergreen Farewell Plans"
    if re.search(r"[«\"][^»\"]*$", before) or text[end : end + 1] in ("@", "»"):
        return False
    if re.match(r"\.\w", text[end : end + 2]):
        return False
    if _STREET_WORD.search(text[start:end]):
        return False
    if _in_address_or_business(text, start, end):
        return False
    next_word = re.match(r"\s+(\w+)", after)  # "Лада Веста"; not "Игорь Дмитриевич, камри"
    if any(t.lower in _BRANDS for t, _k in members) or (
        next_word and next_word.group(1).lower() in _BRANDS
    ):
        return False  # "Лада Веста", "Toyota Camry"
    assistant = any(t.lower.startswith(("алис", "марус", "siri", "alexa")) for t, _k in members)
    if assistant and _ASSISTANT_CONTEXT.search(text[max(0, start - 40) : end + 40]):
        return False
    # A surname alone after "на" or before a house number is a street: "на Пятницкой, 5".
    street = re.search(r"\b(на|по|с)\s+$", before, re.IGNORECASE) or re.match(r",?\s*\d", after)
    return not (street and _surnames_only([t for t, _k in members]))


def _surnames_only(words: list[Token]) -> bool:
    """Russian words that are no first name or patronymic ("Пятницкой", "Репина")."""
    return all(
        _CYRILLIC.search(t.lower) and _ru_scores(t.lower)[0] < 0.3 and _ru_scores(t.lower)[2] < 0.5
        for t in words
    )


# A house said right after a model's name, with nothing after it that makes a date or a phone
# of the number ("Репина, 12, наш бокс"; not "Сидоренко, 5 июня").
_HOUSE_AFTER = re.compile(r",\s*\d{1,3}[а-яa-z]?(?=\s*(,|$|кв|корп|к\b|стр|дом|офис))")


# A pronoun and a modal before a lowercase word make it a verb ("we will mark it", "I'll
# bill you"); "can anna come?" is a question to someone, so the pronoun is needed.
_VERB_BEFORE = re.compile(
    r"\b(i|we|you|they|he|she|it)(\s+(will|would|can|could|should|shall|must|might)|'ll|'d)\s+$",
    re.IGNORECASE,
)


def is_plausible_person(text: str, start: int, end: int, words: list[Token]) -> bool:
    """Whether the words ``text[start:end]``, found by something other than these rules, may
    be a person's name: not a street, a business, a brand, a place or an everyday word."""
    if _STREET_WORD.search(text[start:end]) or _NOT_PERSON_AFTER.search(text[end : end + 14]):
        return False
    if _in_address_or_business(text, start, end):
        return False
    before = text[max(0, start - 30) : start]
    if _BUSINESS_BEFORE.search(before):
        return False  # "клиника Смирнова": a business named after someone
    street_after_na = re.search(r"\b(на|по)\s+$", before, re.IGNORECASE) and re.match(
        r",?\s*(\d|дом\b|д\.)", text[end:]
    )
    if street_after_na and len(words) == 1 and re.search(r"(ина|ова|ева|ого)$", words[0].lower):
        return False  # "на Ленина, 5", "по Гагарина дом 5": a street named after someone
    if any(t.lower in _NOT_INTRODUCED or t.lower in _RU_ABBREVIATIONS for t in words):
        return False  # "German", "Яндекс Алиса", "Mr"
    if words[0].text.islower() and _VERB_BEFORE.search(before):
        return False  # "we will mark it as paid": a verb after a modal, not a name
    place_before = re.search(r"(\w+),\s+$", text[max(0, start - 30) : start])
    if place_before and _ru_scores(place_before.group(1).lower())[3] > 0.5:
        return False  # "Москва, Садовая": a street after its city
    alone = words[0] if len(words) == 1 else None
    if alone and _HOUSE_AFTER.match(text, end) and _surnames_only(words):
        return False  # "Репина, 12, наш бокс": a street named after someone, and its house
    last = words[-1].lower
    if len(words) > 1 and _NOT_PERSON_AFTER.match(" " + last + " ") and last not in _EVERYDAY:
        return False  # "Semya Market", "Leningrad oblast"
    if (
        len(words) > 1
        and last.endswith("s")
        and _common_english_word(last)
        and not _census_name(last)
    ):
        return False  # "Northwind Traders", "Greenleaf Rewards": a business's plural noun
    russian_around = _CYRILLIC.search(text[max(0, start - 80) : end + 80].lower()) is not None
    census = any(_census_name(t.lower) for t in words)
    for word in words:
        if alone and len(word.text) > 1 and word.text.isupper():
            return False  # "ГИБДД": an acronym
        if _CYRILLIC.search(word.lower):
            name, surn, patr, geox, known = _ru_scores(word.lower)
            if alone and geox > max(name, surn, patr):
                return False  # "Уфа", "Екатеринбург"
            everyday = known and max(name, surn, patr) < 0.3
            if everyday and (not word.is_title or (alone and _sentence_start(text, word))):
                return False  # "отметит", "хозяина", "Ждём вас" at a sentence's start
        elif russian_around and word.text.istitle() and not census:
            return False  # "Kugoo Kirin" in a Russian turn; not "Tamara Reznichenko", "TARAS"
        elif _common_english_word(word.lower) and (not word.is_title or alone):
            return False  # "sold", "grade", "Claws"
    # "issued at Ahmedabad", "beyond Coolbawn, Nenagh": said as a place, and no census name.
    return not alone or not (
        _PLACE_BEFORE.search(text[max(0, start - 20) : start])
        or (_place_like(text, alone) and not _census_name(alone.lower))
    )


def _census_name(word: str) -> bool:
    first, last = english_names()
    return word in first or word in last


def _common_english_word(word: str) -> bool:
    """A dictionary word that is no first name ("spaniel"; not "rose"); many are surnames too
    ("Grade", "Spaniel"), which only a naming cue makes names."""
    first, _last = english_names()
    if word in first or word in _CLUSTER_NAMES:
        return False
    words = english_dictionary()
    return word in words or (word.endswith("s") and word[:-1] in words)


def _in_address_or_business(text: str, start: int, end: int) -> bool:
    """English addresses and businesses around a capitalised span (Russian ones have their
    own cues: "улица", "салон", "ООО")."""
    if _CYRILLIC.search(text[start:end].lower()):
        return False
    before = text[max(0, start - 30) : start]
    after = text[end : end + 80]
    return bool(
        _HOUSE_NUMBER_BEFORE.search(before)
        or _BUILDING_AFTER.match(after)
        or _POSTCODE_AFTER.match(after)
        or _ANSWERING_AFTER.match(after)
        or (" " in text[start:end] and _DEPARTMENT_ANSWERING_AFTER.match(after))
        or _BUSINESS_OF_BEFORE.search(before)
        or after.startswith(("'am", "’am"))  # "Ma'am"
    )


def _holders(text: str, tokens: list[Token]) -> list[Span]:
    spans: list[Span] = []
    if not _HOLDER_WORD.search(text):
        return spans
    for k, token in enumerate(tokens):
        if not (token.is_word and token.is_title) or not _HOLDER.search(
            text[max(0, token.start - 30) : token.start]
        ):
            continue
        end = _title_run_end(text, tokens, k)
        spans.append(Span(token.start, tokens[end - 1].end, "PERSON"))
    return spans


def _spelled(text: str, tokens: list[Token]) -> list[Span]:
    """Letters spelling a name the lists know or a word said in the same turn, and that word:
    "Nguyen, N G U Y E N" is a name twice."""
    matches = list(_SPELLED.finditer(text))
    if not matches:
        return []
    firsts, lasts = english_names()
    spans = []
    for match in matches:
        word = re.sub(r"[ -]", "", match.group()).lower()
        if word in _NAME_WORDS or word in _english_stop_words():
            continue  # "b e s t" spelled for a code is no name
        if _SPELLING_AN_ADDRESS.search(text[max(0, match.start() - 40) : match.start()]):
            continue  # "первая часть латиницей m i l a": the e-mail's letters
        if _EMAIL_WORDS.search(text[max(0, match.start() - 15) : match.end() + 15]):
            continue  # "T-H-E-O, dot, B-L-A-C-K-W-O-O-D ... at outlook dot ie"
        outside = (t for t in tokens if t.end <= match.start() or t.start >= match.end())
        said = [t for t in outside if t.lower == word]
        if word in lasts or word in firsts or said:
            spans.append(Span(match.start(), match.end(), "PERSON"))
            spans += [Span(t.start, t.end, "PERSON") for t in said]
    return spans


# A name written in Latin capitals in a Russian call, as on a card or a travel passport:
# "TARAS PETRENKO", "SHAMSUTDINOVA ALSU".
_LATIN_CAPS_NAME = re.compile(r"\b[A-Z]{3,}(?:-[A-Z]{2,})?(?:\s+[A-Z]{3,}(?:-[A-Z]{2,})?){1,2}\b")
_TRANSLITERATED_SURNAME = re.compile(
    r"(OV|OVA|EV|EVA|IN|INA|KO|SKIY|SKII|SKAYA|SKAIA|YAN|IAN|UK|YUK|IUK|ENKO|DZE|SHVILI|AEV|AEVA)$"
)
# "я Хеда", "Умед зовут", "Лейсан это я": a word no dictionary knows, named by the turn.
_SELF_BEFORE = re.compile(r"(?<!\w)я,?\s+$", re.IGNORECASE)
_NAMED_AFTER = re.compile(r"^,?\s+(зовут|это я)\b", re.IGNORECASE)


def _ru_named_by_turn(text: str, tokens: list[Token], cased: bool) -> list[Span]:
    spans = []
    for match in _LATIN_CAPS_NAME.finditer(text):
        words = match.group().split()
        firsts = english_names()[0]
        brandish = any(word.lower() in _BRANDS for word in words)
        if not brandish and any(
            _TRANSLITERATED_SURNAME.search(word) or word.lower() in firsts for word in words
        ):
            spans.append(Span(match.start(), match.end(), "PERSON"))
    for token in tokens:
        if not token.is_word or not _CYRILLIC.search(token.lower) or len(token.text) < 3:
            continue
        if cased and not token.is_title:
            continue
        before = text[max(0, token.start - 4) : token.start]
        # Lowercase "я самозанятая" says what, not who: "я" names only a capitalised word.
        self_named = cased and _SELF_BEFORE.search(before)
        if not (self_named or _NAMED_AFTER.match(text[token.end :])):
            continue
        name, surn, patr, _geox, known = _ru_scores(token.lower)
        if (known and name + surn + patr < 0.3) or token.lower in _RU_NOT_NAMED:
            continue  # "я Москва", "это я"
        spans.append(Span(token.start, token.end, "PERSON"))
    return spans


def _first_and_surname(group: list[tuple[Token, str]]) -> bool:
    firsts, lasts = english_names()
    (first, first_kind), (last, last_kind) = group
    return (
        first.lower in firsts
        and last.lower in lasts
        and first_kind != "common first"
        and last_kind == "weak"
        and last.lower not in _NAME_WORDS
        and last.lower not in _NAME_PLACES
    )


def detect_names(text: str, tokens: list[Token], lang: str, cased: bool) -> list[Span]:
    """Names; ``cased``: whether the transcript capitalises words."""
    spans: list[Span] = []
    for group in _groups(text, tokens, lang, cased):
        strong = any(kind == "strong" for _t, kind in group)
        # "Chidi Okonkwo", "Bogdan Petrescu": two or more capitalised words in a row, one of
        # which no list knows; in lowercase one of them must be on a list ("bogdan ionescu").
        rare = any(k == "rare" for _t, k in group)
        strong = strong or (
            len(group) > 1 and rare and (cased or any(k == "weak" for _t, k in group))
        )
        first = group[0][0].start
        # "yes its lerato mokoena", "okay rosa martinez": two words said as a name after a
        # cue, or a census first name and a surname that is no everyday word.
        cue = _RU_CUE if lang == "ru" else _EN_CUE
        cued = bool(cue.search(text[max(0, first - 30) : first].lower()))
        strong = strong or (
            len(group) > 1 and (cued and all(k in ("weak", "rare") for _t, k in group))
        )
        strong = strong or (lang == "en" and len(group) == 2 and _first_and_surname(group))
        group_cue = bool(_INTRO.search(text[max(0, first - 20) : first]))
        members = [
            (token, kind)
            for token, kind in group
            if _accept(
                text, token, kind, len(group) if strong or group_cue else 1, lang, group_cue, cased
            )
        ]
        if not members:
            continue
        start, end = members[0][0].start, members[-1][0].end
        if lang == "en" and strong:
            end = _after_initial(text, end)
        if _is_person(text, start, end, members):
            spans.append(Span(start, end, "PERSON"))
    named = _ru_named_by_turn(text, tokens, cased) if lang == "ru" else []
    for span in _introduced(text, tokens, cased) + _holders(text, tokens) + named:
        # "Mrs. Ellison, 01328 581224": after an honorific a person, not a town before a ZIP.
        honoured = _HONORIFIC_BEFORE.search(text, max(0, span.start - 10), span.start)
        if honoured or _is_person(text, span.start, span.end, []):
            spans.append(span)
    return spans + _spelled(text, tokens)
