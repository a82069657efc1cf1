"""Street addresses: postcode, city said next to the street, street, house, корпус, flat or
unit, US state and ZIP or UK postcode. A street is required; a business's address (a shop, a
pickup point, a service centre) is no personal data."""

from __future__ import annotations

import re
from functools import lru_cache

from privacy.lexicons import lexicon
from privacy.names import english_dictionary, english_names, russian_name_score
from privacy.numbers import is_number_token, is_ordinal_word, morph_analyzer
from privacy.tokens import Token, tokenize
from privacy.types import Span

_RU_STREET = re.compile(
    r"^(улиц[а-я]*|ул|проспект[а-я]*|пр-т|пр|переул[а-я]*|пер|бульвар[а-я]*|б-р|шоссе|"
    r"набережн[а-я]*|наб|площад(ь|и|ью|ей|ям|ях|ями)|пл|проезд[а-я]*|тупик[а-я]*|алле[а-я]*|"
    r"микрорайон[а-я]*|мкр|мкрн|линия|линии|тракт(а|е|у|ом)?|квартал[а-я]*)$"
)
_RU_HOUSE = re.compile(
    r"^(дом(а|е|у|ом)?|д|корпус[а-я]*|корп|к|строени[а-я]*|стр|квартир[а-я]*|кв|литер[а-я]*|"
    r"лит|владени[а-я]*|вл|участ[а-я]*)$"
)
_EN_STREET = re.compile(
    r"^(street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|place|pl|way|"
    r"terrace|close|crescent|square|sq|parkway|pkwy|highway|hwy|circle|cir|grove|gardens|"
    r"row|mews|walk|hill|park|prospekt|prospect|ulitsa|pereulok|shosse|naberezhnaya)$"
)
_EN_UNIT = re.compile(
    r"^(apt|apartment|unit|suite|ste|flat|number|no|#|house|building|bldg|block|korpus|kv|"
    r"kvartira|dom|stroenie|plot|uchastok)$"
)
_EN_STATES = {
    "al",
    "ak",
    "az",
    "ar",
    "ca",
    "co",
    "ct",
    "de",
    "fl",
    "ga",
    "hi",
    "id",
    "il",
    "in",
    "ia",
    "ks",
    "ky",
    "la",
    "me",
    "md",
    "ma",
    "mi",
    "mn",
    "ms",
    "mo",
    "mt",
    "ne",
    "nv",
    "nh",
    "nj",
    "nm",
    "ny",
    "nc",
    "nd",
    "oh",
    "ok",
    "or",
    "pa",
    "ri",
    "sc",
    "sd",
    "tn",
    "tx",
    "ut",
    "vt",
    "va",
    "wa",
    "wv",
    "wi",
    "wy",
    "dc",
    "california",
    "texas",
    "florida",
    "illinois",
    "ohio",
    "washington",
    "oregon",
    "georgia",
    "virginia",
    "arizona",
    "colorado",
    "nevada",
    "utah",
    "massachusetts",
    "michigan",
    "minnesota",
    "pennsylvania",
    "tennessee",
    "kentucky",
}
_UK_POSTCODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b", re.IGNORECASE)
_BUSINESS = re.compile(
    r"(магазин|пункт[а-я]* выдачи|пвз|сервисн|офис|филиал|салон|склад|отделени|точк[а-я]* продаж|"
    r"юрадрес|юридическ[а-я]* адрес|наш адрес|"
    r"мы находимся|находимся|приходите|приезжайте|самовывоз|шоурум|центр[а-я]*|"
    r"ресторан|кафе|аптек|клиник|больниц|гостиниц|отел|клуб|clinic|hospital|hotel|restaurant|"
    r"dental|pharmacy|surgery|campus|meet (us )?at|"
    r"our (store|shop|office|branch|showroom)|store|shop|branch|"
    r"pickup|pick-up|service cent|showroom|we are located|we're located|located at|"
    r"visit us|\bour address(?! (in|on|for|changed|has changed|is now)\b)|warehouse|office|counter|"
    r"our service|контор[а-я]*|штрафстоянк|клиентск[а-я]* служб|ресепш[е]?н|находитесь|"
    r"locker|постамат|venue|ждём вас|ждем вас|ждём в|ждем в|баз[аеуы]\b|площадк)",
    re.IGNORECASE,
)
# Said of a shop ("we're at 12 High Street, come by") as often as of a home ("I'm his mum,
# and we're at 35 Brook Street, Apt 2"; "the sofa is supposed to come to 1427 Maple Grove
# Drive"): a business's address unless the speaker has spoken of themselves or a flat is said.
_BUSINESS_OR_HOME = re.compile(
    r"(we're at|we are at|we're on|we are on|(?<!to )come (in|to|by))\W*$", re.IGNORECASE
)
_SPEAKER_OWN = re.compile(
    r"\b(i'm|im|i live|my|me|mine|mum|mom|wife|husband|home|я|мой|моя|мне|меня)\b", re.IGNORECASE
)
_OWN_ADDRESS_CUE = re.compile(
    r"(привез|доставим|достав[кл]|отправ)[а-яё]*\s+([а-яё0-9]+\s+){0,2}по адресу|"
    r"адрес[а-я]* доставки|доставк[а-я]* на|привез[а-я]* на|ко мне|"
    r"my (house|home|place|flat|apartment)|ship (it )?to|deliver(ed)? (it )?to|send (it )?to|"
    r"\bhome(?: address)?(?: is|'s)\b|домашн[а-я]*",
    re.IGNORECASE,
)
_FLAT = re.compile(r"\b(apartment|apt|flat|квартир[а-я]*|кв)\b", re.IGNORECASE)
_RU_NAME_STOP = lexicon("ru_street_name_stop")


