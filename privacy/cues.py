"""Cue words said before a value: the nearest one says what a number is, or that it is none."""

from __future__ import annotations

import re
from functools import lru_cache

from privacy.lexicons import lexicon

# "donor number", "case number": a number named by a word that names no phone or document.
_RECORD_NUMBER = (
    r"\b(?!(?:" + "|".join(sorted(lexicon("en_number_owners"))) + r")\b)[a-z]{2,}(?<!'s) numbers?\b"
)

# A landline, whose number may be said without its city's code ("мамин городской, 2 64 18 09").
LANDLINE = r"городск(ой|ого|ому)\b|стационарн|домашн(ий|его|ему)\b(?! адрес)"

CUES: dict[str, re.Pattern[str]] = {
    "NUMBER": re.compile(r"номер|\bnumber|\bno\.|№"),
    # ("Thanks for calling ..." greets; it names no phone.)
    "PHONE": re.compile(
        r"телефон|мобильн|сотов|звон|набрать|наберите|whatsapp|ватсап|телеграм|контакт|"
        rf"{LANDLINE}|"
        r"\bphone|\bmobile|\bcell\b|(?<!for )\bcall|\breach\b|\bring\b|landline|contact|"
        r"text me|\btext it\b|\bsms\b|area code|\btext (it|that|me|(the|a|my) \w+) to\b|\bсмс\b"
    ),
    "CARD": re.compile(
        # "the green card", "зелёная карточка": the СНИЛС's own card, not a payment card.
        r"(?<!green )(?<!зеленая )(?<!зеленой )(?<!зеленую )(?<!сим-)(?<!sim )(?<!sim-)"
        r"(?:(?:карт[аыеуо]|карточк)(?![а-я]* зел)|\bcard)|"
        r"\bvisa\b|виза|mastercard|мастеркард|\bмир\b|amex|"
        r"american express|maestro|маэстро|"
        # "charge the first month to 2200 ...": where a payment goes is a card.
        r"\bcharge( it| that| the [a-z ]{1,20})? (to|on)\b"
    ),
    "PASSPORT": re.compile(r"(?<!вет)паспорт|passport|загран"),
    "SERIES": re.compile(r"\bсери[яию]\b|\bseries\b"),
    "SNILS": re.compile(
        r"снилс|snils|страхов|пенсионн|pension (insurance )?number|green card|зелен[а-я]* карт"
    ),
    "INN": re.compile(
        r"\bинн\b|\binn\b|налогов|индивидуальн[а-я]* номер|taxpayer|tax id|\btin\b|"
        r"\btax (number|no)\b"
    ),
    "NONE": re.compile(
        r"заказ|\bclaim|\border|договор(?!ил|ит|им|ят|ю)|contract|invoice|сч[её]т[а-я]*\b|трек|track|"
        r"артикул|\bsku\b|"
        r"промокод|promo|рубл|\bруб|доллар|dollar|\busd\b|price|\bцен[аыу]|стоимост|"
        # "у нас стоит 211 034 908 15" is what is on file, not a price.
        r"(?<!у нас )(?<!у вас )(?<!там )(?<!в базе )(?<!в анкете )(?<!в системе )стоит|"
        r"extension|\bext\b|добавочн|последни[ех]|last (four|4)|ending in|ends in|"
        r"ends with|заканчива|гаранти|warranty|кпп|\bkpp\b|\bбик|"
        r"расч[её]тн|корр|модел|\bmodel|штук|pieces|items|размер|\bsize|\$|₽|€|"
        r"заявк|ticket|обращени|квитанц|receipt|reference|\bref\b|confirmation|накладн|"
        r"посылк|parcel|shipment|waybill|отправлени|серийн|serial|imei|код подразделения|"
        # A QR code is sent to a phone, never said as a number.
        r"подразделени|(?<!qr-)(?<!qr )код\b|(?<!area )(?<!qr )(?<!qr-)code\b|лицев|"
        # ("if your accounts need it": the accounting department, not an account's number)
        r"(?<!on the )(?<!on my )account(?!s\b|ants?\b|ing\b)|"
        r"policy|полис|барcode|штрих|"
        r"баланс|balance|"
        r"осаго|каско|наш номер|наш телефон|\bour (customer )?(number|line)|customer line|"
        r"hotline|горяч[а-я]* лини|колл-центр|call cent|огрн|окпо|бик|\bmember|group number|"
        r"stock|\brx\b|prescription|рецепт[а-я]* (электрон|номер|№)|номер рецепта|"
        r"application|locator|\bpnr\b|\bvat\b|\broll\b|\bloan\b|"
        r"student|booking|rewards|loyalty|водительск|\bправа\b|licen[cs]e|лиценз|\bчип|microchip|"
        r"\bчек[аеу]?\b|идентификатор|transaction|\bjob (number|no|ref)|клубн|бонусн|скидочн|"
        r"дисконтн|подарочн|\bgift card|абонемент|\bquote|\bplan (number|no)|\bброн[ьиюе]\b|"
        r"сим-карт|\bsim card|участ[оа]к|кадастр|cadastral|\blot\b|\bplot\b|deposited plan|"
        r"\bbsb\b|medicare|routing|\biban\b|\bswift\b|\bbic\b|sort code|"
        # A gift certificate or voucher, a rental agreement, a bag tag.
        r"сертификат|(?<!tax )certificate|voucher|ваучер|agreement|\bbag tag|\btag\b|"
        # A hunting licence and a gun permit ("охотбилет 22 № 0417856, РОХа 0419 1127845").
        r"охотбилет|охотнич[а-я]* билет|читательск[а-я]* билет|номер билета|билет[а-я]*\s*№|"
        # "билет 0045 112233": a (pawn) ticket's number said right after it; "isbn".
        r"билет[а-я]*\s*$|\bisbn\b|\bissn\b|"
        r"\bроха?\b|разрешени[а-я]* на оружие|"
        # A birth date said as numbers is the date detector's.
        r"рожд|date of birth|\bdob\b|\bborn\b|birthday|" + _RECORD_NUMBER
    ),
}
# A birth date's cue is no cue of a number said after the sentence it closes ("... года
# рождения. четыре пять один семь, ...").
_BIRTH_CLOSED = re.compile(r"(рожд[а-я]*|date of birth|dob|born|birthday)[^.?!\d]*[.?!]\s")
_WINDOW = 80


