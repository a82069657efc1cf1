"""Classes of wording the rules cover, one table per type and language: each class with a
positive case and a look-alike that is no personal data (or a different value)."""

from __future__ import annotations

import pytest

from tests.privacy.spans import found

Case = tuple[str, list[tuple[str, str]]]

RU_NUMBERS: list[Case] = [
    # "в телефоне записан" speaks of the device, not of the number.
    (
        "ИНН? Знаю, он у меня в телефоне записан. Шестьсот шестьдесят семь, ноль двадцать два, "
        "триста сорок восемь, пятьсот девяносто один",
        [
            (
                "INN",
                "Шестьсот шестьдесят семь, ноль двадцать два, триста сорок восемь, пятьсот "
                "девяносто один",
            )
        ],
    ),
    # A pause inside one dictation joins its pieces.
    (
        "мобильный девять ноль три... ноль ноль два, сорок один, пятнадцать",
        [("PHONE", "девять ноль три... ноль ноль два, сорок один, пятнадцать")],
    ),
    (
        "снилс двести один триста два четыреста три... девяносто",
        [("SNILS", "двести один триста два четыреста три... девяносто")],
    ),
    # A correction: the span starts at the first attempt.
    (
        "запишите, девять ноль... нет, девятьсот пять сто десять двадцать ноль семь",
        [("PHONE", "девять ноль... нет, девятьсот пять сто десять двадцать ноль семь")],
    ),
    (
        "карта два два ноль один... ой, два два ноль два 1234 5678 9012",
        [("CARD", "два два ноль один... ой, два два ноль два 1234 5678 9012")],
    ),
    # The rest of a card after a corrected group would pass for an ИНН of its own; a fresh
    # start would say the first digits again.
    (
        "номер карты 4276 тридцать восемь... нет, 3800 1294 5570",
        [("CARD", "4276 тридцать восемь... нет, 3800 1294 5570")],
    ),
    (
        "телефон восемь девятьсот двадцать один, ноль ноль семь, девяносто девять... девяносто "
        "восемь, двенадцать",
        [
            (
                "PHONE",
                "восемь девятьсот двадцать один, ноль ноль семь, девяносто девять... девяносто "
                "восемь, двенадцать",
            )
        ],
    ),
    # A hesitation before the pause; "э-э нет" before the group said again.
    (
        "нет новый 8 (952) 377 ну... 377-06-15. и фото потом",
        [("PHONE", "8 (952) 377 ну... 377-06-15")],
    ),
    (
        "номер восемь девятьсот шестнадцать триста сорок два ноль семь девяносто э-э нет "
        "девяносто один",
        [
            (
                "PHONE",
                "восемь девятьсот шестнадцать триста сорок два ноль семь девяносто э-э нет "
                "девяносто один",
            )
        ],
    ),
    # Where a value is to be written is no cue of what it is; where one calls is.
    ("ИНН в договоре укажите, 7707083893", [("INN", "7707083893")]),
    (
        "звоните на горячую линию восемь восемьсот пятьсот пятьдесят пять тридцать пять тридцать "
        "пять",
        [],
    ),
    # The group taken back in words: the first compound said after "нет", "ноль три" as one
    # group, the whole group said again from its first two digits; "дважды" says a digit twice.
    *[
        (text, [(kind, text.split(" ", 2 if text.startswith("номер") else 1)[-1])])
        for kind, text in [
            (
                "INN",
                "ИНН пятьдесят ноль один ноль семь тридцать... нет, тридцать семь двадцать один "
                "сорок восемь",
            ),
            (
                "PHONE",
                "телефон восемь девятьсот шестнадцать пятьсот пятьдесят пять ноль три... нет, "
                "ноль четыре двадцать один",
            ),
            (
                "CARD",
                "номер карты пятьдесят пять тридцать шесть девяносто один сорок э-э двадцать два "
                "восемьдесят семь тридцать ноль шесть... нет, тридцать ноль пять",
            ),
            (
                "CARD",
                "карта четыре два семь шесть ноль ноль один девять ну пять пять ноль три дважды "
                "восемь один четыре",
            ),
        ]
    ],
    # A group written in digits is taken back the same way.
    ("карта 4276 3800 1234 ой 1235 5678", [("CARD", "4276 3800 1234 ой 1235 5678")]),
    # The same pause after a refused number (the last digits of a card) joins nothing.
    (
        "карта заканчивается на 4411... нет, на 4412",
        [],
    ),
    # A number followed by a counted word: the count is outside.
    (
        "ИНН семьдесят семь ноль один двадцать три сорок пять шестьдесят семь восемьдесят "
        "девять, двенадцать цифр",
        [
            (
                "INN",
                "семьдесят семь ноль один двадцать три сорок пять шестьдесят семь восемьдесят "
                "девять",
            )
        ],
    ),
    # A document's own grouping without a cue.
    ("вот, 6011 204518 — всё верно?", [("PASSPORT", "6011 204518")]),
    ("да, 40 03 771204", [("PASSPORT", "40 03 771204")]),
    ("с карточки переписываю: 123 045 678 31", [("SNILS", "123 045 678 31")]),
    # No cue in the turn: ten spoken digits that are no phone are a passport, twelve an ИНН.
    (
        "пятьдесят шесть ноль два, триста десять девятьсот девяносто",
        [("PASSPORT", "пятьдесят шесть ноль два, триста десять девятьсот девяносто")],
    ),
    ("540312998877, так?", [("INN", "540312998877")]),
    # Look-alikes: an order or contract number grouped the same way, a price, a toll-free line.
    ("номер заказа 6011 204518", []),
    ("договор 123 045 678 31 от марта", []),
    ("стоимость 540312 рублей", []),
    ("звоните на 8 800 555 35 35", []),
    # "индивидуальный номер" is the ИНН.
    ("индивидуальный номер 7707 0834 9312", [("INN", "7707 0834 9312")]),
    # A country code says phone, whatever a checksum says.
    ("записываю: +7 903 215-40-17, так?", [("PHONE", "+7 903 215-40-17")]),
    # Half in words, half in digits: "девятьсот 21" is 921.
    (
        "плюс семь девятьсот 21 триста 05 семь семь ноль ноль",
        [("PHONE", "плюс семь девятьсот 21 триста 05 семь семь ноль ноль")],
    ),
    # Groups of a card said with pauses.
    (
        "карта два два ноль ноль... один три пять семь... два четыре шесть восемь... "
        "девять ноль один три",
        [
            (
                "CARD",
                "два два ноль ноль... один три пять семь... два четыре шесть восемь... "
                "девять ноль один три",
            )
        ],
    ),
    # Look-alike: an order number said in groups with pauses.
    ("номер заказа четыре пять... шесть семь... восемь", []),
    # A zero after hundreds holds the tens' place: "семьсот ноль пять" is 705.
    (
        "мой номер восемь девятьсот двенадцать семьсот ноль пять сорок сорок",
        [("PHONE", "восемь девятьсот двенадцать семьсот ноль пять сорок сорок")],
    ),
    # A flat number before a phone with a plus, a passport before a date: separate values.
    (
        "квартира 8, +7 911 452 87 03",
        [("PHONE", "+7 911 452 87 03")],
    ),
    (
        "паспорт 45 04 581239, 14.02.1989",
        [("PASSPORT", "45 04 581239"), ("BIRTHDATE", "14.02.1989")],
    ),
    # Ten digits with an ИНН's checksum outside Russia's dialling plan are an ИНН; a Moscow
    # number or a mobile that happens to pass the checksum stays a phone.
    ("7767648690 — вижу, ООО «Вектор-Строй»", [("INN", "7767648690")]),
    ("звоните на 4951234568 в рабочее время", [("PHONE", "4951234568")]),
    ("мой 9876543210", [("PHONE", "9876543210")]),
]