def _is_value(token: Token) -> bool:
    return is_number_token(token) or (token.is_word and len(token.text) == 1)


def _extend_right(tokens: list[Token], j: int, house: re.Pattern[str]) -> int:
    """Index after the last house, flat or number token from ``j`` on (or ``j``)."""
    last = first = j
    while j < len(tokens):
        token = tokens[j]
        if token.text in ",./-№#" or (token.lower in _SLASH_WORDS and last > first):
            j += 1
            continue
        if token.is_word and house.match(token.lower):
            j += 1
            continue
        # "квартира 4, ой нет, квартира 14": the corrected flat ends the address.
        if (
            token.lower in _REDO_WORDS
            and last > first
            and any(t.is_word and house.match(t.lower) for t in tokens[j + 1 : j + 4])
        ):
            j += 1
            continue
        attached = (
            token.is_word and len(token.text) == 1 and j > 0 and tokens[j - 1].end == token.start
        )
        ordinal = is_ordinal_word(token)
        # "двадцать два, второй подъезд, квартира 19": the flat said after the entrance.
        if (
            ordinal
            and j + 2 < len(tokens)
            and tokens[j + 1].lower in _ENTRANCE
            and any(t.is_word and house.match(t.lower) for t in tokens[j + 2 : j + 5])
        ):
            j += 2
            continue
        if ordinal and not (j > 0 and house.match(tokens[j - 1].lower)):
            break  # "второй этаж"
        if is_number_token(token) and _another_value_after(tokens, first, last, j, house):
            break
        if is_number_token(token) or attached:
            j += 1
            last = j
            continue
        # "литера А", "39 В", "шестьдесят один а квартира": a building's letter.
        if (
            token.is_word
            and len(token.text) == 1
            and last > first
            and (house.match(tokens[j - 1].lower) or is_number_token(tokens[j - 1]))
            and (
                token.text.isupper()
                or (
                    j + 1 < len(tokens)
                    and tokens[j + 1].is_word
                    and house.match(tokens[j + 1].lower)
                )
            )
        ):
            j += 1
            last = j
            continue
        break
    return last


def _another_value_after(
    tokens: list[Token], first: int, last: int, j: int, house: re.Pattern[str]
) -> bool:
    """ "квартира 12, 8 917 330 41 20": a number after a comma that follows a flat's or
    house's number and takes no keyword of its own is the next value (a phone), not the
    address's."""
    if last <= first or not is_number_token(tokens[last - 1]):
        return False
    between = tokens[last:j]
    if not any(t.text == "," for t in between) or any(
        t.is_word and house.match(t.lower) for t in between
    ):
        return False
    following = tokens[j + 1] if j + 1 < len(tokens) else None
    return not (following is not None and following.is_word and house.match(following.lower))


_ENTRANCE = {"подъезд", "этаж", "entrance", "floor"}
_SLASH_WORDS = {"дробь", "slash"}  # "двести два дробь один"
_REDO_WORDS = {"ой", "нет", "вернее", "точнее", "sorry", "no"}

_REGION = re.compile(
    r"^(область|области|обл|край|края|район|района|р-н|республика|республики|город|города|"
    r"г|пос[её]л[а-я]*|пос|сел[оаеу]|деревн[а-я]*|д|пгт|округ|ао|снт|днт|тсн|станиц[а-я]*|"
    r"слобод[а-я]*|хутор[а-я]*|аул[а-я]*|рабоч[а-я]*|городского|типа)$"
)


def _is_place(token: Token) -> bool:
    return _place_word(token.lower)


@lru_cache(maxsize=65536)
def _place_word(word: str) -> bool:
    if _REGION.match(word):
        return True
    return any("Geox" in parse.tag for parse in morph_analyzer().parse(word)[:3])


def _lower_place_part(tokens: list[Token], k: int) -> bool:
    """In lowercase text, "нижний" of "нижний новгород", "санкт" of "санкт-петербург"."""
    if k + 1 < len(tokens) and tokens[k + 1].text == "-" and tokens[k + 1].start == tokens[k].end:
        return True
    top = morph_analyzer().parse(tokens[k].lower)[0]
    return (
        "ADJF" in top.tag
        and tokens[k].lower not in _RU_NAME_STOP
        and top.normal_form not in _NOT_PLACE_ADJECTIVES
    )


# "адрес прежний новосибирск ...": words that say which address, not where.
_NOT_PLACE_ADJECTIVES = {"прежний", "старый", "новый", "тот", "этот", "наш", "ваш", "мой", "твой"}