def nearest_cue(text: str, start: int, window: int = _WINDOW) -> str | None:
    """The kind of the cue closest before ``start`` within ``window`` characters (less a
    word the window cuts: "...rance number" is no record's number)."""
    begin = max(0, start - window)
    while 0 < begin < start and text[begin - 1].isalpha() and text[begin].isalpha():
        begin += 1
    return _nearest_in(text[begin:start].lower().replace("ё", "е"))


@lru_cache(maxsize=8192)
def _nearest_in(before: str) -> str | None:
    """The kind of the cue closest to the end of ``before`` (repeated turns and the numbers
    of one dictation ask about the same stretch of text again)."""
    # Ordered by where each cue ends: "text the code to" is a phone's cue though "code" (no
    # personal data) starts later inside it.
    matches = sorted(
        (match.start(), match.end(), kind)
        for kind, pattern in CUES.items()
        for match in pattern.finditer(before)
        if not _not_a_cue(before, match.start(), kind)
        and not (kind == "NONE" and _BIRTH_CLOSED.match(before, match.start()))
    )
    # "номер" alone is a phone's cue; next to another cue ("номер заказа", "трек-номер",
    # "номер карты") that one says what the number is. "серия" is a passport's unless another
    # cue says whose ("полис ОСАГО серия").
    for start_at, end_at, kind in sorted(matches, key=lambda m: (m[1], m[0]), reverse=True):
        if kind == "NONE" and _WHERE_WRITTEN.search(before, 0, start_at):
            # "put my INN on the receipt, ...": where the value goes, after the value's cue.
            named = [other for s, e, other in matches if e < start_at and start_at - e <= 25]
            if named and named[-1] in DOCUMENT_KINDS:
                return named[-1]
        if kind not in _GENERIC:
            return kind
        near = [
            (s, other)
            for s, e, other in matches
            if other != kind
            and (abs(s - end_at) <= 15 or abs(start_at - e) <= 25)
            and not _DIGIT.search(before, min(e, end_at), max(s, start_at))
            # "Я заплачу, картой. Если что, мой номер ...": not across a sentence's end, unless
            # right after it ("passport. number is Z for zebra, ...")
            and not (_SERIES_BREAK if kind == "SERIES" else _PAIR_BREAK).search(
                before[min(e, end_at) : max(s, start_at)]
            )
        ]
        if kind == "NUMBER" and any(other == "SERIES" for _s, other in near):
            continue
        if not any(other not in _GENERIC for _s, other in near):
            return _GENERIC[kind]
    return None