# An aside between two pauses holds the dictation; a cue in it starts another value.
RU_ASIDES: list[Case] = [
    (
        "телефон мамы восемь девятьсот двадцать шесть, записываете? четыреста один, "
        "двенадцать, ноль три",
        [
            (
                "PHONE",
                "восемь девятьсот двадцать шесть, записываете? четыреста один, двенадцать, "
                "ноль три",
            )
        ],
    ),
    ("рейс ZF 1145, пятизвёздочный отель, 186 400 на двоих", []),
    # A foreign guest's passport after its cue; a vet passport and a driving licence are none.
    (
        "я гость из китай, паспорт номер e четыре пять восемь один два три девять шесть",
        [("PASSPORT", "e четыре пять восемь один два три девять шесть")],
    ),
    ("а права вот, водительское, семьдесят семь двадцать восемь пятьсот четырнадцать", []),
    # "щас", "так", "и контрольное" hold a dictation; a short aside around "номер" joins a
    # passport's series and number.
    (
        "и снилс, щас, два ноль пять, девять пять один... щас, пятьсот двадцать девять, "
        "шестьдесят три",
        [
            (
                "SNILS",
                "два ноль пять, девять пять один... щас, пятьсот двадцать девять, шестьдесят три",
            )
        ],
    ),
    ("платить буду с карты, 4377 4860, щас, 7975 0327", [("CARD", "4377 4860, щас, 7975 0327")]),
    (
        "серия восемьдесят ноль девять, номер... секунду, в обложке... шестьсот семьдесят один "
        "двести четыре",
        [
            (
                "PASSPORT",
                "восемьдесят ноль девять, номер... секунду, в обложке... шестьсот семьдесят один "
                "двести четыре",
            )
        ],
    ),
    ("серия 4510, номер заказа 123456", []),
    # An ordinal in an aside is no piece of the number; an aside may end with a question.
    (
        "пять два один три... это первая... один два ноль один... сейчас, лупу возьму... "
        "семь четыре девять пять... пять два три пять",
        [
            (
                "CARD",
                "пять два один три... это первая... один два ноль один... сейчас, лупу "
                "возьму... семь четыре девять пять... пять два три пять",
            )
        ],
    ),
    (
        "вот номер: двадцать два ноль четыре, двадцать восемь пятьдесят семь... записываете? "
        "двадцать один двадцать два, сорок два ноль девять",
        [
            (
                "CARD",
                "двадцать два ноль четыре, двадцать восемь пятьдесят семь... записываете? "
                "двадцать один двадцать два, сорок два ноль девять",
            )
        ],
    ),
    # Ten digits said from a group of four are a passport; a phone starts with three.
    (
        "а у мужа девяносто два восемнадцать, ноль семьдесят шесть, триста сорок пять",
        [("PASSPORT", "девяносто два восемнадцать, ноль семьдесят шесть, триста сорок пять")],
    ),
    (
        "а у мужа девятьсот двадцать один, восемьсот семьдесят шесть, сорок пять, ноль три",
        [("PHONE", "девятьсот двадцать один, восемьсот семьдесят шесть, сорок пять, ноль три")],
    ),
    (
        "у него семьдесят пять, номер девять восемь семь шесть пять четыре три",
        [("PASSPORT", "семьдесят пять, номер девять восемь семь шесть пять четыре три")],
    ),
    # The word said last before a pause starts the next piece again.
    (
        "номер... восемь девятьсот двадцать шесть... триста... триста сорок один... "
        "пятнадцать... ноль семь",
        [
            (
                "PHONE",
                "восемь девятьсот двадцать шесть... триста... триста сорок один... "
                "пятнадцать... ноль семь",
            )
        ],
    ),
    # A corrected group in a number still being dictated goes on with it.
    (
        "телефон восемь девятьсот... сто двадцать три... ой нет двести тридцать... сорок "
        "пять шестьдесят семь",
        [
            (
                "PHONE",
                "восемь девятьсот... сто двадцать три... ой нет двести тридцать... сорок пять "
                "шестьдесят семь",
            )
        ],
    ),
    (
        "сотовый восемь девятьсот... пишете? ...шестнадцать двести, десять, ноль семь",
        [("PHONE", "восемь девятьсот... пишете? ...шестнадцать двести, десять, ноль семь")],
    ),
    (
        "картой: два два ноль ноль... так... один пять семь семь, ноль ноль три один, "
        "четыре четыре восемь два",
        [
            (
                "CARD",
                "два два ноль ноль... так... один пять семь семь, ноль ноль три один, "
                "четыре четыре восемь два",
            )
        ],
    ),
    (
        "серия сорок один ноль два, номер... сейчас... триста девять пятьсот пятьдесят один",
        [
            (
                "PASSPORT",
                "сорок один ноль два, номер... сейчас... триста девять пятьсот пятьдесят один",
            )
        ],
    ),
    # A group said again after a pause is said once.
    (
        "снилс один два три, четыре ноль пять, шесть шесть семь... шесть шесть семь, "
        "тридцать девять",
        [
            (
                "SNILS",
                "один два три, четыре ноль пять, шесть шесть семь... шесть шесть семь, "
                "тридцать девять",
            )
        ],
    ),
    # A person's ИНН goes on after ten digits.
    (
        "инн пятьсот два... ноль один... двести двадцать... триста тридцать... четыре",
        [("INN", "пятьсот два... ноль один... двести двадцать... триста тридцать... четыре")],
    ),
    # A corrected last compound is replaced ("двести девяносто... нет, двести восемьдесят
    # девять"); commas read as pauses when that makes the value ("семьсот, восемьдесят девять").
    (
        "номер восемь девятьсот шестнадцать сто двадцать... нет, сто двадцать один, ноль семь, "
        "тридцать",
        [
            (
                "PHONE",
                "восемь девятьсот шестнадцать сто двадцать... нет, сто двадцать один, ноль семь, "
                "тридцать",
            )
        ],
    ),
    (
        "телефон восемь, девятьсот, двенадцать, четыреста, пятьдесят шесть, ноль один, двадцать",
        [
            (
                "PHONE",
                "восемь, девятьсот, двенадцать, четыреста, пятьдесят шесть, ноль один, двадцать",
            )
        ],
    ),
    # Twelve digits pass for an ИНН until four more after a pause make a card.
    (
        "записывайте: два два ноль ноль... один пять один четыре... три три ноль девять... "
        "семь семь шесть восемь",
        [
            (
                "CARD",
                "два два ноль ноль... один пять один четыре... три три ноль девять... семь семь "
                "шесть восемь",
            )
        ],
    ),
    # An ordinal said before a card is no part of it.
    (
        "карты две, первая 5536 9100 2231 0087 и вторую, 2200 1514 3309 7765",
        [("CARD", "5536 9100 2231 0087"), ("CARD", "2200 1514 3309 7765")],
    ),
    # Number words are no written grouping ("ноль восемь" is not 4 + 6); digits glued to a
    # word are a code's.
    ("коэффициент ноль восемь", []),
    ("промокод ВЕСНА2024 до конца месяца", []),
    # Look-alike: a cue in the aside begins another value.
    ("телефон 8 903... а заказ... 4471 9920", []),
]

# Which value a number is, when its neighbours speak of others.
RU_NEIGHBOURS: list[Case] = [
    # Cards that pay nothing, a receipt's and a payment's numbers, a licence.
    ("Номер клубной карты 2000 0451 7788 3310, скидка 5 процентов.", []),
    ("чек номер 0045 1178 3390 2211 выиграл сертификат", []),
    ("идентификатор платежа 4100 2231 7788 0912 придёт в СМС", []),
    ("у нас лицензия Л035-01298-77/00178543", []),
    ("у меня абонемент номер 915 402 77 18", []),
    ("три двести, номер брони 4471-02", []),
    # "не по счёту": what the card is instead of; the card's cue stands.
    (
        "можно сразу картой, не по счёту? 5431 0082 7750 1945",
        [("CARD", "5431 0082 7750 1945")],
    ),
    # A cue in the next sentence asks for the next value.
    ("Записала 45 11 902736. СНИЛС есть?", [("PASSPORT", "45 11 902736")]),
    # A cue followed by its own number is not said of the one before.
    (
        "218 493 650 11 и ИНН 771 204 355 918",
        [("SNILS", "218 493 650 11"), ("INN", "771 204 355 918")],
    ),
    # Eleven digits not after 7 or 8 are a СНИЛС, not a foreign phone.
    ("по карточке: 185 224 309 47", [("SNILS", "185 224 309 47")]),
    # A mobile number is a phone even when its checksum would pass for a СНИЛС.
    (
        "снилс 129 448 717 08, номер 8 916 204 11 35",
        [("SNILS", "129 448 717 08"), ("PHONE", "8 916 204 11 35")],
    ),
    # A series said as four digits, in any grouping of the rest.
    (
        "Алиев Рамиль, 8204 551 302, на него",
        [("PERSON", "Алиев Рамиль"), ("PASSPORT", "8204 551 302")],
    ),
    ("загранпаспорт 73 5512049", [("PASSPORT", "73 5512049")]),
    (
        "сорок десять, двести тридцать один ноль ноль два, выдан в марте",
        [("PASSPORT", "сорок десять, двести тридцать один ноль ноль два")],
    ),
    # After a flat number, a comma ends it; an ordinal day after a comma begins a date.
    (
        "улица Лесная дом 4 квартира 12, 8 917 330 41 20",
        [("ADDRESS", "улица Лесная дом 4 квартира 12"), ("PHONE", "8 917 330 41 20")],
    ),
    (
        "номер +7 705 118 42 90, первое мая две тысячи первого",
        [("PHONE", "+7 705 118 42 90"), ("BIRTHDATE", "первое мая две тысячи первого")],
    ),
    # What a value is for is no cue of what it is; "в телефоне" speaks of the device.
    (
        "и паспорт для договора сорок пять ноль два номер триста десять двести двадцать",
        [("PASSPORT", "сорок пять ноль два номер триста десять двести двадцать")],
    ),
    (
        "ИНН сейчас найду, в телефоне записан. 500 312 204 871",
        [("INN", "500 312 204 871")],
    ),
    # A travel passport: two digits, "номер" and seven, or written 2 + 7.
    (
        "загран семьдесят два, номер один два три четыре пять шесть семь",
        [("PASSPORT", "семьдесят два, номер один два три четыре пять шесть семь")],
    ),
    ("Записала: 72 1234567, спасибо", [("PASSPORT", "72 1234567")]),
    # A mobile number said well after a parcel's cue is still a phone.
    (
        "посылку отправить хочу, получатель Кира Белова, 89264117702",
        [("PERSON", "Кира Белова"), ("PHONE", "89264117702")],
    ),
    # Look-alike: a parcel number right after its cue.
    ("трек посылки 89264117702", []),
    # An aside closed by a pause; "нет, подождите" takes the group back.
    (
        "номер карты: четыре два семь шесть, тридцать восемь ноль ноль, секунду, достану из "
        "кошелька... пятьдесят один двенадцать, девяносто шесть сорок семь",
        [
            (
                "CARD",
                "четыре два семь шесть, тридцать восемь ноль ноль, секунду, достану из "
                "кошелька... пятьдесят один двенадцать, девяносто шесть сорок семь",
            )
        ],
    ),
    (
        "карта 2200 7004 1188... нет, подождите, 1189 3056",
        [("CARD", "2200 7004 1188... нет, подождите, 1189 3056")],
    ),
    # A foreign passport mixes letters and digits; a hunting licence and a gun permit are no
    # personal data.
    ("паспорт грузинский, 13AB45871.", [("PASSPORT", "13AB45871")]),
    ("охотбилет у меня 22 № 0417856, РОХа 0419 1127845", []),
    # "домашний" is no "дом"; a code's letters glued to a number keep "номер" from joining
    # it to an amount; "трек-номер из смс" names where the number came from.
    (
        "телефон домашний восемь восемьсот сорок шесть, двести семьдесят два, восемнадцать, сорок",
        [("PHONE", "восемь восемьсот сорок шесть, двести семьдесят два, восемнадцать, сорок")],
    ),
    ("Сертификат на 10 занятий — 9 000, действует полгода, номер будет вида ТГ-000-451.", []),
    ("вот трек-номер из смс: 8000 4512 3387 6690.", []),
    # Nine digits "и" two more are a СНИЛС.
    (
        "сто двадцать три... четыреста пятьдесят шесть... семьсот восемьдесят девять, и "
        "шестьдесят четыре",
        [
            (
                "SNILS",
                "сто двадцать три... четыреста пятьдесят шесть... семьсот восемьдесят девять, и "
                "шестьдесят четыре",
            )
        ],
    ),
    # A pawn ticket's number right after "билет"; an ISBN.
    ("у меня в залоге серьги, билет 0045 112233, хочу продлить", []),
    ("издание восемьдесят девятого года, ISBN 5-201-01062-9", []),
    # An amount closes a run ("двести сорок тысяч"); a landline without its city's code
    # after "городской" or "домашний"; a hesitation between two pauses holds a card.
    ("вижу проект П-3391, двести сорок тысяч, рассрочка на год", []),
    ("мамин городской, 2 64 18 09", [("PHONE", "2 64 18 09")]),
    (
        "домашний два семьдесят два тридцать один ноль пять",
        [("PHONE", "два семьдесят два тридцать один ноль пять")],
    ),
    ("карта 2202 2036 1184... э-э... 5590", [("CARD", "2202 2036 1184... э-э... 5590")]),
    # A group of single digits said again after "нет" replaces the one before it.
    (
        "с карты можно? 4 2 7 6, 5 5 0 0, 1 2 3 4... нет, 1 2 4 3, 8 8 0 6",
        [("CARD", "4 2 7 6, 5 5 0 0, 1 2 3 4... нет, 1 2 4 3, 8 8 0 6")],
    ),
    # An aside with no pause before it; "а нет" takes a group back; "что у вас там стоит" is
    # what is on file, not a price; an electronic prescription's number is a record.
    (
        "картой: 2202 1494 секунду, очки надену... 7004 9161. и чек на почту",
        [("CARD", "2202 1494 секунду, очки надену... 7004 9161")],
    ),
    (
        "СНИЛС семьсот девяносто три, девятьсот два, семнадцать... а нет, сто семьдесят девять, "
        "сорок два.",
        [
            (
                "SNILS",
                "семьсот девяносто три, девятьсот два, семнадцать... а нет, сто семьдесят девять, "
                "сорок два",
            )
        ],
    ),
    (
        "ИНН? я не помню, что у вас там стоит... шестнадцать восемьдесят четыре, восемьдесят "
        "три, семьдесят два, шестьдесят один, тридцать девять",
        [
            (
                "INN",
                "шестнадцать восемьдесят четыре, восемьдесят три, семьдесят два, шестьдесят один, "
                "тридцать девять",
            )
        ],
    ),
    (
        "рецепт электронный, номер вот: семьдесят семь, ноль четыре пять семь, триста "
        "восемнадцать, двести двадцать шесть",
        [],
    ),
    # The speaker's own "ага" between a passport's series and number; "договорится" names no
    # contract; a card's cue of the sentence before does not name "мой номер".
    (
        "паспорт сорок шесть четырнадцать... ага, девятьсот двадцать восемь триста семнадцать.",
        [
            (
                "PASSPORT",
                "сорок шесть четырнадцать... ага, девятьсот двадцать восемь триста семнадцать",
            )
        ],
    ),
    (
        "пишите дочкин, она с ним договорится. восемь девять ноль четыре, пятьсот двадцать, "
        "семьдесят семь, тридцать один",
        [("PHONE", "восемь девять ноль четыре, пятьсот двадцать, семьдесят семь, тридцать один")],
    ),
    (
        "Я заплачу, картой. Если что, мой номер девятьсот шестьдесят пять четыреста сорок четыре "
        "девятнадцать семьдесят.",
        [
            (
                "PHONE",
                "девятьсот шестьдесят пять четыреста сорок четыре девятнадцать семьдесят",
            )
        ],
    ),
    # Letters glued to the digits by a dash make a claim's code.
    ("Убыток зарегистрирован, номер У-2024-0783316, эксперт свяжется", []),
    # Tens, a hesitation, then the unit are one number; a cue of the device read from is none.
    (
        "СНИЛС двести сорок восемь, четыреста восемьдесят... э-э четыре, шестьсот шестьдесят "
        "один, пятнадцать",
        [
            (
                "SNILS",
                "двести сорок восемь, четыреста восемьдесят... э-э четыре, шестьсот шестьдесят "
                "один, пятнадцать",
            )
        ],
    ),
    (
        "ИНН щас с телефона гляну... шестьсот двенадцать, ноль пятьдесят два, сто сорок три, "
        "двести сорок шесть",
        [
            (
                "INN",
                "шестьсот двенадцать, ноль пятьдесят два, сто сорок три, двести сорок шесть",
            )
        ],
    ),
    # Twelve digits after a first group of four, across an aside, finish a card whose checksum
    # fails (a misheard digit).
    (
        "пять пять три один... щас, очки найду... ноль ноль четыре два, семь семь один шесть, "
        "три девять ноль восемь",
        [
            (
                "CARD",
                "пять пять три один... щас, очки найду... ноль ноль четыре два, семь семь один "
                "шесть, три девять ноль восемь",
            )
        ],
    ),
]