def _ru_city_start(text: str, tokens: list[Token], i: int) -> int:
    """Index of the first token of the postcode, region and city said just before token ``i``
    ("140180, Московская область, город Жуковский, улица ...")."""
    start = i
    for _chunk in range(4):
        k = start - 1
        if k >= 0 and tokens[k].text == ",":
            k -= 1
        # (Not a passport's number after its series: "5004 632819, Кирова, 48".)
        postcode = k >= 0 and tokens[k].is_digits and len(tokens[k].text) == 6
        if postcode and not (k > 0 and tokens[k - 1].is_digits):
            start = k
            continue
        first = k + 1
        while (
            k >= 0
            and first - k <= 4
            and (
                tokens[k].text in "-."
                or (
                    tokens[k].is_word
                    and (tokens[k].is_title or _is_place(tokens[k]) or _lower_place_part(tokens, k))
                )
            )
        ):
            if tokens[k].text in "-." and not (k > 0 and tokens[k - 1].is_word):
                break
            # "г. Москва" goes on; "Да. Москва", "Верно. Санкт-Петербург" start a sentence.
            if tokens[k].text == "." and tokens[k - 1].is_title:
                break
            first = k
            k -= 1
        chunk = [t for t in tokens[first:start] if t.is_word]
        if not chunk or not any(_is_place(t) for t in chunk):
            break
        while first < start and tokens[first].text in "-.":
            first += 1
        start = first
    # "село айша зеленодольский район улица садовая": a village no dictionary knows.
    if start >= 2 and tokens[start - 1].is_word and tokens[start - 2].lower in _SETTLEMENTS:
        start -= 2
    return start


_SETTLEMENTS = set(
    [
        "село",
        "селе",
        "села",
        "деревня",
        "деревне",
        "деревни",
        "посёлок",
        "посёлке",
        "посёлка",
        "поселок",
        "поселке",
        "поселка",
        "пгт",
        "станица",
        "станице",
        "станицы",
        "аул",
        "ауле",
        "хутор",
        "хуторе",
        "снт",
    ]
)


def _city_after(tokens: list[Token], end: int) -> int:
    """Index after ", город Пенза" said after the flat."""
    j = end
    if j < len(tokens) and tokens[j].text == ",":
        j += 1
    if j + 1 < len(tokens) and tokens[j].lower in ("город", "г"):
        k = j + 1
        if k < len(tokens) and tokens[k].text == ".":
            k += 1
        if k < len(tokens) and tokens[k].is_word and tokens[k].is_title:
            return k + 1
    return end


def _bare_street(tokens: list[Token], k: int) -> int | None:
    """A street said without "улица": "на Лесной 5 корпус 3", "на Садовую, 7, кв. 12",
    "на Пушкина, дом тридцать один", "Садовая-Кудринская, 25, кв. 6". Returns the index after
    the house and flat when a house, flat or корпус keyword and a number follow."""
    j = k + 1
    while j + 1 < len(tokens) and tokens[j].text == "-" and tokens[j + 1].is_word:
        j += 2
    if j < len(tokens) and tokens[j].text == ",":
        j += 1
    if j >= len(tokens) or not (
        is_number_token(tokens[j]) or (tokens[j].is_word and _RU_HOUSE.match(tokens[j].lower))
    ):
        return None
    end = _extend_right(tokens, j, _RU_HOUSE)
    keywords = [t for t in tokens[j:end] if t.is_word and _RU_HOUSE.match(t.lower)]
    numbers = [t for t in tokens[j:end] if is_number_token(t)]
    return end if keywords and numbers and len(keywords) < len(tokens[j:end]) else None