_GENERIC = {"NUMBER": "PHONE", "SERIES": "PASSPORT"}
_PAIR_BREAK = re.compile(r"[.!?]\s.{6,}")
# ("договор на меня. серия 8614, номер 377 902": a series opens a sentence of its own.)
_SERIES_BREAK = re.compile(r"[.!?]\s")
# Not a phone: "звоните на горячую линию" is where one calls.
DOCUMENT_KINDS = ("CARD", "PASSPORT", "SNILS", "INN")
_WHERE_WRITTEN = re.compile(r"\b(on|in|into|на|в)( the| my| a)?\s+$")
# "паспорт для договора 4106 ...": what a value is for is no cue of what it is, though "asked
# for SNILS, mine is ..." names the value; "в телефоне сохранён" speaks of the device; "my
# passport instead of the driver's license, it's ...": what the value is not.
_NOT_A_VALUE_CUE = re.compile(
    r"(\bдля|\bfor( the| your| my| his| her| our)?|\bв|\bиз|\bfrom( the)?|\bне( по)?|"
    r"\bnot( by| the| my)?( [\w-]+)?)\s+$|"
    r"(instead of|вместо)\b[^.]{0,20}$"
)
# "в телефоне сохранён" speaks of the device; "СНИЛС для налоговой" of what a value is for;
# "трек-номер из смс" of where it came from.
# "не та карточка", "wrong card": the thing named is not the one the value is on.
_NOT_A_DATA_CUE = re.compile(r"\b(в|для|из|не (та|тот|то|те)|wrong|not the|not that)\s+$")


_CARD_SOMEWHERE = re.compile(r"card('s| is)\s+(somewhere|in|on|at|under)\b", re.IGNORECASE)
_DOCUMENTS_CARD = re.compile(
    r"\b(snils|снилс\w*|inn|инн)\b[^.!?\d]{0,40}\b(the|his|her|my|its|эта|это)\s+$", re.IGNORECASE
)
# "клубной карты", "loyalty card", "gift card": a card that pays nothing ("зелёненькая
# карточка" is the СНИЛС's own).
_NOT_A_PAYMENT_CARD = re.compile(
    r"(клубн|бонусн|скидочн|дисконтн|подарочн|зел[её]н|loyalty|gift|club|rewards?|member(ship)?)"
    r"\w*\s+$"
)


# "hold on, it's on my phone... 352, 100, ...": where the value is written, not what it is.
_ON_THE_DEVICE = re.compile(
    r"\b(it'?s|it is|(mine|his|hers|its|theirs)'?s|look(ing)?|check(ing)?|saved|stored|"
    r"written|got it|have it|has it|photo|"
    r"picture|screenshot|notes?)(\s+(right\s+)?(here|there))?\s+(on|in) "
    r"(my|the|his|her)\s+$"
)


# "сейчас, карточку найду... ноль шесть семь, ...": the card fetched holds the value asked for.
_ON_A_CARD = re.compile(r"\b(on|from|off) (the|my|his|her) other $")
_FETCHED = re.compile(r"карточк\w*\s+(найду|достану|возьму|поищу|посмотрю)")