EN_NUMBERS: list[Case] = [
    # An aside between commas holds a dictation; two values said one after the other are two.
    (
        "deposit on my Visa, four seven four oh, one oh six nine, hang on, eight one five "
        "three, three oh one three",
        [
            (
                "CARD",
                "four seven four oh, one oh six nine, hang on, eight one five three, three oh "
                "one three",
            )
        ],
    ),
    (
        "+7 916 204-11-87, 07956 441208 and that's all",
        [("PHONE", "+7 916 204-11-87"), ("PHONE", "07956 441208")],
    ),
    (
        "I'll use my passport instead of the driver's license, it's 120 559 847.",
        [("PASSPORT", "120 559 847")],
    ),
    ("licence is 0 4 7 7 3 1 9 2 8, New South Wales", []),
    # "asked for SNILS" names the value; the СНИЛС's green card; two letters spelled "as in".
    (
        "the pharmacist asked for SNILS, mine is five six nine, four one two, eight seven "
        "eight, three seven",
        [("SNILS", "five six nine, four one two, eight seven eight, three seven")],
    ),
    (
        "um my SNILS, it's on the green card here, nine nine five, six three nine, two zero "
        "zero, seven nine",
        [("SNILS", "nine nine five, six three nine, two zero zero, seven nine")],
    ),
    (
        "Mine's Canadian, P as in Paul, R as in Robert, nine one one four oh six.",
        [("PASSPORT", "P as in Paul, R as in Robert, nine one one four oh six")],
    ),
    ("order C as in cat, nine one one four oh six", []),
    # A company's free line said "one eight hundred"; what a number was, said right after
    # it; eleven digits are no English phone; a cue followed by its own number in words.
    ("just call the returns desk, one eight hundred five five five oh one four two", []),
    ("yeah hi um it's 0048-331-7702, that's the loan number, not my phone", []),
    ("the Greenleaf Rewards, number is 7 7 0 2 1 4 4 8 9 3 0", []),
    (
        "oh eight seven... two six one, double four eight three, and passport's P A five three "
        "eight one nine four two",
        [
            ("PHONE", "oh eight seven... two six one, double four eight three"),
            ("PASSPORT", "P A five three eight one nine four two"),
        ],
    ),
    # A German passport mixes letters and digits.
    ("passport is German, C7H2N4K9R, thank you", [("PASSPORT", "C7H2N4K9R")]),
    ("my roll number is 23 1104 5567", []),
    # Groups read out as sentences pause; "hang on, sorry" holds the dictation; "the number
    # on the account" is a phone's cue, the account number is not.
    (
        "five one oh five. six six eight four. oh four nine nine. nine one three five",
        [("CARD", "five one oh five. six six eight four. oh four nine nine. nine one three five")],
    ),
    (
        "and my mobile's oh eight seven, one two three... hang on, sorry, four five six seven",
        [("PHONE", "oh eight seven, one two three... hang on, sorry, four five six seven")],
    ),
    (
        "The number on the account is oh eight seven, one two three, nine nine eight one.",
        [("PHONE", "oh eight seven, one two three, nine nine eight one")],
    ),
    ("The account number is oh eight seven, one two three, nine nine eight one.", []),
    # A Russian document in an English call: a СНИЛС that passes its check, a passport
    # written as series and number.
    ("thank you, 716-448-749 25, and we have it on file", [("SNILS", "716-448-749 25")]),
    ("36560188392, got it", [("SNILS", "36560188392")]),
    ("36560188393, got it", []),
    ("4511 328904 and her date of birth?", [("PASSPORT", "4511 328904")]),
    # "number" alone asks for a document: nine digits are no English phone.
    (
        "Daniel James Whitaker... the number's five three eight, one two oh, seven four six",
        [
            ("PERSON", "Daniel James Whitaker"),
            ("PASSPORT", "five three eight, one two oh, seven four six"),
        ],
    ),
    ("Our routing number is 021000021, for wire transfers only.", []),
    # A cue said after a value that it cannot be is the next value's.
    (
        "five six four eight one zero two nine seven, and your INN, the bank said two four "
        "five seven, three four one five, two one three four?",
        [
            ("PASSPORT", "five six four eight one zero two nine seven"),
            ("INN", "two four five seven, three four one five, two one three four"),
        ],
    ),
    # Said digit by digit with no group heard: a correction takes back as many digits as the
    # group it restates; a hesitation holds the dictation.
    (
        "the card is five five five five uh four four four four three three three three no "
        "sorry three three three two one one one one",
        [
            (
                "CARD",
                "five five five five uh four four four four three three three three no sorry "
                "three three three two one one one one",
            )
        ],
    ),
    ("the card ends in three three three three no sorry three three three two", []),
    (
        "it's two oh six... no, two oh eight, five five five, oh one four two",
        [("PHONE", "two oh six... no, two oh eight, five five five, oh one four two")],
    ),
    (
        "card is 5500... um... 5500 0055 5555 5559",
        [("CARD", "5500... um... 5500 0055 5555 5559")],
    ),
    ("reach me at 415.555.0172 after six", [("PHONE", "415.555.0172")]),
    ("my phone is 01632 960 0183", [("PHONE", "01632 960 0183")]),
    ("text me on 646-555-0110 twenty minutes before", [("PHONE", "646-555-0110")]),
    ("ok use this one 40 12 88 88 88 88 18 81", [("CARD", "40 12 88 88 88 88 18 81")]),
    ("the passport is X7730125B4", [("PASSPORT", "X7730125B4")]),
    ("sure, it's K 7 3 0 1 9 2 8", [("PASSPORT", "K 7 3 0 1 9 2 8")]),
    ("passport H B 4 4 1 2 0 9 7", [("PASSPORT", "H B 4 4 1 2 0 9 7")]),
    ("So 713204559, thank you.", [("PASSPORT", "713204559")]),
    # A day said before the year is a date, not a passport.
    (
        "born June twentieth nineteen seventy one, passport 613002481",
        [("BIRTHDATE", "June twentieth nineteen seventy one"), ("PASSPORT", "613002481")],
    ),
    # Look-alikes: claim and warranty numbers, letter codes, a reference number, a decimal.
    ("your claim number is 0031-5520-117", []),
    ("the part is RTX 4090 2233 11", []),
    ("ticket REF-5521-7730-09 is open", []),
    ("the warranty number is 4400-2871-9930-112", []),
    ("Our reference number for this call is 20251102-0077.", []),
    ("that's 4.5 percent over 36 months", []),
    # A hesitation without a pause mark holds one number together.
    (
        "it's nine one seven um four four four, two two three oh",
        [("PHONE", "nine one seven um four four four, two two three oh")],
    ),
    # A letter spelled "as in" a word, then digits: a document number, letter included.
    (
        "okay it's d as in delta four four one nine two zero seven seven",
        [("PASSPORT", "d as in delta four four one nine two zero seven seven")],
    ),
    # A filler before a number is no passport letter.
    (
        "uh six one two zero four four nine three seven",
        [("PASSPORT", "six one two zero four four nine three seven")],
    ),
    # Look-alike: a booking code spelled the same way.
    ("your booking code is b as in bravo four four one nine two zero", []),
    # Letters, then digits: a passport, spelled or written, with or without a cue.
    ("yes, it's F R four one two two nine oh", [("PASSPORT", "F R four one two two nine oh")]),
    ("okay so that's KT440918. Anything else?", [("PASSPORT", "KT440918")]),
    ("Dutch passport, N 3 7 Y 0 1 K 8 2, thanks", [("PASSPORT", "N 3 7 Y 0 1 K 8 2")]),
    ("passport is 31CD77120, valid till 2030", [("PASSPORT", "31CD77120")]),
    (
        "her passport is b, zero four, one one, seven two, six six",
        [("PASSPORT", "b, zero four, one one, seven two, six six")],
    ),
    # Look-alikes: a longer spelled code, a stock code, a code after a refusing cue, ZIP+4.
    ("the code is q r t b m four four one nine two seven", []),
    ("stock number K44-1902", []),
    ("your reference for this call is a c three nine one one four four eight", []),
    ("it's in Austin, TX 78701-2210", []),
    # A country before the number is no prefix.
    (
        "a UK passport, one one two, double four, eight, seven oh three",
        [("PASSPORT", "one one two, double four, eight, seven oh three")],
    ),
    # A corrected group replaces the one said before it.
    (
        "it's three one two, four four four, sorry, four four five, oh one one nine",
        [("PHONE", "three one two, four four four, sorry, four four five, oh one one nine")],
    ),
    # ", sorry, " between commas takes a group back, though "sorry" may also open an aside;
    # a group written in digits is replaced the same way.
    (
        "my number is oh seven seven oh oh, nine oh one, sorry, nine oh oh, one two three",
        [("PHONE", "oh seven seven oh oh, nine oh one, sorry, nine oh oh, one two three")],
    ),
    ("my card is 4276 3800 1234, sorry, 1235 5678", [("CARD", "4276 3800 1234, sorry, 1235 5678")]),
    # A group of four begun and said again whole; an Amex's last group of five.
    (
        "card five four one nine, six six zero two, seven... sorry, eight one one three, oh oh "
        "five seven",
        [
            (
                "CARD",
                "five four one nine, six six zero two, seven... sorry, eight one one three, oh oh "
                "five seven",
            )
        ],
    ),
    (
        "it's an amex, three seven eight two, eight two two four six three, one oh oh, sorry, "
        "one oh oh oh five",
        [
            (
                "CARD",
                "three seven eight two, eight two two four six three, one oh oh, sorry, one oh oh "
                "oh five",
            )
        ],
    ),
    # "series and number" asks for a Russian passport; "on the receipt" says where the INN
    # goes, not what the number is.
    (
        "Anastasia Volkova, series and number four five one nine, eight eight two, oh three five",
        [("PASSPORT", "four five one nine, eight eight two, oh three five")],
    ),
    (
        "put my INN on the receipt, five four oh six, one one two, seven three eight, nine oh",
        [("INN", "five four oh six, one one two, seven three eight, nine oh")],
    ),
    ("the number on the receipt is 4100 2231 7788 0912", []),
    ("your job number is 0161 220 4587.", []),
    ("Your care plan number is 551-208-3390 if you call in", []),
    ("I got a quote from you guys, quote number 4471-220", []),
    ("and a gift card, 6035 7114 0098 2231", []),
    # A value already whole whose last group is said again after "no"; a group said again
    # from its first word after a pause replaces the short one before it.
    (
        "the number's three one two, five five five, oh one oh six... no, oh one oh seven",
        [("PHONE", "three one two, five five five, oh one oh six... no, oh one oh seven")],
    ),
    (
        "INN is seven eight one two, zero four five six, seven nine... sorry, seven eight one two",
        [
            (
                "INN",
                "seven eight one two, zero four five six, seven nine... sorry, seven eight one two",
            )
        ],
    ),
    (
        "SNILS one seven eight, two nine three, four four... four five one, six two",
        [("SNILS", "one seven eight, two nine three, four four... four five one, six two")],
    ),
    # A longer group after the correction replaces a short one; a dotted number before a full
    # stop; sixteen digits in fours after a word.
    (
        "card is four four one two, three three, sorry, three three eight one, oh oh two two, "
        "nine nine one oh",
        [
            (
                "CARD",
                "four four one two, three three, sorry, three three eight one, oh oh two two, "
                "nine nine one oh",
            )
        ],
    ),
    ("call my brother at 212.555.0147.", [("PHONE", "212.555.0147")]),
    ("try this one, 4929 1100 2338 7741, expiry 08/28", [("CARD", "4929 1100 2338 7741")]),
    # An aside between pauses, "okay" after it; twelve digits without a "+" are no phone.
    (
        "visa four nine one six ... hang on ... okay two two oh one, three three four four, "
        "five five six six",
        [
            (
                "CARD",
                "four nine one six ... hang on ... okay two two oh one, three three four four, "
                "five five six six",
            )
        ],
    ),
    ("i have your number as 07700 912345, still right?", [("PHONE", "07700 912345")]),
    # A short phone a piece after a pause completes; the same number said twice is two.
    (
        "my number is oh one six one, four nine six... you got that? ...oh two two eight",
        [("PHONE", "oh one six one, four nine six... you got that? ...oh two two eight")],
    ),
    (
        "it's oh eight seven one two three four five six seven oh eight seven one two three "
        "four five six seven",
        [
            ("PHONE", "oh eight seven one two three four five six seven"),
            ("PHONE", "oh eight seven one two three four five six seven"),
        ],
    ),
    # A passport spelled in words after its cue.
    (
        "passport number k zero two x one one t five eight, it's German",
        [("PASSPORT", "k zero two x one one t five eight")],
    ),
    # A number in an area code, a code texted to a number, a trunk zero and nine digits.
    ("a number in the 416 area code, 416-555-0142", [("PHONE", "416-555-0142")]),
    ("we'll text the code to 07700 900461 then", [("PHONE", "07700 900461")]),
    (
        "it's oh eight five, one one two, four four seven oh",
        [("PHONE", "oh eight five, one one two, four four seven oh")],
    ),
    # Look-alikes: a UK freephone line, a prescription number, no СНИЛС in an English call.
    ("our helpline is 0808 157 0192", []),
    ("the Rx number is 0442187", []),
    ("right, 07912 118 404, is that it?", [("PHONE", "07912 118 404")]),
    # A correction that picks up the last group again continues one card.
    (
        "the card, four one one one, two two... sorry, two two three three, four four "
        "five five, six six seven seven",
        [
            (
                "CARD",
                "four one one one, two two... sorry, two two three three, four four five five, "
                "six six seven seven",
            )
        ],
    ),
    # Ten digits with an ИНН's checksum that no phone has, said with no cue, are an
    # organisation's ИНН; a phone of North America, India or Australia stays a phone.
    ("5462038625, OOO Sibles. And the delivery address?", [("INN", "5462038625")]),
    (
        "so one six five nine oh eight three oh one eight for the guarantor form",
        [("INN", "one six five nine oh eight three oh one eight")],
    ),
    ("call me on 2125550109 after six", [("PHONE", "2125550109")]),
    ("my mobile is 9876543210", [("PHONE", "9876543210")]),
    ("0412 345 678. We also need a second keyholder", [("PHONE", "0412 345 678")]),
    # A false start after a group, taken back and picked up from that group; a one-digit
    # group begun and said again whole after "no".
    (
        "and the inn, seven eight four zero, two one five... five six... no, two one five, "
        "six six three, zero nine",
        [
            (
                "INN",
                "seven eight four zero, two one five... five six... no, two one five, six six "
                "three, zero nine",
            )
        ],
    ),
    (
        "snils, uh, two three four, five six seven, eight... no, eight nine oh, one two",
        [("SNILS", "two three four, five six seven, eight... no, eight nine oh, one two")],
    ),
    # A count of digits after the value is no digit of it; "new one" is no digit either.
    ("SNILS 061-444-902 73, two digits swapped", [("SNILS", "061-444-902 73")]),
    (
        "no, that one's cancelled, new one, um, card 5163 2044 1189 7350",
        [("CARD", "5163 2044 1189 7350")],
    ),
    # An aside after a comma closed by a pause; a cue of a device in it names no value; "one
    # moment" is no digit.
    (
        "Put it on my Visa, four five one nine, oh two eight three, hang on... seven seven one "
        "four, six oh five two",
        [
            (
                "CARD",
                "four five one nine, oh two eight three, hang on... seven seven one four, six oh "
                "five two",
            )
        ],
    ),
    (
        "INN is seven seven zero nine, hang on, I have it on my phone... four one eight three "
        "five two six oh",
        [
            (
                "INN",
                "seven seven zero nine, hang on, I have it on my phone... four one eight three "
                "five two six oh",
            )
        ],
    ),
    (
        "my INN is 7 8 4 2... one moment... 0 9 6 1 7 3 5 8, thanks",
        [("INN", "7 8 4 2... one moment... 0 9 6 1 7 3 5 8")],
    ),
    # "sorry" with an excuse for the pause holds the dictation; "sorry" alone takes the group
    # back.
    (
        "card's four nine one seven, three three oh eight, um, sorry, the light's bad, two six "
        "five one, oh oh four four",
        [
            (
                "CARD",
                "four nine one seven, three three oh eight, um, sorry, the light's bad, two six "
                "five one, oh oh four four",
            )
        ],
    ),
    # A name taken back right after the number gives its kind; an amount in roubles, a
    # Medicare number, a phone's IMEI and "two-day" are no personal data.
    (
        "And the INN is seven four three, three four six, eight oh nine, oh nine... wait, no, "
        "that's my SNILS, the green card.",
        [("SNILS", "seven four three, three four six, eight oh nine, oh nine")],
    ),
    ("for purchases over 100,000 roubles we need your passport", []),
    # What a value is for ("for your receipt") does not name it.
    ("our company INN for your receipt is 7707135118", [("INN", "7707135118")]),
    ("yep, Medicare's two nine five three, one four seven two six, one", []),
    ("ok, 356938035643809, it pops up when you dial star hash", []),
    ("IL 62704, two-day shipping", []),
    # A phone named as a device in an aside ("new phone"), "remember" no member's record; a
    # number called invalid is still a card; a refusing cue of another sentence ("not the IP
    # account?") names no value after it; "text it"; "call me first, ..." is no date.
    (
        "my mobile's oh seven seven... hang on, new phone, I never remember it... oh seven "
        "seven double oh, nine double oh, one two three",
        [
            (
                "PHONE",
                "oh seven seven... hang on, new phone, I never remember it... oh seven seven "
                "double oh, nine double oh, one two three",
            )
        ],
    ),
    (
        "Hmm, it's saying invalid number. I have 4532 3106 9196 6290?",
        [("CARD", "4532 3106 9196 6290")],
    ),
    (
        "can the refund go to my personal card, not the IP account? Four eight three eight, six "
        "three three six, seven five nine four, eight eight one two.",
        [
            (
                "CARD",
                "Four eight three eight, six three three six, seven five nine four, eight eight "
                "one two",
            )
        ],
    ),
    (
        "INN... seven six three, oh nine oh, six one one, nine seven. no wait sorry, this is "
        "SNILS, the green card.",
        [("SNILS", "seven six three, oh nine oh, six one one, nine seven")],
    ),
    (
        "Or actually just text it, oh four one two, three three six, nine oh eight.",
        [("PHONE", "oh four one two, three three six, nine oh eight")],
    ),
    (
        "He can call me first, eight nine one six, two oh four, thirty-three, ninety-one.",
        [("PHONE", "eight nine one six, two oh four, thirty-three, ninety-one")],
    ),
    # A Russian passport said in English: "then number" between its series and number; "the
    # Russian one" is no digit.
    (
        "Passport is nine two one four, then number, er, six three eight, five five seven.",
        [("PASSPORT", "nine two one four, then number, er, six three eight, five five seven")],
    ),
    (
        "and her passport, the Russian one, sixty-five oh three, seven one two four four nine",
        [("PASSPORT", "sixty-five oh three, seven one two four four nine")],
    ),
    # "number" and a longer aside between a passport's series and number.
    (
        "passport forty-six nineteen, number... hang on, it's in the other bag... three oh two "
        "seven seven five",
        [
            (
                "PASSPORT",
                "forty-six nineteen, number... hang on, it's in the other bag... three oh two "
                "seven seven five",
            )
        ],
    ),
    # A longer aside between two pauses that says why the reading stopped.
    (
        "passport's G K four four one... hang on, I'm reading it upside down... seven two nine",
        [
            (
                "PASSPORT",
                "G K four four one... hang on, I'm reading it upside down... seven two nine",
            )
        ],
    ),
    (
        "INN six one seven three, five one six one... sorry, I'm reading it upside down... seven "
        "nine eight three",
        [
            (
                "INN",
                "six one seven three, five one six one... sorry, I'm reading it upside down... "
                "seven nine eight three",
            )
        ],
    ),
    (
        "4929 3310... sorry, I can't see it... 7781 0026",
        [("CARD", "4929 3310... sorry, I can't see it... 7781 0026")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), RU_NUMBERS)
def test_ru_numbers(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "ru") == expected


@pytest.mark.parametrize(("text", "expected"), RU_ASIDES + RU_NEIGHBOURS)
def test_ru_numbers_in_context(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "ru") == expected


@pytest.mark.parametrize(("text", "expected"), EN_NUMBERS)
def test_en_numbers(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "en") == expected


RU_DATES: list[Case] = [
    # A birth year alone, said of oneself or with "рождения".
    ("я восемьдесят первого года рождения", [("BIRTHDATE", "восемьдесят первого года")]),
    ("папа с пятьдесят девятого года, пенсионер", [("BIRTHDATE", "пятьдесят девятого года")]),
    ("работаем с двадцатого года", []),
    # A date right after a full name; "записала" is no appointment; a cue with its own date.
    (
        "Корнилова Дарья, 14.06.2015, к педиатру",
        [("PERSON", "Корнилова Дарья"), ("BIRTHDATE", "14.06.2015")],
    ),
    ("Записала 21.03.1977, спасибо", [("BIRTHDATE", "21.03.1977")]),
    ("паспорт выдан 2019, 7.8.1990", [("BIRTHDATE", "7.8.1990")]),
    ("записала вас на 21.03.2027", []),
    # Spaces between day, month and year; the year first with slashes.
    ("Гончаренко Ольга, 03 09 1986", [("PERSON", "Гончаренко Ольга"), ("BIRTHDATE", "03 09 1986")]),
    # A two-digit year said as an ordinal word.
    (
        "родился седьмого апреля девяносто первого",
        [("BIRTHDATE", "седьмого апреля девяносто первого")],
    ),
    ("второе октября семьдесят шестого", [("BIRTHDATE", "второе октября семьдесят шестого")]),
    # A child's birth date: with a birth cue a recent year is a birth year too.
    ("дата рождения сына 3 июля 2019 г.", [("BIRTHDATE", "3 июля 2019 г.")]),
    # The year first, then the day and the month.
    (
        "дата рождения тысяча девятьсот девяносто девятый, пятое июня",
        [("BIRTHDATE", "тысяча девятьсот девяносто девятый, пятое июня")],
    ),
    # Bare numbers after the cue: day, month and year.
    (
        "дата рождения двадцатое ноль девятое семьдесят восьмого",
        [("BIRTHDATE", "двадцатое ноль девятое семьдесят восьмого")],
    ),
    # Look-alikes: other dates, a recent year without a cue, a count after the date.
    ("доставка пятого марта двадцать шестого года", []),
    ("договор от 3 июля 2019 года", []),
    ("заказ номер двадцать ноль девять семьдесят восемь", []),
    # Day and month as ordinals, the month as a number, without a cue.
    (
        "двадцать третье ноль пятое шестьдесят девятого",
        [("BIRTHDATE", "двадцать третье ноль пятое шестьдесят девятого")],
    ),
    # Said with its slashes.
    (
        "дата рождения пять слэш десять слэш девяносто",
        [("BIRTHDATE", "пять слэш десять слэш девяносто")],
    ),
    # Look-alike: the same shape for a delivery.
    ("доставка двадцать третье ноль пятое двадцать шестого", []),
    # A deadline before "адр|ес" cut short; an appointment booked "вас на".
    ("Можем поставить подписку на паузу до 1 апреля или возить на другой адрес", []),
    ("записала вас на семнадцатое октября, десять тридцать, к доктору", []),
]

EN_DATES: list[Case] = [
    # A count or a time after the day is no year; a street's name before it is no person's.
    ("Next cohort starts October seventh, twenty-four weeks, tuition's eleven thousand", []),
    ("So drop-off is at our yard on the Tuam Road, third of March, eight a.m.", []),
    # A day said as a cardinal word next to its month; "still" is no "till".
    (
        "and your date of birth is twelve march nineteen ninety correct",
        [("BIRTHDATE", "twelve march nineteen ninety")],
    ),
    ("born June nine, eighty two", [("BIRTHDATE", "June nine, eighty two")]),
    ("Twenty-one April nineteen ninety.", [("BIRTHDATE", "Twenty-one April nineteen ninety")]),
    (
        "is your date of birth still the 2nd of july 1984",
        [("BIRTHDATE", "2nd of july 1984")],
    ),
    ("we need two march deliveries", []),
    ("delivery on twelve march twenty twenty six", []),
    # A turn that is only a date said as numbers answers the date of birth.
    ("Nine, twelve, seventy-one.", [("BIRTHDATE", "Nine, twelve, seventy-one")]),
    ("so it's three twenty-two fifty-eight", [("BIRTHDATE", "three twenty-two fifty-eight")]),
    ("Four two oh eight.", []),
    ("DOB is 1979/04/21", [("BIRTHDATE", "1979/04/21")]),
    # A birth cue ends a passport's dictation.
    (
        "passport nine one two four four five, born four four sixty",
        [("PASSPORT", "nine one two four four five"), ("BIRTHDATE", "four four sixty")],
    ),
    ("born April second, seventy four", [("BIRTHDATE", "April second, seventy four")]),
    ("my wife was born June 9th, '83", [("BIRTHDATE", "June 9th, '83")]),
    ("date of birth is July the 4th, 1990", [("BIRTHDATE", "July the 4th, 1990")]),
    ("my daughter was born May 2 2021", [("BIRTHDATE", "May 2 2021")]),
    ("DOB nine twenty one seventy", [("BIRTHDATE", "nine twenty one seventy")]),
    # A hyphenated ordinal day.
    (
        "March thirty-first, nineteen sixty-two.",
        [("BIRTHDATE", "March thirty-first, nineteen sixty-two")],
    ),
    ("born the twenty-second of June 1977", [("BIRTHDATE", "twenty-second of June 1977")]),
    (
        "it's May first, nineteen seventy... no, nineteen seventy one",
        [("BIRTHDATE", "May first, nineteen seventy... no, nineteen seventy one")],
    ),
    # Look-alikes: an appointment, a count of minutes, a recent year with no cue, a half year.
    ("the appointment is on May fifth, twenty twenty six", []),
    ("on May fifth, twenty minutes later it arrived", []),
    ("delivery was March 3rd, '25", []),
    ("it shipped on August fourth two thousand nineteen", []),
    # Said with its slashes, and as digits with a two-digit year from the past century.
    (
        "it's two slash fourteen slash eighty one",
        [("BIRTHDATE", "two slash fourteen slash eighty one")],
    ),
    ("04/22/71", [("BIRTHDATE", "04/22/71")]),
    # Digit by digit after "birthday".
    (
        "my birthday is oh nine one one nineteen eighty",
        [("BIRTHDATE", "oh nine one one nineteen eighty")],
    ),
    # The year first, then the month and the day.
    (
        "nineteen sixty two, october the third",
        [("BIRTHDATE", "nineteen sixty two, october the third")],
    ),
    # Look-alikes: a recent date with a two-digit year, the same slashes for a delivery.
    ("the invoice is dated 03/15/24", []),
    ("delivery window nine slash twelve slash twenty six", []),
    # No year, with a birth cue; and the same without one.
    ("her DOB is the fourteenth of February", [("BIRTHDATE", "fourteenth of February")]),
    ("my birthday's Nov. 2, 1979", [("BIRTHDATE", "Nov. 2, 1979")]),
    ("the 2nd of the 9th, 84", [("BIRTHDATE", "2nd of the 9th, 84")]),
    (
        "born the twelfth of march two thousand and three",
        [("BIRTHDATE", "twelfth of march two thousand and three")],
    ),
    ("it's a birthday gift so it has to arrive before the ninth of June", []),
    ("the sort code is 40-11-62", []),
    # An ancestor's birth date with its cue is before 1920; without one it is no birth date.
    (
        "Bridget Mulvaney, born on the ninth of February 1884, Mullingar",
        [("PERSON", "Bridget Mulvaney"), ("BIRTHDATE", "ninth of February 1884")],
    ),
    ("the parish book was rebound on the ninth of February 1884", []),
    # A two-digit year in digits after a birth cue; a quantity after a date is none.
    ("my DOB is the 3rd of May 86", [("BIRTHDATE", "3rd of May 86")]),
    ("deliver on the 3rd of May 86 units", []),
    # A year in digits said first, answering a question or after a cue; alone it is none.
    ("1991, May the 2nd, my DOB", [("BIRTHDATE", "1991, May the 2nd")]),
    ("in 2019, November second was the opening", []),
    # The end of a lifespan is no birth date.
    (
        "So Dorothy Mae Kowalski, born 5/3/1938 dash 10/29/2024",
        [("PERSON", "Dorothy Mae Kowalski"), ("BIRTHDATE", "5/3/1938")],
    ),
    # A cue of the next sentence, or one cut from a longer word ("адр|ес"), names no date.
    ("next session is the weekend of March 8th. Names and dates of birth?", []),
]


@pytest.mark.parametrize(("text", "expected"), RU_DATES)
def test_ru_dates(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "ru") == expected


@pytest.mark.parametrize(("text", "expected"), EN_DATES)
def test_en_dates(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "en") == expected


RU_EMAILS: list[Case] = [
    # A name heard in Cyrillic is the e-mail's, not a person's.
    (
        "записывайте, лейла точка гусейнова восемьдесят пять собака яндекс точка ру",
        [("EMAIL", "лейла точка гусейнова восемьдесят пять собака яндекс точка ру")],
    ),
    (
        "моя: nina, нижнее подчёркивание, kovaleva, собака, yandex точка ru",
        [("EMAIL", "nina, нижнее подчёркивание, kovaleva, собака, yandex точка ru")],
    ),
    # A letter spelled out before "точка" is the local part's first character.
    (
        "почта e точка sidorova собака yandex точка ру",
        [("EMAIL", "e точка sidorova собака yandex точка ру")],
    ),
    # A hyphenated domain said with "дефис".
    (
        "пишите на info собака servis дефис plus точка ру",
        [("EMAIL", "info собака servis дефис plus точка ру")],
    ),
    # Look-alike: a decimal after "at" is no domain.
    ("скидка 5 at 7.5 процента", []),
]

EN_EMAILS: list[Case] = [
    # A pause before the last "dot" of the domain.
    ("thandi dot nkosi at gmail, dot com", [("EMAIL", "thandi dot nkosi at gmail, dot com")]),
    # Dictated with pauses: commas around "at" and "underscore" are inside; the last of
    # letters spelled one by one starts nothing new.
    (
        "yes it's d o r i s underscore k, at, comcast dot net",
        [("EMAIL", "d o r i s underscore k, at, comcast dot net")],
    ),
    (
        "my email's k a t i e dash l o w e at hotmail dot com",
        [("EMAIL", "k a t i e dash l o w e at hotmail dot com")],
    ),
    ("we met at, um, the office dot com event", []),
    # A single letter after a joiner is the local part's, though "a" is a stop word.
    ("send it to tunde dot a at gmail dot com", [("EMAIL", "tunde dot a at gmail dot com")]),
    (
        "it's j o e dot hart seventy at gmail dot com",
        [("EMAIL", "j o e dot hart seventy at gmail dot com")],
    ),
    ("email lena dash park at fastmail dot me", [("EMAIL", "lena dash park at fastmail dot me")]),
    (
        "k brown twenty twenty at a o l dot com",
        [("EMAIL", "k brown twenty twenty at a o l dot com")],
    ),
    (
        "orders dot team at blue dash river dash farms dot com",
        [("EMAIL", "orders dot team at blue dash river dash farms dot com")],
    ),
    # Look-alikes: a rate said with "at", a meeting "at" a place.
    ("we can do 48 months at 6.9 APR", []),
    ("meet me at the station dot", []),
]


@pytest.mark.parametrize(("text", "expected"), RU_EMAILS)
def test_ru_emails(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "ru") == expected


@pytest.mark.parametrize(("text", "expected"), EN_EMAILS)
def test_en_emails(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "en") == expected


RU_ADDRESSES: list[Case] = [
    (
        "ну Казань, Чистопольская, дом семьдесят семь, корпус два, квартира сто четырнадцать",
        [
            (
                "ADDRESS",
                "Казань, Чистопольская, дом семьдесят семь, корпус два, квартира сто четырнадцать",
            )
        ],
    ),
    ("Сборщик приедет, пятнадцатого, примерно к одиннадцати.", []),
    # A street without "улица" after a city or a comma, with a house and a flat; after
    # "адрес" a house is enough.
    (
        "Подтверждаю адрес: Казань, Чистопольская, семьдесят семь, корпус один, квартира сто "
        "двадцать три. Верно?",
        [
            (
                "ADDRESS",
                "Казань, Чистопольская, семьдесят семь, корпус один, квартира сто двадцать три",
            )
        ],
    ),
    (
        "москва профсоюзная сорок три к два кв сто семь домофон работает",
        [("ADDRESS", "москва профсоюзная сорок три к два кв сто семь")],
    ),
    (
        "по адресу Космодемьянских 7 техническая возможность есть",
        [("ADDRESS", "Космодемьянских 7")],
    ),
    ("Москва, Садовая, второй этаж", []),
    ("Казань, Лобачевского, 10 минут пешком", []),
    # A street said without "улица" at the start of a part, with a house and a flat.
    (
        "не, живу у сестры, Пушкина двадцать два, второй подъезд, квартира... девятнадцать",
        [("ADDRESS", "Пушкина двадцать два, второй подъезд, квартира... девятнадцать")],
    ),
    (
        "Маршала Жукова сорок три, квартира семь",
        [("ADDRESS", "Маршала Жукова сорок три, квартира семь")],
    ),
    ("она живёт, садовая 18, квартира 4", [("ADDRESS", "садовая 18, квартира 4")]),
    ("Пушкина двадцать два года назад читали", [("PERSON", "Пушкина")]),
    # A shop's word said before the cue of the customer's own address is not where it is.
    (
        "со склада привезём двадцатого по адресу Новосибирск, Красный проспект сто один, кв "
        "шестнадцать",
        [("ADDRESS", "Новосибирск, Красный проспект сто один, кв шестнадцать")],
    ),
    ("пункт выдачи по адресу улица Полевая, дом 3, работает до восьми", []),
    # A business's address: a notary's office, a pound, a reception, "вы находитесь".
    ("нотариальная контора на улице Марата дом пять", []),
    ("а вы находитесь на Варшавском шоссе, сто семьдесят?", []),
    # A building's letter; a village's kind and district before the street.
    (
        "Лиговский проспект, 12, литера Б, квартира 4",
        [("ADDRESS", "Лиговский проспект, 12, литера Б, квартира 4")],
    ),
    (
        "Саратовская область, Марксовский район, станица Подгорная, улица Мира, дом 3",
        [
            (
                "ADDRESS",
                "Саратовская область, Марксовский район, станица Подгорная, улица Мира, дом 3",
            )
        ],
    ),
    # Abbreviations: "пр.", "д.", "к.", "кв."; a street named with a number.
    (
        "адрес Москва, пр. Мира, д. 12, к. 2, кв. 7",
        [("ADDRESS", "Москва, пр. Мира, д. 12, к. 2, кв. 7")],
    ),
    ("прописка ул. 9 Мая, д. 4, кв. 18", [("ADDRESS", "ул. 9 Мая, д. 4, кв. 18")]),
    # A street without "улица": after "на", or opening the turn, with house and flat.
    ("везите на Лесную тридцать квартира пять", [("ADDRESS", "Лесную тридцать квартира пять")]),
    ("Чехова 8 квартира 21, второй этаж", [("ADDRESS", "Чехова 8 квартира 21")]),
    ("я на Гоголя, дом девять, квартира два", [("ADDRESS", "Гоголя, дом девять, квартира два")]),
    (
        "доставка на Малая-Садовая, 3, кв. 11",
        [("ADDRESS", "Малая-Садовая, 3, кв. 11")],
    ),
    # A corrected flat; the city said after the flat; a plot in a garden partnership.
    (
        "улица Мира, дом 3, квартира 7, ой нет, квартира 17",
        [("ADDRESS", "улица Мира, дом 3, квартира 7, ой нет, квартира 17")],
    ),
    (
        "улица Садовая, 5, квартира 2, город Тула",
        [("ADDRESS", "улица Садовая, 5, квартира 2, город Тула")],
    ),
    (
        "на дачу: СНТ Берёзка, улица Луговая, участок 12",
        [("ADDRESS", "СНТ Берёзка, улица Луговая, участок 12")],
    ),
    # Look-alikes: a metro station, a quarter of a year, a company's legal address.
    ("я у метро Площадь Революции", []),
    ("сдача в третьем квартале двадцать восьмого года", []),
    ("юрадрес Подольск, улица Кирова, 9", []),
    ("Пушкина 12 томов в собрании", []),
    # A street's name anywhere, with a numbered flat or корпус after its house; "дробь" and a
    # building's letter inside; a village's name after "село"; "прежний" says which address.
    (
        "записала чистопольская семьдесят один корпус два квартира сто сорок восемь и телефон",
        [("ADDRESS", "чистопольская семьдесят один корпус два квартира сто сорок восемь")],
    ),
    (
        "теперь улица титова двести два дробь один квартира пять и я пенсионер",
        [("ADDRESS", "улица титова двести два дробь один квартира пять")],
    ),
    (
        "казань улица чистопольская дом шестьдесят один а квартира восемьдесят",
        [("ADDRESS", "казань улица чистопольская дом шестьдесят один а квартира восемьдесят")],
    ),
    (
        "верно село айша зеленодольский район улица садовая дом семнадцать",
        [("ADDRESS", "село айша зеленодольский район улица садовая дом семнадцать")],
    ),
    (
        "адрес прежний новосибирск улица учительская дом девятнадцать",
        [("ADDRESS", "новосибирск улица учительская дом девятнадцать")],
    ),
    ("у нас было пять квартир, два корпуса", []),
    ("у нас три квартиры и два дома", []),
    ("красивая пятнадцать квартир продали", []),
    # "за квартал" is a quarter of a year; "ждём вас на ..." is the business's address.
    ("при оплате за квартал скидка десять процентов", []),
    ("Ждём в четверг на Складской, 7, строение 2.", []),
    ("ждём вас на Ленинском проспекте, 68.", []),
    # A street word needs a name or a house: "в выписке улица не указана"; "площадка" is a
    # yard, "трактор" no "тракт"; a business's base; an address said to be also the home.
    ("А в выписке улица не указана, только номер участка.", []),
    ("Доставка от нашей площадки, Казань, улица Техническая, 25.", []),
    ("Компания «Трактор-Маркет», менеджер Зураб.", [("PERSON", "Зураб")]),
    ("у нас на базе, Химки, Ленинградское шоссе, владение 29", []),
    (
        "и юрадрес ИП, он же домашний: Москва, Хорошёвское шоссе, дом 12, корпус 1, квартира 203",
        [("ADDRESS", "Москва, Хорошёвское шоссе, дом 12, корпус 1, квартира 203")],
    ),
    ("живу на Сибирском тракте, 12", [("ADDRESS", "Сибирском тракте, 12")]),
]

EN_ADDRESSES: list[Case] = [
    ("good morning, Harbourside Dental Care on 200 Baker Street, how can I help", []),
    ("the campus tour is on the 14th, meet at building C, 100 Victoria Street", []),
    (
        "the address on the certificate should be Leninsky Prospekt 32, flat 8, Moscow",
        [("ADDRESS", "Leninsky Prospekt 32, flat 8, Moscow")],
    ),
    (
        "and our address changed, it's 5821 Preston Hollow Drive, Dallas, Texas 75230",
        [("ADDRESS", "5821 Preston Hollow Drive, Dallas, Texas 75230")],
    ),
    # An ordinal in a street's name; a house said after the street; a postcode in capitals
    # does not make a lowercase transcript cased.
    (
        "the billing address is two twenty one west fourth avenue apt three oh two",
        [("ADDRESS", "two twenty one west fourth avenue apt three oh two")],
    ),
    (
        "and the sofa goes to my apartment, Bolshaya Nikitskaya street 24, apartment 17, Moscow",
        [("ADDRESS", "Bolshaya Nikitskaya street 24, apartment 17, Moscow")],
    ),
    (
        "yeah it's flat 3, 27 kingsley road, leeds, LS6 2BQ",
        [("ADDRESS", "flat 3, 27 kingsley road, leeds, LS6 2BQ")],
    ),
    ("there's a bassinet on row eleven", []),
    ("my ZIP is 10019 by the way", []),
    (
        "the pickup's from my house, 12 ashdown close, reading, rg1 4ha, ring me on 07700 900 "
        "456 when you're outside",
        [("ADDRESS", "12 ashdown close, reading, rg1 4ha"), ("PHONE", "07700 900 456")],
    ),
    # "we're at", "come to": a home when the speaker spoke of themselves or a flat is said.
    (
        "I'm Priya, his mum, and we're at 35 Brook Street, Apt 2, Hoboken, New Jersey 07030.",
        [("PERSON", "Priya"), ("ADDRESS", "35 Brook Street, Apt 2, Hoboken, New Jersey 07030")],
    ),
    (
        "The sofa's supposed to come to 1427 Maple Grove Drive, Apartment 3B.",
        [("ADDRESS", "1427 Maple Grove Drive, Apartment 3B")],
    ),
    ("Thanks for calling, we're at 12 High Street, open till six.", []),
    # Read back from a postal code: Irish, Canadian, Indian, UK house names, US ZIPs.
    (
        "send it to Apartment 4, The Granary, Mill Street, Cork, T12 X2Y8, please",
        [("ADDRESS", "Apartment 4, The Granary, Mill Street, Cork, T12 X2Y8")],
    ),
    (
        "I live at 18 rue Champlain, apartment 2, Quebec City, G1K 4H9.",
        [("ADDRESS", "18 rue Champlain, apartment 2, Quebec City, G1K 4H9")],
    ),
    (
        "Flat 12, Lotus Residency, MG Road, Pune 411001.",
        [("ADDRESS", "Flat 12, Lotus Residency, MG Road, Pune 411001")],
    ),
    (
        "It's Ivy Cottage, Church Lane, Ledbury, HR8 1DW.",
        [("ADDRESS", "Ivy Cottage, Church Lane, Ledbury, HR8 1DW")],
    ),
    (
        "Anna Kowalski, 77 W. Oak St., Apt. 2, Tulsa, OK 74103.",
        [("PERSON", "Anna Kowalski"), ("ADDRESS", "77 W. Oak St., Apt. 2, Tulsa, OK 74103")],
    ),
    # Look-alike: a business's counter.
    ("The counter is at 1200 West 5th Avenue, Denver, CO 80204.", []),
    ("my address is 48 Wharf Road, Hull, HU1 2AB", [("ADDRESS", "48 Wharf Road, Hull, HU1 2AB")]),
    (
        "the address in the system is 14 Birch Lane, Leeds, LS6 2QT",
        [("ADDRESS", "14 Birch Lane, Leeds, LS6 2QT")],
    ),
    # Look-alikes: a doctor after a time, "by the way", a model code, a shop on a street.
    ("Tuesday at 4:15 with Dr. Morales works", [("PERSON", "Morales")]),
    ("my ZIP is 60614 by the way", []),
    ("the 55 inch OLED65C at our Pine Street store", []),
    ("Our address is 200 Main Street, Suite 4", []),
    # A full stop ends the address unless it ends an abbreviation; Russian addresses said in
    # English: "house" after the street, "building", "ulitsa" first, a name no dictionary
    # knows with a numbered flat.
    (
        "Flat 2, 17 Albion Road, LS6 1BX. We take a ten percent deposit",
        [("ADDRESS", "Flat 2, 17 Albion Road, LS6 1BX")],
    ),
    (
        "2250 Maple Ridge Drive, San Jose, California 95129. And please send it",
        [("ADDRESS", "2250 Maple Ridge Drive, San Jose, California 95129")],
    ),
    (
        "Address: Kolomyazhsky Prospekt, house fifteen, building two, flat eighty-eight.",
        [("ADDRESS", "Kolomyazhsky Prospekt, house fifteen, building two, flat eighty-eight")],
    ),
    ("Kutuzovsky 26, flat 41.", [("ADDRESS", "Kutuzovsky 26, flat 41")]),
    (
        "registration is ufa ulitsa lenina forty five flat twelve",
        [("ADDRESS", "ulitsa lenina forty five flat twelve")],
    ),
    ("I ordered 26 units, flat rate", []),
    ("Windows 11, number 4 please", []),
    ("it's Patel 2 flat 4 yes", [("PERSON", "Patel")]),  # a surname, not a street
    # "house" or "dom" between a Russian street and its number; "kvartira" as a flat.
    (
        "deliver it to ulitsa boldina, house 94, flat 17, please",
        [("ADDRESS", "ulitsa boldina, house 94, flat 17")],
    ),
    (
        "it's ulitsa lavochkina, dom fourteen, kvartira eighty",
        [("ADDRESS", "ulitsa lavochkina, dom fourteen, kvartira eighty")],
    ),
    # "your address" is no business's ("our address"); a street word first in the line; a
    # garden plot as the house; a venue's address; "we're at" said by a speaker who speaks of
    # themselves after it.
    (
        "We have your address as 4418 North Kedzie Avenue, Apartment 2B, Chicago, Illinois "
        "60625. Is that current?",
        [
            (
                "ADDRESS",
                "4418 North Kedzie Avenue, Apartment 2B, Chicago, Illinois 60625",
            )
        ],
    ),
    (
        "Kurortny Prospekt 75, building 2, apt 14, Sochi. And an email?",
        [("ADDRESS", "Kurortny Prospekt 75, building 2, apt 14, Sochi")],
    ),
    ("it's SNT Berezka, Lesnaya street, plot 112", [("ADDRESS", "Lesnaya street, plot 112")]),
    ("the venue's Northcote Town Hall, 189 High Street, load-in from 7", []),
    ("I'll text it to the same number. We're at 2250 Morse Road.", []),
    (
        "We're at 16 Twelfth Street SE, Washington, DC 20003. I'm Efosa.",
        [("ADDRESS", "16 Twelfth Street SE, Washington, DC 20003"), ("PERSON", "Efosa")],
    ),
    # "home is" says the address after a business's is one's own.
    (
        "the clinic is on leninsky prospekt, and home is ulitsa bolshaya polyanka, building "
        "twenty-eight, apartment fifty-three",
        [
            (
                "ADDRESS",
                "ulitsa bolshaya polyanka, building twenty-eight, apartment fifty-three",
            )
        ],
    ),
    # An Irish address in lower case, closed by its county or Eircode.
    (
        "it's 7 the crescent, ballincollig, county cork, p31 x2n4",
        [("ADDRESS", "7 the crescent, ballincollig, county cork, p31 x2n4")],
    ),
    (
        "post them to 14 ashgrove lawn, dundrum, dublin 14, d14 x2p7 please",
        [("ADDRESS", "14 ashgrove lawn, dundrum, dublin 14, d14 x2p7")],
    ),
    # Look-alikes: a county alone, a reference shaped like an Eircode with no house.
    ("we cover all of county cork, from 9 to 5", []),
    ("your ticket is t12 ab34, thanks", []),
]


@pytest.mark.parametrize(("text", "expected"), RU_ADDRESSES)
def test_ru_addresses(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "ru") == expected


@pytest.mark.parametrize(("text", "expected"), EN_ADDRESSES)
def test_en_addresses(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "en") == expected


RU_NAMES: list[Case] = [
    # A business's word before a colon starts a list, not a business's name.
    (
        "регистрация в клинике: Фомина Екатерина Андреевна, ноль пятое",
        [("PERSON", "Фомина Екатерина Андреевна")],
    ),
    # A business named after someone; a street named after someone with its house after it
    # ("на Колесникова?" alone may be the person a contract is in the name of).
    ("клиника Смирнова на Ленина, 5", []),
    # An acronym in capitals does not make a lowercase transcript one written with capitals;
    # a brand after a comma is no "Лада Веста".
    (
        "э меня зовут гусейнова лейла рашидовна, ну в загране через игрек",
        [("PERSON", "гусейнова лейла рашидовна")],
    ),
    (
        "это ИП коваленко сергей викторович, ИНН 335518564411",
        [("PERSON", "коваленко сергей викторович"), ("INN", "335518564411")],
    ),
    ("да, Игорь Дмитриевич, камри есть в наличии", [("PERSON", "Игорь Дмитриевич")]),
    ("у нас есть Лада Веста в наличии", []),
    # A place after a naming cue is no name.
    ("это Татарстан выдавал", []),
    # Named by the turn: "я" before a capitalised word, "зовут" or "это я" after a word no
    # dictionary knows; a name in Latin capitals as on a card.
    ("здравствуйте, я Айсулу, звоню по заказу", [("PERSON", "Айсулу")]),
    ("а брата Бахтиёр зовут", [("PERSON", "Бахтиёр")]),
    ("да, Сайана это я", [("PERSON", "Сайана")]),
    ("на карте написано IRINA SOKOLOVA", [("PERSON", "IRINA SOKOLOVA")]),
    # Look-alikes: what one is, a brand in capitals, a bank.
    ("я самозанятая, работаю одна", []),
    ("модель LADA VESTA CROSS в наличии", []),
    ("это Тинькофф, карта моя", []),
    # A card's holder as written on it, and after "на имя".
    ("держатель IGOR BELOV, срок 11/28", [("PERSON", "IGOR BELOV")]),
    ("оформлено на имя Зарина Муратова", [("PERSON", "Зарина Муратова")]),
    # A surname in the nominative before a first name and patronymic, a date after them.
    ("нотариус Збарская Ольга Игоревна", [("PERSON", "Збарская Ольга Игоревна")]),
    (
        "Грачёв Илья Петрович, 02.03.1979 г.",
        [("PERSON", "Грачёв Илья Петрович"), ("BIRTHDATE", "02.03.1979 г.")],
    ),
    # Look-alikes: an adjective before a street, a card's holder without a name.
    ("Новая улица, дом 4", [("ADDRESS", "Новая улица, дом 4")]),
    ("держатель карты сам клиент", []),
]

EN_NAMES: list[Case] = [
    (
        "my name is Ananya Iyer and father's name is Ramesh Iyer.",
        [("PERSON", "Ananya Iyer"), ("PERSON", "Ramesh Iyer")],
    ),
    # A business answering the phone, its department after it; the one who answers.
    (
        "you're through to Southern Power and Gas, my name's Liam, can I help",
        [("PERSON", "Liam")],
    ),
    ("Northgate Credit Union mortgage desk, Marc speaking", [("PERSON", "Marc")]),
    # A business, its desk, then the one who answers; "Ta", "g'day" greet.
    ("VeloExpress Kazan, hiring line, my name is Timur, hello.", [("PERSON", "Timur")]),
    ("Ta. I'll send the quote through after I've been", []),
    ("G'day Priya, how are you going", [("PERSON", "Priya")]),
    # A business named after its owner answering; "it's Anna's" is Anna's.
    ("Good morning, Big Dave's Boxes, you're speaking to Priya", [("PERSON", "Priya")]),
    ("Morning, Hamlin's Decorating Centre, Gareth speaking.", [("PERSON", "Gareth")]),
    ("yes, it's Anna's, this is her phone", [("PERSON", "Anna")]),
    # A Russian street in Latin letters, a month, a word after a relation's sentence: no names.
    ("you can collect at our shop on Leninsky Prospekt 54, ten till eight", []),
    ("It's March to May, transplanting and grafting", []),
    ("I'm calling for my son. He's five and he stutters a bit", []),
    ("City Cars, Priya speaking, where are we picking up from", [("PERSON", "Priya")]),
    ("Hi Sarah, it's Tom from the garage", [("PERSON", "Sarah"), ("PERSON", "Tom")]),
    ("HOA fees are $320 a month", []),
    # Inside a sentence of a transcript with capitals, a census surname or a word no list
    # knows is a name; beside a capitalised word, after "to"/"departing", in a list of places,
    # it is a business or a place.
    ("I found it under Pruitt, the fee is eighty-nine dollars.", [("PERSON", "Pruitt")]),
    ("Great, I'll call Tomasz at six thirty tomorrow.", [("PERSON", "Tomasz")]),
    ("I saw the same sofa at Raymour and Flanigan for less.", []),
    ("we're moving to Evanston next month", []),
    ("Your flight is departing Heathrow at 07:40.", []),
    ("The farm is beyond Coolbawn, Nenagh, County Tipperary.", []),
    # Businesses named after people, voice assistants.
    ("paid to Bob's Furniture Outlet in May", []),
    ("the account is Wilson & Sons Joinery Ltd", []),
    ("or say, Hey Siri, call the pharmacy", []),
    ("the Dr. Martens boots in a size nine", []),
    # Lowercase: two words after a cue, or a census first name and a rare surname.
    ("yes its thandeka nkosi calling back", [("PERSON", "thandeka nkosi")]),
    ("okay maria gonzalez got it", [("PERSON", "maria gonzalez")]),
    # A name spelled after it is said is a name, unless the letters are the e-mail's.
    (
        "my surname is nowak thats n o w a k and the email is p dot nowak at wp dot pl",
        [("PERSON", "nowak"), ("PERSON", "n o w a k"), ("EMAIL", "p dot nowak at wp dot pl")],
    ),
    # Addresses and businesses are no people: after a house number, before a building's word
    # or a postcode, a business answering the phone or named by its town.
    ("it's 14 Via Del Sol, Unit 2", [("ADDRESS", "14 Via Del Sol, Unit 2")]),
    (
        "Rose Cottage, Mill Lane, Hexham, NE46 3RJ",
        [("ADDRESS", "Rose Cottage, Mill Lane, Hexham, NE46 3RJ")],
    ),
    ("we're in Red Deer, Alberta, T4N 1B2", []),
    ("Hello, Birchfield Motors, Dana speaking.", [("PERSON", "Dana")]),
    ("I'm calling from Toyota of Oakland about your service.", []),
    # Interjections at the start of a sentence, "Ma'am".
    ("Ha, that's fine. Hang on a second.", []),
    ("Ma'am, the card was declined.", []),
    # Letters spelled inside an e-mail's dictation are the e-mail's; a surname spelled after it
    # is a name.
    (
        "it's T-O-M, dot, H-A-L-E, at outlook dot ie",
        [("EMAIL", "T-O-M, dot, H-A-L-E, at outlook dot ie")],
    ),
    (
        "it's k dot brennan at gmail dot com, that's b-r-e-n-n-a-n",
        [("EMAIL", "k dot brennan at gmail dot com"), ("PERSON", "b-r-e-n-n-a-n")],
    ),
    # Unknown names after "speaking to", "through to", "is this".
    ("Morning, you're speaking to Tadhg, how can I help?", [("PERSON", "Tadhg")]),
    ("Hi, is this Obiageli?", [("PERSON", "Obiageli")]),
    ("the name on the card is Kavya Raman", [("PERSON", "Kavya Raman")]),
    ("it's Lopez, L O P E Z", [("PERSON", "Lopez"), ("PERSON", "L O P E Z")]),
    ("cardholder JAMES HOLT", [("PERSON", "JAMES HOLT")]),
    # Look-alikes: spelled letters that are no name, a passport's letters.
    ("press the A B C buttons", []),
    ("passport G K 5 0 9 3 1 2", [("PASSPORT", "G K 5 0 9 3 1 2")]),
    # Spelled in lowercase or with hyphens: the spelling and the word it spells.
    (
        "last name is okonkwo that's o k o n k w o",
        [("PERSON", "okonkwo"), ("PERSON", "o k o n k w o")],
    ),
    ("Brannigan, B-R-A-N-N-I-G-A-N", [("PERSON", "Brannigan"), ("PERSON", "B-R-A-N-N-I-G-A-N")]),
    # A middle initial joins first name and surname.
    ("the account holder is patricia m delacroix", [("PERSON", "patricia m delacroix")]),
    # A name no list knows, after an introduction in a lowercase transcript.
    ("hi this is ifeoma calling from the clinic", [("PERSON", "ifeoma")]),
    ("you can ask for radek at the front desk", [("PERSON", "radek")]),
    # A first name that is mostly a word counts only after a naming cue.
    ("just call me bill", [("PERSON", "bill")]),
    ("i'm going to check the stock", []),
    ("the technician will come at noon", []),
    # Look-alikes: a place in a lowercase transcript, an e-mail's letters spelled out.
    ("the flight to denver leaves at nine", []),
    ("e-mail login is k a t e 7 at gmail dot com", [("EMAIL", "k a t e 7 at gmail dot com")]),
    # Capitalised names no list knows, beside each other or beside a known name.
    ("Thanks, that's Olumide Adebayo on the lease.", [("PERSON", "Olumide Adebayo")]),
    ("it's for bogdan tudorache at the same address", [("PERSON", "bogdan tudorache")]),
    ("Hi Tendai, your order shipped.", [("PERSON", "Tendai")]),
    # Look-alikes: a company's capitalised letters, a nationality, a brand.
    ("Your SKU ZX-44 ships with UPS Ground.", []),
    ("I'm Canadian, does that matter?", []),
    ("the Vodafone shop on the corner", []),
    # A business answering the phone, its desk said between it and the one who answers.
    ("Maguire Apiaries, export desk, Niamh here.", [("PERSON", "Niamh")]),
    ("Kamchatka Wild Hunts, bookings, this is Yuri.", [("PERSON", "Yuri")]),
    (
        "Good morning, Hollybank Care Home, you're speaking with Siobhan.",
        [("PERSON", "Siobhan")],
    ),
    (
        "Good morning, you're through to Evergreen Farewell Plans, my name's Siobhan.",
        [("PERSON", "Siobhan")],
    ),
    ("HeatRight Boiler Care, you're through to Sam.", [("PERSON", "Sam")]),
    (
        "Hello, Amber Coast Detecting Club, international members desk, Brent speaking.",
        [("PERSON", "Brent")],
    ),
    ("G'day, BatteryDrop Sydney, you're talking to Liam.", [("PERSON", "Liam")]),
    # A cue that ends the sentence before names no word of the next; brands.
    ("770419356281, thank you. Home address and an email?", [("INN", "770419356281")]),
    ("Thank you, Maria. And the address?", [("PERSON", "Maria")]),
    ("the first payment from my Mir card, we verify through Gosuslugi", []),
    # A rental agreement and a bag tag are records.
    ("the rental agreement is RA 5521 804317", []),
    ("yes, SYDQF 12345, and the bag tag is QF 401 227", []),
]


@pytest.mark.parametrize(("text", "expected"), RU_NAMES)
def test_ru_names(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "ru") == expected


@pytest.mark.parametrize(("text", "expected"), EN_NAMES)
def test_en_names(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "en") == expected


EN_REFUSED_THEN_VALUE: list[Case] = [
    # A refusing cue ("ends in", "last group") speaks of the number right after it only.
    (
        "no, it ends in 1881, sorry, 4012 8888 8888 1881",
        [("CARD", "4012 8888 8888 1881")],
    ),
    (
        "last group is 1881, 4012 8888 8888 1881",
        [("CARD", "4012 8888 8888 1881")],
    ),
    ("our order numbers have ten digits, is it 5512-330-988?", []),
]


@pytest.mark.parametrize(("text", "expected"), EN_REFUSED_THEN_VALUE)
def test_en_refused_then_value(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "en") == expected