def _ru_addresses(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    cased = any(ch.isupper() for ch in text)
    found = []
    for k, token in enumerate(tokens):
        word = token.lower
        if word == "пр" and k + 2 < len(tokens) and tokens[k + 2].lower == "т":
            word = "пр-т"
        if not token.is_word or not _RU_STREET.match(word):
            continue
        if word == "пр" and not (k + 1 < len(tokens) and tokens[k + 1].text == "."):
            continue
        previous = tokens[k - 1].lower if k > 0 else ""
        # "метро Площадь Маркса" is a station; "в четвёртом квартале", "за квартал" a quarter
        # of a year.
        if previous in ("метро", "станция", "м") or (
            word.startswith("квартал")
            and k > 0
            and (is_number_token(tokens[k - 1]) or previous in ("за", "в", "каждый", "раз"))
        ):
            continue
        if (
            word in ("пл", "пер", "наб", "ул", "мкр", "пр-т", "пр", "линия", "линии")
            and k + 1 < len(tokens)
            and tokens[k + 1].text != "."
            and not tokens[k + 1].is_title
        ):
            continue
        j = k + 1
        while j < len(tokens) and tokens[j].text in ".-т" and j - k < 3:
            j += 1
        name_end = j
        if (
            j + 1 < len(tokens)
            and tokens[j].is_digits
            and tokens[j + 1].is_word
            and tokens[j + 1].is_title
            and not _RU_HOUSE.match(tokens[j + 1].lower)
        ):
            name_end = j + 1  # "ул. 8 Марта", "улица 40 лет Победы"
        while name_end < len(tokens) and name_end - j < 4:
            t = tokens[name_end]
            if t.text == "-" and name_end > j and t.start == tokens[name_end - 1].end:
                name_end += 1
                continue
            if (
                not t.is_word
                or _RU_HOUSE.match(t.lower)
                or t.lower in _RU_NAME_STOP
                or is_number_token(t)
            ):
                break
            name_end += 1
        if name_end > j and tokens[name_end - 1].text == "-":
            name_end -= 1
        lowercase_name = all(not t.is_title for t in tokens[j:name_end] if t.is_word)
        start_index = k
        if name_end == j:
            prev = k - 1
            if prev >= 0 and tokens[prev].is_word and tokens[prev].lower not in _RU_NAME_STOP:
                start_index = prev
            else:
                continue
        end_index = _extend_right(tokens, name_end, _RU_HOUSE)
        if name_end > j and lowercase_name and end_index == name_end:
            continue  # "улицу не помню"
        if start_index < k and end_index == name_end and not tokens[start_index].is_title:
            continue  # "в выписке улица не указана", "ширина проезда": no name, no house
        start_index = _ru_city_start(text, tokens, start_index)
        found.append((start_index, _city_after(tokens, end_index)))
    for k, token in enumerate(tokens):
        if (
            token.is_word
            and (token.is_title or not cased)
            and (k == 0 or tokens[k - 1].lower in ("на", "по", ":"))
            and not is_number_token(token)
            and not _RU_HOUSE.match(token.lower)
        ):
            # "Академика Королёва, 12": a rank before the name.
            ranked = token.lower in _RANKS and k + 1 < len(tokens) and tokens[k + 1].is_word
            end = _bare_street(tokens, k + 1 if ranked else k)
            if end is not None:
                found.append((k, end))
                continue
        if not (token.is_word and _number_soon(tokens, k)):
            continue
        after_city = k > 0 and tokens[k - 1].is_word and _is_place(tokens[k - 1])
        cued = _ADDRESS_CUE.search(text[max(0, token.start - 30) : token.start]) is not None
        known_start = _starts_a_part(text, tokens, k) or after_city or cued
        # Elsewhere a street's name needs a numbered flat or корпус after its house:
        # "записала чистопольская семьдесят один корпус два квартира сто сорок восемь".
        if known_start or _street_like_word(token.lower):
            end = _street_with_flat(tokens, k, cued, numbered_flat=not known_start)
            if end is not None:
                found.append((_ru_city_start(text, tokens, k), end))
    # "генерала белова дом 19": the rank is part of the street's name.
    found = [(a - 1 if a > 0 and tokens[a - 1].lower in _RANKS else a, b) for a, b in found]
    return [(tokens[a].start, tokens[b - 1].end) for a, b in found]


# "адрес Краснодар, Красная, 150": after a cue of an address a house number is enough.
_ADDRESS_CUE = re.compile(
    r"\b(адрес[а-я]*|проживаю|проживаете|живу)[\s:,]*([А-ЯЁа-яё-]+,?\s+)?$", re.I
)
_FLAT_OR_BLOCK = re.compile(r"^(квартир[а-я]*|кв|корпус[а-я]*|корп|к)$")
# "Маршала Жукова 43", "академика Янгеля 6": a street named after someone by rank.
_RANKS = {
    "маршала",
    "академика",
    "генерала",
    "адмирала",
    "героя",
    "героев",
    "братьев",
    "космонавта",
    "профессора",
    "лётчика",
    "летчика",
}


def _number_soon(tokens: list[Token], k: int) -> bool:
    """Whether a house ("18", ", 18", "дом") or a second word of the name follows token ``k``."""
    following = [t for t in tokens[k + 1 : k + 3] if t.text != ","]
    return bool(following) and (
        is_number_token(following[0])
        or following[0].lower == "дом"
        or (tokens[k].lower in _RANKS and len(following) > 1)
    )


def _starts_a_part(text: str, tokens: list[Token], k: int) -> bool:
    """Whether token ``k`` starts the turn, a sentence or a comma-separated part."""
    if k == 0:
        return True
    return bool(re.search(r"[,.:;!?—]\s*$", text[tokens[k - 1].start : tokens[k].start]))


@lru_cache(maxsize=65536)
def _street_like_word(word: str) -> bool:
    """An adjective ("чистопольская", "садовая") or a surname in the genitive ("титова",
    "белинского"): how streets are named."""
    if len(word) < 4 or not _CYRILLIC_WORD.fullmatch(word):
        return False
    top = morph_analyzer().parse(word)[0]
    return "ADJF" in top.tag or ("Surn" in top.tag and "gent" in top.tag)


_CYRILLIC_WORD = re.compile(r"[а-яё-]+")


def _street_with_flat(
    tokens: list[Token], k: int, cued: bool, numbered_flat: bool = False
) -> int | None:
    """ "..., садовая 18, квартира 4", "Казань, Чистопольская, семьдесят семь, корпус один",
    "москва профсоюзная сорок три к два", "Маршала Жукова сорок три, квартира семь": a street
    said without "улица" at the start of a part or after a city, with a house number and a flat
    or корпус after it (after "адрес" a house number is enough: "адрес Краснодар, Красная, 150,
    21"). Returns the index after the flat."""
    word = tokens[k].lower
    if word in _RU_NAME_STOP or _RU_HOUSE.match(word) or is_number_token(tokens[k]):
        return None
    if not re.fullmatch(r"[а-яё-]{3,}", word):
        return None
    if _is_place(tokens[k]) and russian_name_score(word) < 0.3:
        return None  # a city ("Москва, 5 минут"), not a street named after someone
    last = k + 1 if word in _RANKS and k + 1 < len(tokens) and tokens[k + 1].is_word else k
    house = last + 1
    if house < len(tokens) and tokens[house].text == ",":
        house += 1
    if house >= len(tokens) or is_ordinal_word(tokens[house]):
        return None
    if not (is_number_token(tokens[house]) or tokens[house].lower == "дом"):
        return None  # the house number (or "дом") follows the name at once
    end = _extend_right(tokens, house, _RU_HOUSE)
    if end <= house:
        return None
    flats = [
        index
        for index in range(house, end)
        if tokens[index].is_word and _FLAT_OR_BLOCK.match(tokens[index].lower)
    ]
    if numbered_flat:
        flats = [i for i in flats if i + 1 < end and is_number_token(tokens[i + 1])]
    return end if flats or cued else None


_EN_OWN = re.compile(
    r"(i live (on|at)|i'm on|we live (on|at)|address is|ship (it )?to|deliver (it )?to|"
    r"send (it )?to|moved to|my house is on)\s*$",
    re.IGNORECASE,
)
_EN_STOP_AFTER = lexicon("en_address_stop")
_ORDINAL_SUFFIXES = {"st", "nd", "rd", "th"}
_ORDINAL_ENDS = _ORDINAL_SUFFIXES | {"s"}  # "57th Street", "Queen's Road"
_BUSINESS_AFTER = re.compile(
    r"\s*(store|shop|branch|office|showroom|location|магазин|офис|филиал|салон)", re.I
)


# Suffixes that a house number may follow ("Bolshaya Nikitskaya street 24"); "row eleven" is a
# seat.
_STREET_BEFORE_HOUSE = {"street", "avenue", "road", "prospekt", "prospect", "highway", "lane"}


def _abbreviation(token: Token) -> bool:
    """ "St", "Mt", "Rd" before a full stop that does not end the sentence."""
    return token.is_word and len(token.text) <= 3 and not token.text.isupper()


def _house_after(tokens: list[Token], k: int) -> bool:
    """Whether a house number follows the street word at ``k`` ("street 24", "street, forty
    three", "Prospekt, house fifteen")."""
    j = k + 1
    if j < len(tokens) and tokens[j].text == ",":
        j += 1
    if j < len(tokens) and tokens[j].lower in _HOUSE_WORDS:
        j += 1
    return j < len(tokens) and is_number_token(tokens[j]) and not is_ordinal_word(tokens[j])


_FILLERS = {"um", "uh", "er", "erm"}


def _en_addresses(text: str, tokens: list[Token], cased: bool) -> list[tuple[int, int]]:
    """English addresses; ``cased``: whether the transcript capitalises words ("Maple Grove
    Drive"), a postcode or an acronym in a lowercase one not counting."""
    found = []
    for k, token in enumerate(tokens):
        if not token.is_word or not _EN_STREET.match(token.lower) or k < 1:
            continue
        # "with Dr. Patel", "by the way": a street's suffix follows its capitalised name.
        name = tokens[k - 1]
        if cased and name.is_word and not name.is_title and name.lower not in _ORDINAL_ENDS:
            continue
        if name.lower in _EN_STOP_AFTER:
            continue  # "by the way", "on the road"
        i = k - 1
        # "six oh five northwest twenty third street": an ordinal is part of the name.
        while (
            i >= 0
            and k - i <= 5
            and (tokens[i].is_word or tokens[i].text in "'’")
            and (not is_number_token(tokens[i]) or is_ordinal_word(tokens[i]))
        ):
            i -= 1
        # "forty two eleven, um, maple ridge drive": a pause between the house said in words
        # and the street ("Unit 7, Purley Way" is a unit, then a business's street).
        p = i
        while p > 0 and k - p <= 8 and (tokens[p].text == "," or tokens[p].lower in _FILLERS):
            p -= 1
        house_in_words = tokens[p].is_word and is_number_token(tokens[p])
        if p != i and i < k - 1 and house_in_words and not is_ordinal_word(tokens[p]):
            i = p
        house_after = token.lower in _STREET_BEFORE_HOUSE and _house_after(tokens, k)
        if (i == k - 1 or i < 0 or not is_number_token(tokens[i])) and house_after:
            # "Bolshaya Nikitskaya street 24, apartment 17": the house said after the street.
            i = k
            while (
                i > 0
                and k - i < 3
                and tokens[i - 1].is_word
                and (tokens[i - 1].is_title or not cased)
                and tokens[i - 1].lower not in _EN_STOP_AFTER
                and not is_number_token(tokens[i - 1])
            ):
                i -= 1
            if i == k:
                continue
        elif i == k - 1 or i < 0 or not is_number_token(tokens[i]):
            # No house number: "I live on Maple Street" after a cue of one's own address.
            n = k
            while n > 0 and k - n < 3 and tokens[n - 1].is_word and tokens[n - 1].is_title:
                n -= 1
            if n == k or not _EN_OWN.search(text[max(0, tokens[n].start - 30) : tokens[n].start]):
                continue
            i = n
        while i > 0 and is_number_token(tokens[i - 1]) and k - i < 8:
            i -= 1
        # A number glued to letters or a colon ("QN90D", "3:30") is no house number.
        if tokens[i].start > 0 and (
            text[tokens[i].start - 1].isalnum() or text[tokens[i].start - 1] == ":"
        ):
            continue
        # "Flat 4, 12 Baker Street": the flat said before the house.
        m = i - 1
        while m >= 0 and tokens[m].text == ",":
            m -= 1
        if m >= 1 and _is_value(tokens[m]) and _EN_UNIT.match(tokens[m - 1].lower):
            i = m - 1
        end_index = k + 1
        j = k + 1
        if j < len(tokens) and tokens[j].text == "." and tokens[k].lower in ("st", "rd", "ave"):
            j += 1
        words_after = 0
        while j < len(tokens):
            t = tokens[j]
            if t.text in ",#.-":
                if t.text == "." and not (
                    j + 1 < len(tokens) and tokens[j + 1].is_title and _abbreviation(tokens[j - 1])
                ):
                    break  # "LS6 1BX. We take a deposit"
                j += 1
                continue
            postcode = _UK_POSTCODE.match(text, t.start)
            if postcode:
                end_index = j
                while end_index < len(tokens) and tokens[end_index].end <= postcode.end():
                    end_index += 1
                j = end_index
                continue
            if is_ordinal_word(t):
                break  # "second floor"
            if _EN_UNIT.match(t.lower) or is_number_token(t) or t.lower in _EN_STATES:
                j += 1
                end_index = j if not _EN_UNIT.match(t.lower) else end_index
                continue
            if (
                t.lower in ("new", "north", "south", "west", "rhode")
                and j + 1 < len(tokens)
                and (
                    tokens[j + 1].lower in _EN_STATES
                    or tokens[j + 1].lower
                    in (
                        "york",
                        "jersey",
                        "hampshire",
                        "mexico",
                        "carolina",
                        "dakota",
                        "virginia",
                        "island",
                    )
                )
            ):
                j += 2
                end_index = j
                continue
            if t.is_word and t.is_title and words_after < 4:
                words_after += len(t.text) > 1
                j += 1
                end_index = j
                continue
            # In lowercase text a city is kept only when a state, ZIP or postcode follows.
            if t.is_word and not cased and words_after < 4 and t.lower not in _EN_STOP_AFTER:
                words_after += 1
                j += 1
                continue
            if _is_value(t) and tokens[j - 1].end == t.start:
                j += 1
                end_index = j
                continue
            break
        found.append((i, end_index))
    return [(tokens[a].start, tokens[b - 1].end) for a, b in found]


# Postal codes that close an address: UK, Irish (Eircode), Canadian; a US state and ZIP; an
# Australian state and postcode; an Indian city and PIN.
_POSTCODE_END = re.compile(
    r"\b([A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d{2}\s?[A-Z\d]{4}|[A-Z]\d[A-Z]\s?\d[A-Z]\d|"
    r"(?:[A-Z]{2}|[A-Z][a-z]+(?: [A-Z][a-z]+)?),?\s\d{5}(?:-\d{4})?|"
    r"(?:NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\s\d{4}|[A-Z][a-z]+\s\d{6})\b"
)
_CHUNK_TOKEN = re.compile(
    r"(?:[A-Z][\w'’.-]*|#?\d[\w-]*|No\.|of|y|na|de|du|des|la|le|el|del|bin|and|the|"
    r"flat|apartment|apt\.?|unit|house|suite|number|plot|sector|lane|road|street|rue|boulevard)$"
)
_CHUNK_START = re.compile(
    r"(?:[A-Z][\w'’.-]*|#?\d[\w-]*|flat|apartment|apt\.?|unit|house|suite|plot|sector|rue|"
    r"boulevard)$"
)
_UNIT_START = re.compile(r"(flat|apartment|apt|unit|house|suite|no\.|#|plot|block)", re.I)
_NOT_IN_ADDRESS = {"it's", "i'm", "we're", "so", "okay", "yes", "yeah", "address", "is", "and"}


def _chunk_suffix(chunk: str) -> tuple[int | None, bool]:
    """Where the part of one comma-separated chunk that can belong to an address starts,
    read from its end (None if no part can), and whether the whole chunk did (so the address
    may go on to its left)."""
    words = list(re.finditer(r"\S+", chunk))
    kept: list[re.Match[str]] = []
    for index in range(len(words) - 1, -1, -1):
        word = words[index].group()
        if word.lower() in _NOT_IN_ADDRESS or not _CHUNK_TOKEN.match(word):
            break
        # "Zoe Papadopoulos 7 Ocean Parade": a house number begins the address ("Dublin 7"
        # ends with a district's number).
        house_number_after = index + 2 < len(words) and words[index + 1].group()[0].isdigit()
        if house_number_after and word[:1].isupper() and not _UNIT_START.match(word):
            break
        kept.insert(0, words[index])
    whole = len(kept) == len(words)
    while kept and not _CHUNK_START.match(kept[0].group()):
        kept.pop(0)
    return (kept[0].start() if kept else None), whole and bool(kept)


def _postcode_anchored(text: str) -> list[tuple[int, int]]:
    """ "Flat 302, Sai Krupa Apartments, Karve Nagar, Pune 411052", "Ty Gwyn, Heol y Felin,
    Llandeilo, SA19 6BT": comma-separated chunks of capitalised words and numbers read back
    from a postal code; at least two before it, and a person's name before the house number
    left out."""
    found = []
    for match in _POSTCODE_END.finditer(text):
        start, chunks, house_seen = match.start(), 0, False
        base = max(0, match.start() - 300)  # an address is never longer: no quadratic read-back
        left = text[base : match.start()].rstrip(" ,")
        while chunks < 8:
            head, comma, chunk = left.rpartition(",")
            offset, whole = _chunk_suffix(chunk)
            if offset is None:
                break
            suffix = chunk[offset:]
            if house_seen and not _UNIT_START.match(suffix):
                break
            start = base + len(head) + len(comma) + offset
            chunks += 1
            house_seen = house_seen or bool(re.match(r"\d", suffix) and " " in suffix)
            if not whole or not comma:
                break
            left = head.rstrip(" ,")
        said = text[start : match.start()]
        # "Red Deer, Alberta, T4N 1B2" is a town: a house number or a third part is needed.
        numbered = re.search(r"\d", said) is not None
        if (
            (chunks >= 2 and numbered)
            or chunks >= 3
            or (re.match(r"\d+\w*\s+[A-Z]", said) and said.count(" ") >= 3)
        ):
            found.append((start, match.end()))
    return found


# An Irish address closes with its county or its Eircode ("county cork, p31 x2k8"), in a
# lowercase transcript too; the Eircode's last four mix letters and digits.
_IRISH_END = re.compile(
    r"\b(?:county|co\.)\s+[a-z]+(?:,?\s+[a-z]\d{2}\s?[a-z\d]{4})?\b|"
    r"\b[a-z]\d{2}\s?(?=[a-z\d]{0,3}\d)(?=[a-z\d]{0,3}[a-z])[a-z\d]{4}\b",
    re.IGNORECASE,
)
_PLACE_WORD = re.compile(r"[a-zà-ÿ'’.-]+$", re.IGNORECASE)
_NOT_A_PLACE_WORD = {"it's", "i'm", "we're", "is", "and", "to", "at", "from", "my", "our", "in"}


def _house_chunk(words: list[str]) -> int | None:
    """Where the house starts in one chunk ("7 the paddocks", "flat 2, ..."): its number,
    or the unit word before it, with a street's words after it."""
    for index, word in enumerate(words):
        if re.fullmatch(r"\d{1,4}[a-z]?", word, re.IGNORECASE) and index < len(words) - 1:
            after = words[index + 1 :]
            if len(after) <= 4 and all(_PLACE_WORD.match(w) for w in after):
                unit = index and _UNIT_START.fullmatch(words[index - 1])
                return index - 1 if unit else index
    return None


def _irish_addresses(text: str) -> list[tuple[int, int]]:
    """ "7 the paddocks, ballincollig, county cork, p31 x2k8": chunks read back from the
    county or Eircode to the one that starts with the house number."""
    found = []
    for match in _IRISH_END.finditer(text):
        base = max(0, match.start() - 200)
        left = text[base : match.start()].rstrip(" ,")
        for _ in range(4):
            head, comma, chunk = left.rpartition(",")
            spans = list(re.finditer(r"\S+", chunk))
            house = _house_chunk([w.group() for w in spans])
            if house is not None:
                found.append((base + len(head) + len(comma) + spans[house].start(), match.end()))
                break
            words = [w.group().lower() for w in spans]
            place = 1 <= len(words) <= 3 and all(_PLACE_WORD.match(w) or w.isdigit() for w in words)
            if not comma or not place or _NOT_A_PLACE_WORD & set(words):
                break
            left = head.rstrip(" ,")
    return found


# "Lesnaya street, plot 112": a plot of a garden association (СНТ) is its house.
_HOUSE_WORDS = {"house", "building", "bldg", "dom", "d", "plot", "uchastok"}
# "ulitsa lenina forty five flat twelve", "ul. Marata 22": a Russian street's word first.
_RU_STREET_FIRST = {"ulitsa", "ul", "prospekt", "pereulok", "bulvar", "shosse", "proezd"}


def _russian_streets_in_latin(tokens: list[Token]) -> list[tuple[int, int]]:
    """Russian addresses said in an English call: "ulitsa Lenina 45, flat 12", or a street's
    name no English dictionary knows with a house and a numbered flat ("Kutuzovsky 26, flat
    41", "malysheva twenty one flat one hundred")."""
    found = []
    dictionary = english_dictionary()
    first_names, surnames = english_names()
    for k, token in enumerate(tokens):
        if not token.is_word:
            continue
        if token.lower in _RU_STREET_FIRST:
            j = k + 1
            if j < len(tokens) and tokens[j].text == ".":
                j += 1
            name = j
            while (
                j < len(tokens)
                and j - name < 2
                and tokens[j].is_word
                and not is_number_token(tokens[j])
            ):
                j += 1
            if j == name:
                continue
            if j < len(tokens) and tokens[j].text == ",":
                j += 1
            # "ulitsa boldina, house 94", "..., building twenty-eight"
            if j + 1 < len(tokens) and tokens[j].lower in _HOUSE_WORDS:
                j += 1
            if j < len(tokens) and is_number_token(tokens[j]):
                found.append((k, _extend_right(tokens, j, _EN_UNIT)))
            continue
        if len(token.text) < 4 or not token.text.isalpha() or _EN_UNIT.match(token.lower):
            continue
        if token.lower in dictionary or token.lower in first_names or token.lower in surnames:
            continue
        house = k + 1
        if house < len(tokens) and tokens[house].text == ",":
            house += 1
        if (
            house >= len(tokens)
            or not is_number_token(tokens[house])
            or is_ordinal_word(tokens[house])
        ):
            continue
        end = _extend_right(tokens, house, _EN_UNIT)
        numbered_unit = any(
            tokens[i].is_word and _EN_UNIT.match(tokens[i].lower) and is_number_token(tokens[i + 1])
            for i in range(house, end - 1)
        )
        if numbered_unit:
            found.append((k, end))
    return [(tokens[a].start, tokens[b - 1].end) for a, b in found]


def street_words(address: str, lang: str) -> list[str]:
    """The words of an address that name its street ("Герасима", "Курина" of "москва, улица
    Герасима Курина, дом шестнадцать"): not a street's or a house's word, a number or a
    place."""
    if lang == "en":
        # A Russian street said in English ("Prospekt Kosmonavtov, building 38"): a name no
        # English dictionary knows.
        dictionary = english_dictionary()
        return [
            token.lower
            for token in tokenize(address)
            if token.is_word
            and len(token.text) >= 5
            and not (_EN_STREET.match(token.lower) or _EN_UNIT.match(token.lower))
            and token.lower not in dictionary
            and not is_number_token(token)
        ]
    tokens = tokenize(address)
    return [
        token.lower.replace("ё", "е")
        for k, token in enumerate(tokens)
        if token.is_word
        and len(token.text) >= 4
        and not (_RU_STREET.match(token.lower) or _RU_HOUSE.match(token.lower))
        and not is_number_token(token)
        # "улица Кирова", "улица Красная": a place's name is the street's right after its word.
        and not (_is_place(token) and not (k and _RU_STREET.match(tokens[k - 1].lower)))
        and token.lower not in _RU_NAME_STOP
    ]


def _street_said_again(
    text: str, tokens: list[Token], streets: frozenset[str], house: re.Pattern[str] = _RU_HOUSE
) -> list[tuple[int, int]]:
    """ "Герасима Курина, 16, корпус 3, квартира 205": the agent reads back the address of the
    line before by its street's name and house, without the word "улица"."""

    def names_street(index: int) -> bool:
        token = tokens[index]
        return token.is_word and token.lower.replace("ё", "е") in streets

    found = []
    k = 0
    while k < len(tokens):
        if not names_street(k):
            k += 1
            continue
        j = k + 1
        while j < len(tokens) and names_street(j):
            j += 1
        at = j + 1 if j < len(tokens) and tokens[j].text == "," else j
        if at < len(tokens) and house.match(tokens[at].lower):
            at += 1
        if at < len(tokens) and is_number_token(tokens[at]) and not is_ordinal_word(tokens[at]):
            end = _extend_right(tokens, at, house)
            found.append((_ru_city_start(text, tokens, k) if house is _RU_HOUSE else k, end))
        k = j
    return found


def detect_addresses(
    text: str,
    tokens: list[Token],
    lang: str,
    cased: bool,
    streets: frozenset[str] = frozenset(),
) -> list[Span]:
    """``streets``: the words naming the streets of the line before's addresses."""
    pairs = _ru_addresses(text, tokens) if lang == "ru" else _en_addresses(text, tokens, cased)
    if lang == "en":
        pairs += _postcode_anchored(text)
        pairs += _irish_addresses(text)
        pairs += _russian_streets_in_latin(tokens)
        said_again = _street_said_again(text, tokens, streets, _EN_UNIT) if streets else []
        pairs += [(tokens[a].start, tokens[b - 1].end) for a, b in said_again]
    if lang == "ru":
        pairs += _en_addresses(text, tokens, cased)
        said_again = _street_said_again(text, tokens, streets) if streets else []
        pairs += [(tokens[a].start, tokens[b - 1].end) for a, b in said_again]
    return [
        Span(start, end, "ADDRESS")
        for start, end in pairs
        if not is_business_address(text, start, end)
    ]


def is_business_address(text: str, start: int, end: int) -> bool:
    """Whether the address ``text[start:end]`` is a shop's, an office's or a pickup point's,
    by what is said around it."""
    before = text[max(0, start - 60) : start]
    # "со склада привезём по адресу ...", "the pickup's from my house, ...": a business said
    # before the cue of one's own address is not where the address is.
    own_cues = list(_OWN_ADDRESS_CUE.finditer(before))
    before = before[own_cues[-1].end() :] if own_cues else before
    if _BUSINESS.search(before) or _BUSINESS_AFTER.match(text, end):
        return True
    near = max(0, start - 30)
    said_before = _BUSINESS_OR_HOME.search(text[near:start])
    if not said_before:
        return False
    # The speaker's words of themselves before the cue or after the address ("We're at 16
    # Twelfth Street SE, ... I'm Efosa").
    around = text[max(0, start - 200) : near + said_before.start()] + text[end : end + 120]
    return not (_FLAT.search(text, start, end) or _SPEAKER_OWN.search(around))


def has_street_or_unit(text: str, words: list[Token]) -> bool:
    """Whether the address ``text`` (its ``words``) has at least a street: a street's, a
    house's or a flat's word, or a postcode or ZIP ("Садовая, второй этаж" and "Лобачевского,
    10 минут пешком" have none)."""
    if _UK_POSTCODE.search(text):
        return True
    # "March 3rd": "rd" glued to a day is no road.
    ordinals = {
        t.start
        for previous, t in zip(words, words[1:], strict=False)
        if previous.is_digits and previous.end == t.start and t.lower in _ORDINAL_SUFFIXES
    }
    return any(
        _RU_STREET.match(t.lower.rstrip("."))
        or _RU_HOUSE.match(t.lower.rstrip("."))
        or (_EN_STREET.match(t.lower) and t.start not in ordinals)
        or _EN_UNIT.match(t.lower)
        or (t.is_digits and len(t.text) in (5, 6))
        for t in words
    )


def named_for_a_person(words: list[Token]) -> bool:
    """Whether the words before the first number are a census name and no street's word says
    they name a street ("Patel 2 flat 4": a surname and the numbers said after it)."""
    first_names, surnames = english_names()
    before = []
    for token in words:
        if is_number_token(token):
            break
        before.append(token)
    return (
        bool(before)
        and all(t.lower in first_names or t.lower in surnames for t in before)
        and not any(_EN_STREET.match(t.lower) or _RU_STREET.match(t.lower) for t in words)
    )