def _not_a_cue(before: str, start: int, kind: str) -> bool:
    """Whether the cue of ``kind`` found at ``start`` of ``before`` says nothing of the value."""
    if kind == "CARD" and _FETCHED.match(before, start):
        return True
    if kind == "CARD" and _ON_A_CARD.search(before, max(0, start - 20), start):
        return True  # "hang on, it's on the other card": where the value is written
    if kind == "CARD" and _NOT_A_PAYMENT_CARD.search(before, max(0, start - 20), start):
        return True
    if kind == "CARD" and (
        _DOCUMENTS_CARD.search(before, max(0, start - 60), start)
        or _CARD_SOMEWHERE.match(before, start)
    ):
        # "her snils, one moment, the card is in the folder", "hang on, the card's somewhere
        # in my bag": the card the value is written on, named by where it is.
        return True
    if kind == "PHONE" and _ON_THE_DEVICE.search(before, max(0, start - 30), start):
        return True
    if kind == "PHONE" and before.endswith("с ", 0, start):
        return True  # "ИНН щас с телефона гляну": read from the phone ("с карты" pays by card)
    if kind == "NUMBER" and _HOW_MANY.search(before, max(0, start - 12), start):
        return True  # "Is twelve numbers.": how long the value is
    pattern = _NOT_A_VALUE_CUE if kind == "NONE" else _NOT_A_DATA_CUE
    return pattern.search(before, max(0, start - 30), start) is not None


_HOW_MANY = re.compile(r"\b(ten|eleven|twelve|fifteen|sixteen|nine|\d+)\s+$")
# "номер снилс" pairs two cues; "СНИЛС 197 043 128 55, номер 8 983 ..." does not.
_DIGIT = re.compile(r"\d")
_AFTER = {kind: CUES[kind] for kind in ("PASSPORT", "SNILS", "INN", "CARD", "PHONE")}
# "45 10 117733, выдан ...": only a passport is issued.
_AFTER["PASSPORT"] = re.compile(CUES["PASSPORT"].pattern + r"|\bвыдан")
# "0048-331-7702, that's the loan number": what the number was, said right after it.
_NONE_AFTER = re.compile(
    r"\W*(that's|that is|это)?\s*(the|my|our|his|her|мой|номер)?\s*(loan|account|order|booking|"
    r"policy|member|reference|claim|invoice|contract|tracking|roll|student|заказ|договор|"
    r"счет|лицев)",
)
_NUMBER_NEXT = re.compile(
    r"\d|\b(zero|oh|one|two|three|four|five|six|seven|eight|nine|ноль|один|два|три|четыре|пять|"
    r"шесть|семь|восемь|девять)\b|\b[A-Za-z]( |,)",
    re.IGNORECASE,
)
# An ellipsis is a pause, not a sentence's end ("...zero one four two... no sorry, that's my
# phone number").
_SENTENCE_END = re.compile(r"(?<!\.\.)[.?!](\s|$)")


def cue_after(text: str, end: int) -> str | None:
    """A cue said right after the value ("158 457 236 00 это снилс")."""
    after = text[end : end + 30].lower().replace("ё", "е")
    # "Записала 63 08 245719. СНИЛС и ИНН?": a cue in the next sentence asks for the next value.
    stop = _SENTENCE_END.search(after)
    after = after[: stop.start()] if stop else after
    if _NONE_AFTER.match(after):
        return "NONE"
    first: tuple[int, str] | None = None
    for kind, pattern in _AFTER.items():
        match = pattern.search(after)
        # "184 772 015 39 и ИНН 390 ...": a cue with its own number after it is that one's
        # ("and passport's P A five three ...": said in words too).
        if match and _NUMBER_NEXT.search(text, end + match.end(), end + match.end() + 16):
            continue
        if match and (first is None or match.start() < first[0]):
            first = (match.start(), kind)
    return first[1] if first else None


_AFTER_NONE = re.compile(
    r"\s*(руб|р\.|₽|\$|€|доллар|dollars|bucks|euro|евро|r?oubles?|rubles?|pounds|rupees|штук|pieces|процент|%|минут|час|"
    r"секунд|лет\b|год[ау]?\b|years|items|pcs|шт\b|мин\b|o'clock|a\.?m\b|p\.?m\b|"
    r"hectares?|acres?|гектар|сот(ок|ки|ка)\b|занят)",
    re.IGNORECASE,
)


def followed_by_unit(text: str, end: int) -> bool:
    return bool(_AFTER_NONE.match(text, end))


def opens_answer(text: str, start: int, reach: int = 40) -> bool:
    """Whether a value at ``start`` is the first one said in its line, after ``reach``
    characters at most ("так, сейчас...", "ну, записывайте:", "yeah, it's"): the answer to a
    question in the line before."""
    return start <= reach and _DIGIT.search(text, 0, start) is None
