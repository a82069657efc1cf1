"""A line read after the one before it: the question a bare answer answers, and a value read
back."""

from __future__ import annotations

import pytest

from privacy import detect, detect_many
from privacy.detect import detect_lines
from privacy.question import asked_kinds, question_asked


def found(text: str, lang: str, previous: str = "") -> list[tuple[str, str]]:
    return [(s.type, text[s.start : s.end]) for s in detect(text, lang, previous=previous)]


@pytest.mark.parametrize(
    ("line", "question"),
    [
        ("Записала 63 08 245719. А СНИЛС?", ". А СНИЛС?"),
        ("восемь девять один шесть и почта", "и почта"),
        # One number word is no value: "ten-digit", "ещё один".
        ("Could you give me the ten-digit INN?", "Could you give me the ten-digit INN?"),
        ("Паспорт [PASSPORT], а телефон?", ", а телефон?"),
        ("", ""),
    ],
)
def test_the_question_is_what_follows_the_last_value(line: str, question: str) -> None:
    assert question_asked(line) == question


@pytest.mark.parametrize(
    ("line", "kinds"),
    [
        ("А серия и номер паспорта?", {"PASSPORT"}),
        ("we need your passport and snils", {"PASSPORT", "SNILS"}),
        ("and your INN?", {"INN"}),
        ("Назовите, пожалуйста, дату рождения", {"BIRTHDATE"}),
        ("Подскажите номер для связи", {"PHONE"}),
        ("А номер заказа?", {"NONE"}),
        # What closes the sentence of a value said names that value, not the next one.
        ("Иванова Мария, 1985 года рождения", set()),
        ("четыре пять один восемь шесть ноль это паспорт", set()),
        # A new question after the value.
        ("forty nineteen seven four five two one three and snils", {"SNILS"}),
        ("Спасибо, всего доброго!", set()),
        # Where a record was sent names no phone; a greeting's "calling" asks for none.
        ("Номер отправления продиктуйте, он в смс есть.", {"NONE"}),
        ("What's the waybill number on the SMS?", {"NONE"}),
        ("Thanks for calling PrintHub, this is Marisol, can I get your order number?", {"NONE"}),
        ("Да, серия-номер, и ещё ИНН, раз вы самозанятый.", {"PASSPORT", "INN"}),
        ("What number are you calling from?", {"PHONE"}),
        # The last sentence asks for a record, whatever the sentences before it named; a
        # birth date asked for with a number is no record.
        (
            "So the permit needs passport data and dates of birth. The booking number first, "
            "please?",
            {"NONE"},
        ),
        (
            "You're using your passport? Go ahead with the number and your DOB.",
            {"PASSPORT", "BIRTHDATE"},
        ),
        ("do you have your member ID handy?", {"NONE"}),
        # What the value asked for is for names no record asked for.
        ("Паспорт 82 05 531044. Адрес проживания для договора?", set()),
        # A record's word that does not name the number asked for.
        ("Подскажите номер, на который абонемент оформлен", {"PHONE"}),
    ],
)
def test_what_the_line_before_asks_for(line: str, kinds: set[str]) -> None:
    assert asked_kinds(line) == kinds


@pytest.mark.parametrize(
    ("question", "answer", "lang", "expected"),
    [
        # Twelve digits with no cue and a failing checksum: an ИНН only because it was asked.
        (
            "and your INN?",
            "seven seven one two zero four eight three nine five six one",
            "en",
            [("INN", "seven seven one two zero four eight three nine five six one")],
        ),
        # Two answers to two questions, in the order said; alone both pass for phones.
        (
            "we need your passport and snils",
            "four five one eight six zero two nine seven three and "
            "zero eight two five one four seven three six four four",
            "en",
            [
                ("PASSPORT", "four five one eight six zero two nine seven three"),
                ("SNILS", "zero eight two five one four seven three six four four"),
            ],
        ),
        (
            "Назовите дату рождения",
            "ноль три ноль три девяностого",
            "ru",
            [("BIRTHDATE", "ноль три ноль три девяностого")],
        ),
        # The last digits after "и контрольное", "and then": nine digits alone would pass
        # for a passport.
        (
            "СНИЛС продиктуйте",
            "сто двадцать три, четыреста пятьдесят шесть, семьсот восемьдесят девять, и "
            "контрольное ноль один",
            "ru",
            [
                (
                    "SNILS",
                    "сто двадцать три, четыреста пятьдесят шесть, семьсот восемьдесят девять, "
                    "и контрольное ноль один",
                )
            ],
        ),
        (
            "And the pension insurance number, SNILS?",
            "one two three, four five six, seven eight nine, and then oh one",
            "en",
            [("SNILS", "one two three, four five six, seven eight nine, and then oh one")],
        ),
        # Asked for several things, the number follows the others; the same kind said again
        # after an answer ("а у мужа ...").
        (
            "Договор на паспорт: фамилия, имя, дата рождения, серия и номер.",
            "Белоусова Наталья Андреевна, пятого апреля семьдесят девятого года рождения. "
            "четыре пять один семь, восемьсот двадцать три ноль ноль шесть",
            "ru",
            [
                ("PERSON", "Белоусова Наталья Андреевна"),
                ("BIRTHDATE", "пятого апреля семьдесят девятого года"),
                ("PASSPORT", "четыре пять один семь, восемьсот двадцать три ноль ноль шесть"),
            ],
        ),
        (
            "Теперь номера загранпаспортов продиктуйте.",
            "мой семьдесят пять ноль четыре один э-э восемь два три ноль а у мужа семьдесят шесть "
            "один два ноль... нет, один два один пять пять четыре ноль",
            "ru",
            [
                ("PASSPORT", "семьдесят пять ноль четыре один э-э восемь два три ноль"),
                (
                    "PASSPORT",
                    "семьдесят шесть один два ноль... нет, один два один пять пять четыре ноль",
                ),
            ],
        ),
        # The kind named before the question ("... Could you read it out?"); a long number
        # after other words; the question before a cue said after the number.
        (
            "SNILS is the eleven digit pension insurance number, three groups of three and then "
            "two. Could you read it out?",
            "yes, one two six, four four zero, nine one eight, seventy three",
            "en",
            [("SNILS", "one two six, four four zero, nine one eight, seventy three")],
        ),
        (
            "For your tax deduction we'll also need your INN.",
            "I'm a foreigner but I have one, 783 901 224 516, and send the contract by email",
            "en",
            [("INN", "783 901 224 516")],
        ),
        (
            "Спасибо. Оплата картой?",
            "да 5469 3800 1276 4410 договор на почту",
            "ru",
            [("CARD", "5469 3800 1276 4410")],
        ),
        # A written date's year ends its run: the number after it is the answer.
        (
            "And the passport numbers, please?",
            "renewed 19/01/2027, 548 203 991.",
            "en",
            [("PASSPORT", "548 203 991")],
        ),
        # A correction of the answer answers nothing again.
        (
            "And your passport?",
            "46 15 873 402, no, sorry, 873 420.",
            "en",
            [("PASSPORT", "46 15 873 402")],
        ),
        # A cue in the answer itself wins over the question.
        (
            "А паспорт?",
            "телефон 8 916 204 11 87",
            "ru",
            [("PHONE", "8 916 204 11 87")],
        ),
    ],
)
def test_a_bare_answer_takes_the_kind_asked_for(
    question: str, answer: str, lang: str, expected: list[tuple[str, str]]
) -> None:
    assert found(answer, lang, previous=question) == expected


@pytest.mark.parametrize(
    ("question", "answer", "lang"),
    [
        ("А номер заказа?", "4510 123456", "ru"),  # a passport's shape, an order's number
        ("and the order number?", "four five one eight six zero two nine seven three", "en"),
        # A day and month answer no question of a birth date: a deadline; an amount; a code.
        ("Назовите дату рождения", "до 31 декабря оплатите", "ru"),
        ("Назовите дату рождения", "сумма 18 450 рублей", "ru"),
        ("Назовите дату рождения", "номер брони 5512", "ru"),
        # The sentence that closed a birth date asks nothing of the next line.
        ("Записала, 1985 года рождения", "двенадцать ноль три девяностого года", "ru"),
    ],
)
def test_what_answers_no_question_of_personal_data_stays_unmarked(
    question: str, answer: str, lang: str
) -> None:
    assert found(answer, lang, previous=question) == []


def test_a_number_asked_for_that_only_one_kind_fits_in_length_answers() -> None:
    # Eleven digits fit a СНИЛС and not a passport: "паспорт и СНИЛС?" answered with one.
    answer = "один пять шесть два семь восемь девять ноль четыре шесть три"
    assert found(answer, "ru", previous="А паспорт и СНИЛС?") == [("SNILS", answer)]


def test_a_value_read_back_keeps_the_kind_it_was_said_as() -> None:
    lines = [
        "and your snils please",
        "snils one three nine five two seven eight four six zero two",
        "one three nine five two seven eight four six zero two verified and a contact number",
    ]
    value = "one three nine five two seven eight four six zero two"
    spans = detect_lines(lines, "en")
    assert [(s.type, lines[2][s.start : s.end]) for s in spans[2]] == [("SNILS", value)]
    # Read alone, eleven digits from a one are an American phone.
    assert found(lines[2], "en") == [("PHONE", value)]


def test_values_read_back_together_are_split_into_those_said() -> None:
    lines = [
        "her SNILS zero eight eight, six one four, two two seven, fifty one, INN 503 811 402 967, "
        "and her passport four six one two, six seven three, zero nine one",
        "4612 673091, 088-614-227 51, 503811402967. So five documents.",
    ]
    spans = detect_lines(lines, "en")
    assert [(s.type, lines[1][s.start : s.end]) for s in spans[1]] == [
        ("PASSPORT", "4612 673091"),
        ("SNILS", "088-614-227 51"),
        ("INN", "503811402967"),
    ]


@pytest.mark.parametrize(
    ("said", "read_back", "lang", "value", "kind"),
    [
        # A value read back with no pause before the date said after it: the run holds both.
        (
            "загран семьдесят пять номер четыре восемь один два три четыре пять родилась "
            "девятнадцатого июля восемьдесят восьмого",
            "семьдесят пять четыре восемь один два три четыре пять девятнадцатое ноль седьмое "
            "восемьдесят восьмого года",
            "ru",
            "семьдесят пять четыре восемь один два три четыре пять",
            "PASSPORT",
        ),
        (
            "двести один триста двенадцать четыреста сорок три семьдесят родился двадцать "
            "девятого февраля",
            "двести один триста двенадцать четыреста сорок три семьдесят двадцать девятое "
            "февраля записала",
            "ru",
            "двести один триста двенадцать четыреста сорок три семьдесят",
            "SNILS",
        ),
        # Read back in other words ("zero" for "oh"), a date in digits after it.
        (
            "international passport seven two one nine four four six oh eight born the "
            "twenty first of november fifty six",
            "seven two one nine four four six zero eight twenty one eleven fifty six and you",
            "en",
            "seven two one nine four four six zero eight",
            "PASSPORT",
        ),
    ],
)
def test_a_value_read_back_without_a_pause_before_a_date_is_split_from_it(
    said: str, read_back: str, lang: str, value: str, kind: str
) -> None:
    spans = detect_lines([said, read_back], lang, model=False)
    numbers = [(s.type, read_back[s.start : s.end]) for s in spans[1] if s.type != "BIRTHDATE"]
    assert numbers == [(kind, value)]


def test_a_country_code_before_a_number_read_back_stays_with_it() -> None:
    lines = [
        "номер плюс семь девятьсот пять, сто семнадцать сорок сорок два",
        "ссылку пришлём на +7 905 117-40-42. Счёт номер 2024-118-3321.",
    ]
    spans = detect_lines(lines, "ru", model=False)
    assert [(s.type, lines[1][s.start : s.end]) for s in spans[1]] == [
        ("PHONE", "+7 905 117-40-42")
    ]


def test_a_corrected_value_is_read_back_as_corrected() -> None:
    lines = [
        "INN is seven eight one two, zero four five six, seven nine... sorry, seven eight one two",
        "Svetlana, let me read it back: 781204567812. And your SNILS?",
    ]
    spans = detect_lines(lines, "en", model=False)
    assert [(s.type, lines[1][s.start : s.end]) for s in spans[1]] == [
        ("PERSON", "Svetlana"),
        ("INN", "781204567812"),
    ]


@pytest.mark.parametrize(
    ("lines", "lang", "expected"),
    [
        (
            [
                "Оплата картой сейчас или при получении?",
                "сейчас. четыре два семь шесть, три восемь ноль ноль...",
                "ага",
                "пять пять один два, девять ноль четыре семь",
            ],
            "ru",
            [
                [],
                [("CARD", "четыре два семь шесть, три восемь ноль ноль")],
                [],
                [("CARD", "пять пять один два, девять ноль четыре семь")],
            ],
        ),
        (
            [
                "Конечно, продиктуйте номер.",
                "восемь девятьсот шестнадцать",
                "ага",
                "сто двадцать, сорок, ноль семь. и счёт на почту",
            ],
            "ru",
            [
                [],
                [("PHONE", "восемь девятьсот шестнадцать")],
                [],
                [("PHONE", "сто двадцать, сорок, ноль семь")],
            ],
        ),
        (
            [
                "And the SNILS?",
                "it's two oh nine, five one seven",
                "mhm, go on",
                "three three eight, fifteen",
            ],
            "en",
            [
                [],
                [("SNILS", "two oh nine, five one seven")],
                [],
                [("SNILS", "three three eight, fifteen")],
            ],
        ),
        (
            [
                "we can take card over the phone.",
                "yep, visa, four five six four...",
                "go on",
                "...six one two two, three three nine oh, one one four eight",
            ],
            "en",
            [
                [],
                [("CARD", "four five six four")],
                [],
                [("CARD", "six one two two, three three nine oh, one one four eight")],
            ],
        ),
        # "Теперь Самиры." asks for the kind just read back, of another; the pieces as said
        # make it whole ("семьсот шестьдесят" / "шестьдесят шесть" is no restart).
        (
            [
                "173-078-784 93. Теперь Самиры.",
                "сто тридцать два, пятьсот пятьдесят восемь, семьсот шестьдесят",
                "ага",
                "шестьдесят шесть. А мой сто девять",
            ],
            "ru",
            [
                [("SNILS", "173-078-784 93"), ("PERSON", "Самиры")],
                [("SNILS", "сто тридцать два, пятьсот пятьдесят восемь, семьсот шестьдесят")],
                [],
                [("SNILS", "шестьдесят шесть")],
            ],
        ),
        # A СНИЛС's nine digits, "uh-huh", its last two; "uh huh" said apart.
        (
            [
                "Then I need SNILS for both of you, and your INN.",
                "yes. mine is, uh, two six nine, two nine two, eight oh five",
                "uh-huh",
                "two one. and my INN, seven eight seven four, nine two five four, seven oh nine "
                "one",
            ],
            "en",
            [
                [],
                [("SNILS", "two six nine, two nine two, eight oh five")],
                [],
                [
                    ("SNILS", "two one"),
                    ("INN", "seven eight seven four, nine two five four, seven oh nine one"),
                ],
            ],
        ),
        (
            [
                "And a phone number that works here in the US?",
                "my cousin's, I don't have a local SIM. Nine seven two",
                "uh huh",
                "five five five, oh one eight four.",
            ],
            "en",
            [
                [],
                [("PHONE", "Nine seven two")],
                [],
                [("PHONE", "five five five, oh one eight four")],
            ],
        ),
        (
            [
                "are you happy to do card over the phone?",
                "yep. five five three six, seven seven five six...",
                "mm-hm, keep going",
                "three six three oh, nine nine four nine. expiry's oh eight twenty-six",
            ],
            "en",
            [
                [],
                [("CARD", "five five three six, seven seven five six")],
                [],
                [("CARD", "three six three oh, nine nine four nine")],
            ],
        ),
        # A "yes?" or "go ahead" lets the speaker go on too.
        (
            [
                "I need the SNILS of the parent named on the certificate.",
                "the SNILS is... one seven seven, four nine four",
                "yes?",
                "three seven one, twenty-one",
            ],
            "en",
            [
                [],
                [("SNILS", "one seven seven, four nine four")],
                [],
                [("SNILS", "three seven one, twenty-one")],
            ],
        ),
        (
            [
                "And the second traveller's passport?",
                "one sec, she's reading it out to me... G K seven seven two",
                "go ahead",
                "four one eight",
            ],
            "en",
            [[], [("PASSPORT", "G K seven seven two")], [], [("PASSPORT", "four one eight")]],
        ),
        # The listener echoing the piece said and asking for the rest acknowledges it; the
        # echo is a piece of the value too.
        (
            [
                "Как вас зовут и продиктуйте номер.",
                "Белоусова Зинаида Фёдоровна. СНИЛС... двести тридцать семь, семьсот "
                "пятьдесят один",
                "двести тридцать семь, семьсот пятьдесят один, дальше",
                "семьсот двадцать семь, девяносто три",
            ],
            "ru",
            [
                [],
                [
                    ("PERSON", "Белоусова Зинаида Фёдоровна"),
                    ("SNILS", "двести тридцать семь, семьсот пятьдесят один"),
                ],
                [("SNILS", "двести тридцать семь, семьсот пятьдесят один")],
                [("SNILS", "семьсот двадцать семь, девяносто три")],
            ],
        ),
        # The listener asking for the last part ("так, и контрольное число"); "и в конце".
        (
            [
                "И СНИЛС ещё, для карты пациента.",
                "сто сорок семь",
                "ага",
                "двести девяносто восемь, триста ноль пять",
                "так, и контрольное число",
                "шестьдесят один",
            ],
            "ru",
            [
                [],
                [("SNILS", "сто сорок семь")],
                [],
                [("SNILS", "двести девяносто восемь, триста ноль пять")],
                [],
                [("SNILS", "шестьдесят один")],
            ],
        ),
        (
            [
                "Так, СНИЛС старшей.",
                "сейчас, в госуслугах... сто девяносто восемь, триста два, ноль сорок семь...",
                "ага",
                "и в конце пятьдесят три.",
            ],
            "ru",
            [
                [],
                [("SNILS", "сто девяносто восемь, триста два, ноль сорок семь")],
                [],
                [("SNILS", "пятьдесят три")],
            ],
        ),
        # An echo that opens with "okay" acknowledges the piece too.
        (
            [
                "Then I give you pension number, SNILS, they always ask it. It is one five four",
                "okay, one five four",
                "three two seven, oh eight eight... and nine two",
            ],
            "en",
            [
                [("SNILS", "one five four")],
                [("SNILS", "one five four")],
                [("SNILS", "three two seven, oh eight eight... and nine two")],
            ],
        ),
        # "And the baby?" after a СНИЛС asks for the baby's; "his number" names it, and its
        # "six... six" across the acknowledgement are two digits.
        (
            [
                "343-886-732 19. And the baby?",
                "he was born on the twenty-eighth of November, twenty twenty-four. his number is "
                "nine seven nine, oh oh six",
                "mhm",
                "six oh five, four five",
            ],
            "en",
            [
                [("SNILS", "343-886-732 19")],
                [
                    ("BIRTHDATE", "twenty-eighth of November, twenty twenty-four"),
                    ("SNILS", "nine seven nine, oh oh six"),
                ],
                [],
                [("SNILS", "six oh five, four five")],
            ],
        ),
        # A СНИЛС dictated over four lines, its last two after "the last two are", read back
        # whole.
        (
            [
                "Passport four five zero eight, seven one three two two nine. And the SNILS?",
                "It's one two six,",
                "yep",
                "four four eight,",
                "uh-huh",
                "three nine oh,",
                "go on",
                "and the last two are five two.",
                "Got it. One two six, four four eight, three nine zero, fifty-two.",
            ],
            "en",
            [
                [("PASSPORT", "four five zero eight, seven one three two two nine")],
                [("SNILS", "one two six")],
                [],
                [("SNILS", "four four eight")],
                [],
                [("SNILS", "three nine oh")],
                [],
                [("SNILS", "five two")],
                [("SNILS", "One two six, four four eight, three nine zero, fifty-two")],
            ],
        ),
        # A record named in the sentence before the answer ("заявку") names no answer; a
        # phone's trunk and code, then the rest after "ja".
        (
            [
                "Так, телефон для связи тот же, с которого заявку оставляли?",
                "нет, заявку жена оставляла, со своего. Мой запишите, восемь девятьсот семнадцать",
                "ага",
                "двести шестьдесят три, сорок, ноль пять",
            ],
            "ru",
            [
                [],
                [("PHONE", "восемь девятьсот семнадцать")],
                [],
                [("PHONE", "двести шестьдесят три, сорок, ноль пять")],
            ],
        ),
        (
            [
                "And a contact number?",
                "Oh eight two,",
                "ja",
                "four four one,",
                "okay",
                "oh seven seven six.",
            ],
            "en",
            [
                [],
                [("PHONE", "Oh eight two")],
                [],
                [("PHONE", "four four one")],
                [],
                [("PHONE", "oh seven seven six")],
            ],
        ),
        # "Is twelve numbers" says how long the ИНН is; a dash said before the next piece.
        (
            [
                "Revenue wants a tax number from home.",
                "Ah, INN. Is twelve numbers. Two two, five two,",
                "go on",
                "six oh, one eight, one five, nine six.",
            ],
            "en",
            [
                [],
                [("INN", "Two two, five two")],
                [],
                [("INN", "six oh, one eight, one five, nine six")],
            ],
        ),
        (
            [
                "Go ahead with the SNILS.",
                "one two nine, dash, four four one",
                "yep",
                "dash, six zero eight, space, nine three",
            ],
            "en",
            [
                [],
                [("SNILS", "one two nine, dash, four four one")],
                [],
                [("SNILS", "six zero eight, space, nine three")],
            ],
        ),
        # A passport's letter said "for" a word, its digits across "yes, go on".
        (
            [
                "and passport number for the ID proof",
                "one sec, it's in my other bag... okay, Z for zebra, four six eight",
                "yes, go on",
                "two nine one five",
            ],
            "en",
            [
                [],
                [("PASSPORT", "Z for zebra, four six eight")],
                [],
                [("PASSPORT", "two nine one five")],
            ],
        ),
        # "and then space" before a piece; a record named in an earlier sentence ("parcel")
        # names no answer; "at the end" leads to the last two.
        (
            [
                "there's a box here for a pension number, SNILS they call it",
                "no, let's put it, they blocked his last parcel, so. one three two",
                "yep",
                "dash five nine four, dash nine oh seven, and then a space, and four four",
            ],
            "en",
            [
                [],
                [("SNILS", "one three two")],
                [],
                [("SNILS", "five nine four, dash nine oh seven, and then a space, and four four")],
            ],
        ),
        # The question before "go on then" is the one answered.
        (
            [
                "can I give my Russian one, the SNILS? it's like a pension number",
                "honestly the field just needs something unique. go on then",
                "one four eight, three",
                "yep",
                "oh two, seven seven nine... five two",
            ],
            "en",
            [
                [],
                [],
                [("SNILS", "one four eight, three")],
                [],
                [("SNILS", "oh two, seven seven nine... five two")],
            ],
        ),
        # A series asked for, then "номер?": one passport over two answers; "six hundred and
        # five" is 605.
        (
            [
                "так. паспорт, серия?",
                "шестьдесят пять ноль три",
                "ага, номер?",
                "шестьсот один, девятьсот восемьдесят два. прописка?",
            ],
            "ru",
            [
                [],
                [("PASSPORT", "шестьдесят пять ноль три")],
                [],
                [("PASSPORT", "шестьсот один, девятьсот восемьдесят два")],
            ],
        ),
        (
            [
                "the courier form wants his passport",
                "okay, the internal passport, series two eight one four",
                "two eight one four, yep",
                "number six hundred and five, nine two seven",
            ],
            "en",
            [
                [],
                [("PASSPORT", "two eight one four")],
                [("PASSPORT", "two eight one four")],
                [("PASSPORT", "six hundred and five, nine two seven")],
            ],
        ),
        # "и контрольные две цифры?" asks for a СНИЛС's last two.
        (
            [
                "СНИЛС, секунду, в папке где-то… вот: двести один, триста сорок, девятьсот "
                "девяносто восемь",
                "и контрольные две цифры?",
                "тридцать три",
            ],
            "ru",
            [
                [("SNILS", "двести один, триста сорок, девятьсот девяносто восемь")],
                [],
                [("SNILS", "тридцать три")],
            ],
        ),
        # The reading stopped by an aside that closes the line; the listener waits ("да,
        # конечно"); "так." takes it up again; the expiry after it is no part of the card.
        (
            [
                "оплата картой сейчас?",
                "да, два два ноль ноль, семь ноль один пять... секунду, очки надену, мелко",
                "да, конечно",
                "так. четыре четыре восемь один, девяносто два ноль шесть, срок ноль восемь",
            ],
            "ru",
            [
                [],
                [("CARD", "два два ноль ноль, семь ноль один пять")],
                [],
                [("CARD", "четыре четыре восемь один, девяносто два ноль шесть")],
            ],
        ),
        # The listener's echo of the group said last ("так, двести три"), then the rest.
        (
            [
                "телефон для связи продиктуете?",
                "да, восемь девятьсот семнадцать, двести три",
                "так, двести три",
                "сорок восемь, девяносто один... ой, нет, девяносто семь",
            ],
            "ru",
            [
                [],
                [("PHONE", "восемь девятьсот семнадцать, двести три")],
                [("PHONE", "двести три")],
                [("PHONE", "сорок восемь, девяносто один... ой, нет, девяносто семь")],
            ],
        ),
        # "her snils, one moment, the card is in the folder": the СНИЛС's card; "take your
        # time" waits for the value named before it.
        (
            [
                "her snils, one moment, the card is in the folder",
                "take your time",
                "okay, two oh one, four four seven",
                "uh-huh",
                "three three six, oh five",
            ],
            "en",
            [
                [],
                [],
                [("SNILS", "two oh one, four four seven")],
                [],
                [("SNILS", "three three six, oh five")],
            ],
        ),
        # How long the value is, said as the invitation to read it.
        (
            [
                "so you'd want my INN",
                "yes please, all twelve digits",
                "seven eight one three, four four",
                "four four, go on",
                "zero nine two six... sorry, two nine zero six, one eight",
            ],
            "en",
            [
                [],
                [],
                [("INN", "seven eight one three, four four")],
                [("INN", "four four")],
                [("INN", "zero nine two six... sorry, two nine zero six, one eight")],
            ],
        ),
        # An aside after a comma, the listener's "no rush", and "okay sorry," as it goes on.
        (
            [
                "you wanna put a card on file?",
                "sure, it's four one four seven, two zero nine eight, hang on, someone's at the"
                " door",
                "no rush",
                "okay sorry, six six three one, oh oh four five, expires eleven twenty six",
            ],
            "en",
            [
                [],
                [("CARD", "four one four seven, two zero nine eight")],
                [],
                [("CARD", "six six three one, oh oh four five")],
            ],
        ),
        # A series, "номер" and its number over asides; "всё, тут." takes the reading up.
        (
            [
                "нужен паспорт, серия и номер",
                "серия ноль три один два",
                "ага",
                "номер пятьсот шестьдесят семь... ой, извините, жена зовёт, секунду",
                "да, конечно",
                "всё, тут. ноль девять один",
            ],
            "ru",
            [
                [],
                [("PASSPORT", "ноль три один два")],
                [],
                [("PASSPORT", "пятьсот шестьдесят семь")],
                [],
                [("PASSPORT", "ноль девять один")],
            ],
        ),
        # "mine's on my phone" is where the value is; ", uh" before the pause holds it.
        (
            [
                "we also need snils and inn for both of you",
                "right, mine's on my phone, um, one nine three, eight two seven",
                "yep",
                "four zero five, three three",
            ],
            "en",
            [
                [],
                [("SNILS", "one nine three, eight two seven")],
                [],
                [("SNILS", "four zero five, three three")],
            ],
        ),
        (
            ["snils?", "one four two, double five zero, uh", "go on", "six one three, oh seven"],
            "en",
            [
                [],
                [("SNILS", "one four two, double five zero")],
                [],
                [("SNILS", "six one three, oh seven")],
            ],
        ),
        # A series, then "номер" said again after the listener waits, the number's first
        # word said again from its start.
        (
            [
                "тогда паспорт, серию и номер",
                "серия сорок пять восемнадцать, номер шестьсот... ой, секунду, паспорт в машине"
                " оставила, сейчас схожу",
                "да, конечно, жду",
                "так, номер шестьсот двенадцать, триста сорок один... нет, триста сорок семь",
            ],
            "ru",
            [
                [],
                [("PASSPORT", "сорок пять восемнадцать, номер шестьсот")],
                [],
                [("PASSPORT", "шестьсот двенадцать, триста сорок один... нет, триста сорок семь")],
            ],
        ),
        # A value finished before the acknowledgement stays as it was; the next number is its
        # own.
        (
            ["And your phone?", "8 916 204 11 87", "ага", "и заказ 4410 2287"],
            "ru",
            [[], [("PHONE", "8 916 204 11 87")], [], []],
        ),
    ],
)
def test_a_number_said_across_an_acknowledgement_is_one_in_two_pieces(
    lines: list[str], lang: str, expected: list[list[tuple[str, str]]]
) -> None:
    spans = detect_lines(lines, lang, model=False)
    assert [
        [(s.type, line[s.start : s.end]) for s in found]
        for line, found in zip(lines, spans, strict=True)
    ] == expected


def test_a_value_read_back_with_a_slip_corrected_is_cut_from_the_words_after_it() -> None:
    lines = [
        "4377 7200 1546 8830, так?",
        "нет, 4377 7200 1564 8830, пятнадцать шестьдесят четыре в серёдке",
    ]
    spans = detect_lines(lines, "ru", model=False)
    assert [(s.type, lines[1][s.start : s.end]) for s in spans[1]] == [
        ("CARD", "4377 7200 1564 8830")
    ]


def test_now_yours_asks_for_the_kinds_just_said() -> None:
    lines = [
        "And his SNILS?",
        "15640287319",
        "15640287319, 30.01.2021. Now yours, please.",
        "mine is 149 377 205 61",
    ]
    spans = detect_lines(lines, "en", model=False)
    assert [(s.type, lines[3][s.start : s.end]) for s in spans[3]] == [("SNILS", "149 377 205 61")]


def test_a_number_said_across_an_acknowledgement_is_read_back_whole() -> None:
    lines = [
        "And the INN?",
        "it's twelve digits, nine seven oh nine, four four...",
        "mm-hm, go on",
        "one two, three eight, five one",
        "970944123851, thank you.",
    ]
    spans = detect_lines(lines, "en", model=False)
    assert [(s.type, lines[4][s.start : s.end]) for s in spans[4]] == [("INN", "970944123851")]


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        # A request said in a value's sentence after a comma is a question.
        (
            "we do an over-75s discount, 10 percent, I just need his date of birth to apply it.",
            "it's the 3rd of May 43, so yeah",
            [("BIRTHDATE", "3rd of May 43")],
        ),
        # A travel passport's two digits, a pause, then its seven.
        (
            "02.11.1988. Номер загранпаспорта?",
            "семьдесят пять... ноль восемь тридцать три, сто семьдесят девять",
            [("PASSPORT", "семьдесят пять... ноль восемь тридцать три, сто семьдесят девять")],
        ),
        # "карточка зелёная" is the СНИЛС's own card, not a payment card.
        (
            "Записала, 14.03.1949. СНИЛС продиктуете?",
            "да, сейчас, у неё карточка зелёная... так... ноль пять восемь, двести шестьдесят "
            "один, ноль сорок три, семнадцать",
            [
                (
                    "SNILS",
                    "ноль пять восемь, двести шестьдесят один, ноль сорок три, семнадцать",
                )
            ],
        ),
        # A foreign passport's Latin letters, then its digits.
        (
            "Паспорт узбекский? Номер продиктуйте, пожалуйста.",
            "да. FA... э-э... ноль семь пять один, девять девять два",
            [("PASSPORT", "FA... э-э... ноль семь пять один, девять девять два")],
        ),
        # A record asked for with no request word; "договорились" is no contract; "СМС?" asks
        # for a phone.
        (
            "Замена колеса — от восьмисот рублей. Артикул есть на бирке внутри?",
            "там написано 128456-1041, и ещё 9 0 3 4 4 1 7 7 1 2 0, это серийник наверное",
            [],
        ),
        (
            "Перезвоню вам на 8 926 055 13 42, Фарид, договорились?",
            "восемь девять ноль пять... шесть семь... один, два ноль, восемь восемь",
            [("PHONE", "восемь девять ноль пять... шесть семь... один, два ноль, восемь восемь")],
        ),
        (
            "платёж прошёл. Чек отправить СМС?",
            "да, на восемь девятьсот три шестьсот семьдесят два ноль ноль сорок один",
            [("PHONE", "восемь девятьсот три шестьсот семьдесят два ноль ноль сорок один")],
        ),
        # The same words said again from the start of a piece restart it.
        (
            "для договора аренды паспорт нужен и дата рождения",
            "сорок пять ноль девять, номер семьсот двенадцать триста... семьсот двенадцать "
            "триста шестьдесят восемь",
            [
                (
                    "PASSPORT",
                    "сорок пять ноль девять, номер семьсот двенадцать триста... семьсот "
                    "двенадцать триста шестьдесят восемь",
                )
            ],
        ),
        # "номер" after a question of another record: eleven digits that dial no Russian
        # number and pass the СНИЛС check; with the trunk eight said apart, a phone.
        (
            "угу. и его номер",
            "восемьсот двадцать, семьсот пятьдесят четыре, сто шестнадцать, восемьдесят один",
            [
                (
                    "SNILS",
                    "восемьсот двадцать, семьсот пятьдесят четыре, сто шестнадцать, "
                    "восемьдесят один",
                )
            ],
        ),
        ("угу.", "мой номер 8 207 541 16 81", [("PHONE", "8 207 541 16 81")]),
        # Of a СНИЛС and an ИНН named together, the one whose length the number has.
        (
            "Там нужен ИНН или СНИЛС.",
            "Давайте, СНИЛС, ИНН я не помню. Девятьсот шестнадцать, четыреста два, семьсот "
            "шестьдесят семь, ноль один.",
            [("SNILS", "Девятьсот шестнадцать, четыреста два, семьсот шестьдесят семь, ноль один")],
        ),
        (
            "and the mobile?",
            "and can you add my SNILS and INN, I want to do the tax deduction later: eight one "
            "zero three zero one zero three seven one four, and INN seven seven seven zero eight "
            "eight six seven seven seven five six",
            [
                ("SNILS", "eight one zero three zero one zero three seven one four"),
                ("INN", "seven seven seven zero eight eight six seven seven seven five six"),
            ],
        ),
        # A passport's series and number said in English, its last three after a pause.
        (
            "Katya is fine. passport?",
            "passport five zero one two, three four eight... eight five one",
            [("PASSPORT", "five zero one two, three four eight... eight five one")],
        ),
        # "your accounts" are the accounting department; "R two thousand four hundred" is an
        # amount in rand, 2400.
        (
            "card or transfer.",
            "and the LLC's INN, if your accounts need it, is 7856820254",
            [("INN", "7856820254")],
        ),
        (
            "I need two units of DEA one negative packed cells.",
            "We've got it, Doctor. R two thousand four hundred a unit plus the courier.",
            [],
        ),
        # Corrections and asides said in the middle of a value.
        (
            "телефон для курьера тот же?",
            "нет, новый. восемь девятьсот шестьдесят пять, двести три, девяносто один... ой, "
            "нет, не девяносто один, а девяносто семь, ноль восемь.",
            [
                (
                    "PHONE",
                    "восемь девятьсот шестьдесят пять, двести три, девяносто один... ой, нет, не "
                    "девяносто один, а девяносто семь, ноль восемь",
                )
            ],
        ),
        (
            "теперь ваш телефон",
            "восемь девятьсот семнадцать, ой, он у меня новый, не помню наизусть, так, двести "
            "шестьдесят три сорок ноль один",
            [
                (
                    "PHONE",
                    "восемь девятьсот семнадцать, ой, он у меня новый, не помню наизусть, так, "
                    "двести шестьдесят три сорок ноль один",
                )
            ],
        ),
        (
            "Картой сейчас?",
            "давайте сейчас. четыре два семь шесть, три восемь ноль ноль, один два... блин, тут "
            "стёрлось, а, один два пять шесть, девять ноль четыре один",
            [
                (
                    "CARD",
                    "четыре два семь шесть, три восемь ноль ноль, один два... блин, тут стёрлось, "
                    "а, один два пять шесть, девять ноль четыре один",
                )
            ],
        ),
        (
            "Card for the deposit?",
            "yeah, it's a revolut, five three five five, two oh... sorry, scratch that, two one "
            "nine four, oh oh seven one, three five two eight.",
            [
                (
                    "CARD",
                    "five three five five, two oh... sorry, scratch that, two one nine four, oh oh "
                    "seven one, three five two eight",
                )
            ],
        ),
        (
            "А если не дозвонимся?",
            "муж, восемь девятьсот три, три семёрки, двенадцать, тринадцать",
            [("PHONE", "восемь девятьсот три, три семёрки, двенадцать, тринадцать")],
        ),
        (
            "Мобильный ваш продиктуйте?",
            "восемь девятьсот тринадцать пятьсот пять тридцать-тридцать.",
            [("PHONE", "восемь девятьсот тринадцать пятьсот пять тридцать-тридцать")],
        ),
        # Not personal data: a code said again after "не X, а Y"; a КПП asked in a question.
        (
            "Код подразделения?",
            "сто шестьдесят, ноль ноль шесть... ой, нет, не шесть, а четыре, сто шестьдесят ноль "
            "ноль четыре. Выдавали в две тысячи шестом",
            [],
        ),
        (
            "А ИНН организации?",
            "семь семь три семь шесть шесть семь три восемь один. КПП нужен? семьсот семьдесят "
            "три, семьдесят три, ноль один, ноль ноль один",
            [("INN", "семь семь три семь шесть шесть семь три восемь один")],
        ),
        # A СНИЛС said in its groups in English, with no cue of its own or after "number".
        (
            "Our forms always want it.",
            "Is pension insurance number, in Russia everybody has, even children. One four "
            "nine, five two two, oh seven three, eight one.",
            [("SNILS", "One four nine, five two two, oh seven three, eight one")],
        ),
        (
            "INN and SNILS, please.",
            "two zero three, dash, five one one, dash, eight seven seven, space, four zero",
            [
                (
                    "SNILS",
                    "two zero three, dash, five one one, dash, eight seven seven, space, four zero",
                )
            ],
        ),
        (
            "Your mobile?",
            "my phone is one two six, three three nine, oh four eight, five one",
            [("PHONE", "one two six, three three nine, oh four eight, five one")],
        ),
        # Twelve digits with no cue in an English call are an ИНН; in a card's or a code's
        # groups of four they are none.
        (
            "Sure, we can add any reference you like.",
            "so 771546229803, twelve digits.",
            [("INN", "771546229803")],
        ),
        ("Anything else?", "Courier comes Wednesday, waybill 5501 2287 9934.", []),
        ("Anything else?", "kit ID HR 7731 2209 4415, and she needs it registered", []),
        # "on the other card" is where the value is written, not a card.
        (
            "and the SNILS?",
            "his is oh two one, dash, six five four, dash, nine nine oh, space, four seven. and "
            "mine — hang on, it's on the other card — one five two, two eight eight, three oh "
            "one, oh six.",
            [
                ("SNILS", "oh two one, dash, six five four, dash, nine nine oh, space, four seven"),
                ("SNILS", "one five two, two eight eight, three oh one, oh six"),
            ],
        ),
        # A date of birth read back as a day, a month and a year, each one number; digits said
        # one by one and an amount are none.
        (
            "And the twins' date of birth?",
            "six three twenty-one, so they're four on the sixth",
            [("BIRTHDATE", "six three twenty-one")],
        ),
        ("And your date of birth?", "five five one two", []),
        # A year said as an ordinal closes a date; the СНИЛС after an aside is its own.
        (
            "теперь мама",
            "Гогоберидзе Манана Шалвовна, пятнадцатого мая пятьдесят шестого года рождения, СНИЛС "
            "щас, фотка есть... ноль два девять, пятьсот восемьдесят, шестьсот шестьдесят четыре, "
            "ноль семь",
            [
                ("PERSON", "Гогоберидзе Манана Шалвовна"),
                ("BIRTHDATE", "пятнадцатого мая пятьдесят шестого года"),
                (
                    "SNILS",
                    "ноль два девять, пятьсот восемьдесят, шестьсот шестьдесят четыре, ноль семь",
                ),
            ],
        ),
        (
            "Для страховки нужен его СНИЛС, он у вас под рукой?",
            "Под рукой... так, вот. Ноль девяносто пять, шестьсот сорок один, двести семьдесят "
            "три — и восемьдесят восемь.",
            [
                (
                    "SNILS",
                    "Ноль девяносто пять, шестьсот сорок один, двести семьдесят три — и "
                    "восемьдесят восемь",
                )
            ],
        ),
        # A hesitation between "родился" and the date it names.
        (
            "нужны ФИО, дата рождения, паспорт.",
            "Рахимов Шерзод Улугбекович. родился, э-э, девятнадцатого, ноль девятого, "
            "восемьдесят восьмого.",
            [
                ("PERSON", "Рахимов Шерзод Улугбекович"),
                ("BIRTHDATE", "девятнадцатого, ноль девятого, восемьдесят восьмого"),
            ],
        ),
        ("And your date of birth?", "девять тысяч девятьсот с учётом сбора", []),
        # "tax number" names an ИНН; "Is twelve numbers" how long it is.
        (
            "And the tax number?",
            "yes, my tax number is seven seven, two four, five one, eight oh, nine three, six two",
            [("INN", "seven seven, two four, five one, eight oh, nine three, six two")],
        ),
        # Where a payment goes names a card.
        (
            "your tutor starts on Saturday",
            "and charge the first month to 2200 7002 1144 5861.",
            [("CARD", "2200 7002 1144 5861")],
        ),
    ],
)
def test_answers_of_the_last_round(
    question: str, answer: str, expected: list[tuple[str, str]]
) -> None:
    lang = "ru" if any("а" <= ch <= "я" for ch in answer) else "en"
    assert found(answer, lang, previous=question) == expected


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            [
                "москва, улица Герасима Курина, дом шестнадцать, корпус три, кв. 205",
                "Герасима Курина, 16, корпус 3, квартира 205. Теперь паспорт",
            ],
            [("ADDRESS", "Герасима Курина, 16, корпус 3, квартира 205")],
        ),
        (
            [
                "московская область дмитровский район снт березка улица вишнёвая участок 47",
                "СНТ «Берёзка», Вишнёвая, 47. Как к вам обращаться?",
            ],
            [("ADDRESS", "Вишнёвая, 47")],
        ),
        # A street named after a city ("улица Кирова") is read back by its name; a passport's
        # six digits before it are no postcode.
        (
            [
                "а адрес — Новосибирск, улица Кирова, дом сорок восемь, квартира сто пятнадцать",
                "5004 632819, Кирова, сорок восемь, кв. 115. И продиктуйте карту",
            ],
            [("PASSPORT", "5004 632819"), ("ADDRESS", "Кирова, сорок восемь, кв. 115")],
        ),
        # A street's name said again with a number that is no house: "Садовая" of the line
        # before, then an amount.
        (
            ["деревня Лешково, улица Садовая, дом 7", "Садовая, записал. Доставка 500 рублей"],
            [],
        ),
    ],
)
def test_an_address_read_back_by_its_street_name_and_house(
    lines: list[str], expected: list[tuple[str, str]]
) -> None:
    spans = detect_lines(lines, "ru", model=False)
    assert [(s.type, lines[1][s.start : s.end]) for s in spans[1]] == expected


def test_a_russian_street_said_in_english_read_back_by_its_name_and_house() -> None:
    lines = [
        "Prospekt Kosmonavtov, building 38, korpus 3, flat 17, Saint Petersburg, 196211",
        "Kosmonavtov 38, flat 17. Which floor is she on?",
    ]
    spans = detect_lines(lines, "en", model=False)
    assert [(s.type, lines[1][s.start : s.end]) for s in spans[1]] == [
        ("ADDRESS", "Kosmonavtov 38, flat 17")
    ]


def test_a_foreign_passport_read_back_keeps_its_kind() -> None:
    lines = ["паспорт грузинский, 13AB45871.", "13AB45871, записала. Договор МП-2291 пришлю"]
    spans = detect_lines(lines, "ru", model=False)
    assert [(s.type, lines[1][s.start : s.end]) for s in spans[1]] == [("PASSPORT", "13AB45871")]


def test_a_value_just_given_keeps_its_kind_after_what_it_is_for() -> None:
    lines = [
        "и чек на организацию нужен, инн семь восемь ноль два, четыре один девять, ноль шесть три",
        "к оплате 11 340, чек на 7802419063 сделаю",
    ]
    spans = detect_lines(lines, "ru", model=False)
    assert [(s.type, lines[1][s.start : s.end]) for s in spans[1]] == [("INN", "7802419063")]


def test_a_value_read_back_after_a_price_keeps_its_kind() -> None:
    lines = [
        "refund to my new one, it's an amex, three seven five nine, one oh four eight two two, "
        "six one three oh seven",
        "Done, $54.99 back to 3759 104822 61307 in five to seven business days.",
    ]
    spans = detect_lines(lines, "en", model=False)
    assert [(s.type, lines[1][s.start : s.end]) for s in spans[1]] == [
        ("CARD", "3759 104822 61307")
    ]


def test_a_passport_completed_after_a_pause_is_read_back_as_one() -> None:
    lines = [
        "passport five zero one two, three four eight... eight five one",
        "fifty twelve, three four eight eight five one. and the INN, it's twelve digits",
    ]
    spans = detect_lines(lines, "en", model=False)
    assert [(s.type, lines[1][s.start : s.end]) for s in spans[1]] == [
        ("PASSPORT", "fifty twelve, three four eight eight five one")
    ]


def test_a_question_of_someone_else_asks_for_the_kinds_just_said() -> None:
    lines = [
        "INN 500127348816 and SNILS 168-022-491 05. And his?",
        "one nine nine, seven four three, oh one six, twenty-three",
    ]
    spans = detect_lines(lines, "en", model=False)
    assert [(s.type, lines[1][s.start : s.end]) for s in spans[1]] == [("SNILS", lines[1])]
    # Named by no question, eleven digits from a one are an American phone when said as one;
    # in a СНИЛС's groups of three, three, three and two they are a СНИЛС still.
    american = "one, nine nine seven, four three oh, one six two three"
    assert found(american, "en") == [("PHONE", american)]
    assert found(lines[1], "en") == [("SNILS", lines[1])]


def test_lines_read_alone_are_read_as_before() -> None:
    texts = ["А СНИЛС?", "seven seven one two zero four eight three nine five six"]
    assert detect_many(texts, "en") == [detect(text, "en") for text in texts] == [[], []]
    assert [span.type for span in detect_lines(texts, "en")[1]] == ["SNILS"]
    with pytest.raises(ValueError, match="previous line"):
        detect_many(texts, "en", previous=[""])


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # A Russian mobile with its trunk eight, said in an English call.
        ("my mobile is 8 916 773 29 05", "en", [("PHONE", "8 916 773 29 05")]),
        ("kpp seven seven zero three zero one zero zero one", "en", []),
        # Four groups of four digits with a hesitation between: a card, not an ИНН and a rest.
        ("Так, 2202 2063 4418, э-э, 9075.", "ru", [("CARD", "2202 2063 4418, э-э, 9075")]),
        ("заказ 2202 2063 4418, э-э, 9075", "ru", []),
        # An excuse said in a sentence of its own holds the reading; a slip owned does not.
        (
            "and INN, seven seven oh eight, four one... sorry, the cat's on the keyboard... nine"
            " two six, three five eight",
            "en",
            [
                (
                    "INN",
                    "seven seven oh eight, four one... sorry, the cat's on the keyboard... nine"
                    " two six, three five eight",
                )
            ],
        ),
        (
            "карта четыре два семь шесть, ноль ноль один три, пять пять восемь... ой, ребёнок..."
            " пять пять восемь два, девять один ноль четыре",
            "ru",
            [
                (
                    "CARD",
                    "четыре два семь шесть, ноль ноль один три, пять пять восемь... ой, ребёнок..."
                    " пять пять восемь два, девять один ноль четыре",
                )
            ],
        ),
        (
            "паспорт девяносто два ноль шесть... секунду, в куртке... ага, четыреста тридцать"
            " один пятьсот семь",
            "ru",
            [
                (
                    "PASSPORT",
                    "девяносто два ноль шесть... секунду, в куртке... ага, четыреста тридцать"
                    " один пятьсот семь",
                )
            ],
        ),
        # Eleven digits in a СНИЛС's groups are one though named a passport by mistake.
        (
            "Her passport, she says, one five seven, two nine four, three six one, zero eight",
            "en",
            [("SNILS", "one five seven, two nine four, three six one, zero eight")],
        ),
        ("that's twenty-two hundred and fifty dollars", "en", []),
        # A series opens a sentence of its own; "не та карточка" names no card; "и дальше"
        # between a series and its number; the СНИЛС's green card is no payment card.
        (
            "договор на меня. серия 8614, номер 377 902.",
            "ru",
            [("PASSPORT", "8614, номер 377 902")],
        ),
        (
            "ой, это мой, не та карточка. вот мамин: пятьдесят ноль три, номер восемьсот "
            "двадцать семь сто шестьдесят пять",
            "ru",
            [
                (
                    "PASSPORT",
                    "пятьдесят ноль три, номер восемьсот двадцать семь сто шестьдесят пять",
                )
            ],
        ),
        (
            "паспорт... четыре ноль один два, и дальше пятьсот пятьдесят шесть семьсот "
            "восемьдесят один.",
            "ru",
            [
                (
                    "PASSPORT",
                    "четыре ноль один два, и дальше пятьсот пятьдесят шесть семьсот восемьдесят"
                    " один",
                )
            ],
        ),
        (
            "СНИЛС... сейчас, зелёненькая карточка... вот: сто двадцать шесть, триста сорок, "
            "девятьсот восемнадцать, и тридцать три в конце.",
            "ru",
            [
                (
                    "SNILS",
                    "сто двадцать шесть, триста сорок, девятьсот восемнадцать, и тридцать три",
                )
            ],
        ),
        # A postcode before a city and street is no phone, though "домашний" was said.
        (
            "а удостоверения на мой домашний пришлите: 344002, Ростов-на-Дону, улица Большая "
            "Садовая, дом сто пятнадцать, квартира девять",
            "ru",
            [
                (
                    "ADDRESS",
                    "344002, Ростов-на-Дону, улица Большая Садовая, дом сто пятнадцать, "
                    "квартира девять",
                )
            ],
        ),
        # A card's expiry said right after its sixteen digits is outside it.
        (
            "давайте. четыре два семь шесть, три восемь ноль ноль, один два девять четыре, пять"
            " пять шесть один, ноль восемь двадцать восемь",
            "ru",
            [
                (
                    "CARD",
                    "четыре два семь шесть, три восемь ноль ноль, один два девять четыре, пять"
                    " пять шесть один",
                )
            ],
        ),
        ("card 4276 3800 1294 5561, 08/28", "en", [("CARD", "4276 3800 1294 5561")]),
        # A СНИЛС in its groups after a phone named as how it came.
        (
            "her snils... hang on, she's sending it on whatsapp... okay, zero seven seven, six"
            " one two, three four four, zero nine",
            "en",
            [("SNILS", "zero seven seven, six one two, three four four, zero nine")],
        ),
        # "другой телефон звонит" says why the reading stopped; "другая карта" would own a slip.
        (
            "оплату сразу картой можно? пять четыре шесть девять, три восемь, ноль ноль, один"
            " два... ой, другой телефон звонит, минуту... так, дальше: семь семь, девять один,"
            " ноль три.",
            "ru",
            [
                (
                    "CARD",
                    "пять четыре шесть девять, три восемь, ноль ноль, один два... ой, другой "
                    "телефон звонит, минуту... так, дальше: семь семь, девять один, ноль три",
                )
            ],
        ),
        # "-го" ends the year said as digits.
        (
            "Родилась четвёртого декабря 2001-го.",
            "ru",
            [("BIRTHDATE", "четвёртого декабря 2001-го")],
        ),
    ],
)
def test_values_as_callers_say_them(text: str, lang: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, lang) == expected


@pytest.mark.parametrize(
    ("question", "answer", "lang"),
    [
        # Twelve digits pass for an ИНН until the card asked for takes four more.
        (
            "Номер карты, пожалуйста.",
            "четыре два семь шесть, три восемь ноль ноль... один два девять один... шесть ноль "
            "четыре семь",
            "ru",
        ),
        # A group said again from its first word, the card asked for making sixteen digits.
        (
            "номер карты не проходит. продиктуйте ещё раз",
            "две два ноль ноль, семь ноль... семь ноль один пять, ноль два три четыре, восемь "
            "восемь шесть шесть",
            "ru",
        ),
        # Nine digits pass for an English passport until the ИНН asked for takes three more.
        (
            "I'll check your status with the tax service, please give me your INN.",
            "seven eight zero two... four four one... zero nine... six six five",
            "en",
        ),
    ],
)
def test_a_value_dictated_in_pieces_grows_to_the_kind_asked_for(
    question: str, answer: str, lang: str
) -> None:
    kind = "CARD" if lang == "ru" else "INN"
    assert found(answer, lang, previous=question) == [(kind, answer)]


def test_a_value_of_the_line_before_said_again_in_pieces_is_joined_whole() -> None:
    lines = [
        "переводите на карту мастера: два два ноль ноль, три ноль ноль один, четыре пять пять "
        "шесть, семь семь один восемь",
        "так, два два ноль ноль три ноль ноль один... четыре пять пять шесть... семь семь один "
        "восемь. получатель кто?",
    ]
    value = lines[1][len("так, ") : lines[1].index(". получатель")]
    spans = detect_lines(lines, "ru", model=False)
    assert [(s.type, lines[1][s.start : s.end]) for s in spans[1]] == [("CARD", value)]


@pytest.mark.parametrize(
    ("lines", "lang", "value", "kind"),
    [
        # The customer corrects the agent's slip: two digits swapped.
        (
            [
                "your snils in the scan is unclear, is it two three four, one one eight, oh "
                "seven six, nine two?",
                "no, the last bit is two nine, so two three four one one eight oh seven six "
                "two nine.",
            ],
            "en",
            "two three four one one eight oh seven six two nine",
            "SNILS",
        ),
        # The wrong value on file, read out beside the one just said.
        (
            [
                "СНИЛС двести одиннадцать, ноль сорок три, девятьсот восемь, пятнадцать",
                "у нас стоит 211 034 908 15, вот и ошибка",
            ],
            "ru",
            "211 034 908 15",
            "SNILS",
        ),
    ],
)
def test_a_value_of_the_line_before_with_a_digit_or_two_changed_keeps_its_kind(
    lines: list[str], lang: str, value: str, kind: str
) -> None:
    spans = detect_lines(lines, lang, model=False)
    assert [(s.type, lines[1][s.start : s.end]) for s in spans[1]] == [(kind, value)]


def test_a_question_of_a_husband_asks_for_the_kinds_just_said() -> None:
    lines = [
        "147-622-308 91. And your husband's?",
        "two oh nine, five five one, seven four six, oh two",
    ]
    spans = detect_lines(lines, "en", model=False)
    assert [(s.type, lines[1][s.start : s.end]) for s in spans[1]] == [("SNILS", lines[1])]


def test_a_request_for_a_record_without_number_asks_for_no_personal_data() -> None:
    answer = "ноль три ноль девять, двенадцать сорок один, восемьсот пять"
    assert found(answer, "ru", previous="лицевой счёт назовите, сверху на квитанции") == []
    # Asked whether a booking is still valid, the customer names the passport.
    assert found(
        "345009871 that's the passport",
        "en",
        previous="I have passport 554 221 876 on the booking, is that still valid?",
    ) == [("PASSPORT", "345009871")]


@pytest.mark.parametrize(
    ("said", "read_back", "lang", "value"),
    [
        (
            "записывайте сафина гульнара ильдаровна дата рождения четырнадцатое марта "
            "восемьдесят шестого года",
            "так четырнадцать ноль три восемьдесят шесть и снилс её",
            "ru",
            "четырнадцать ноль три восемьдесят шесть",
        ),
        (
            "twenty-first of the ninth, ninety-one, date of birth",
            "twenty-one oh nine nineteen ninety-one, and a mobile number?",
            "en",
            "twenty-one oh nine nineteen ninety-one",
        ),
    ],
)
def test_a_birth_date_read_back_in_other_words_is_one(
    said: str, read_back: str, lang: str, value: str
) -> None:
    spans = detect_lines([said, read_back], lang, model=False)
    assert [(s.type, read_back[s.start : s.end]) for s in spans[1]] == [("BIRTHDATE", value)]
    # Read alone, bare numbers are no date of birth.
    assert found(read_back, lang) == []


def test_a_unit_and_house_number_after_a_birth_date_is_no_date() -> None:
    lines = ["DOB 14 May 1990.", "My address is 2207-88 Harbour Street, Toronto."]
    spans = detect_lines(lines, "en", model=False)
    assert [s.type for s in spans[1] if s.type == "BIRTHDATE"] == []


@pytest.mark.parametrize(
    ("question", "answer", "lang", "expected"),
    [
        # What the speaker says the number is beats the record asked for.
        (
            "PulseBand warranty desk, can I get your order number to start?",
            "it's six one three, five five five, zero one four two... no sorry, that's my phone "
            "number",
            "en",
            [("PHONE", "six one three, five five five, zero one four two")],
        ),
        # A mobile's shape does not make a phone of a record's number asked for.
        (
            "Назовите номер водительского удостоверения или СТС.",
            "ву 99 23 458 120",
            "ru",
            [],
        ),
        # The card fetched holds the СНИЛС asked for.
        (
            "Записал. СНИЛС?",
            "сейчас, карточку найду... ноль шесть семь, двести двенадцать, пятьсот девяносто "
            "восемь, сорок четыре",
            "ru",
            [
                (
                    "SNILS",
                    "ноль шесть семь, двести двенадцать, пятьсот девяносто восемь, сорок четыре",
                )
            ],
        ),
    ],
)
def test_the_kind_asked_for_gives_way_to_what_the_answer_says(
    question: str, answer: str, lang: str, expected: list[tuple[str, str]]
) -> None:
    assert found(answer, lang, previous=question) == expected


def test_a_cue_of_an_earlier_sentence_names_no_value_read_back() -> None:
    lines = [
        "пять ноль ноль один, два семь семь восемь, три ноль девять один, это мой инн",
        "СНИЛС не нужен. 500127783091, всё совпадает.",
    ]
    spans = detect_lines(lines, "ru", model=False)
    assert [(s.type, lines[1][s.start : s.end]) for s in spans[1]] == [("INN", "500127783091")]


@pytest.mark.parametrize(
    ("lines", "lang", "expected"),
    [
        (
            [
                "my order is showing delivered. order ID is M Q seven seven three one nine "
                "zero four",
                "Sorry about that. MQ7731904... may I have your mobile number?",
            ],
            "en",
            [],
        ),
        (
            [
                "вот, заказ семьдесят семь тридцать четыре двадцать два ноль один пятьдесят восемь",
                "Вижу, 7734220158, тридцать шесть снимков, сумма 432 рубля.",
            ],
            "ru",
            [],
        ),
        # A cue of the sentence before names the number said before it, not this one.
        (
            [
                "it's one one two... no sorry, that's the contract. it's four five one, two seven "
                "three, five five eight, seven four",
                "so 451-273-558 74, and your full name?",
            ],
            "en",
            [("SNILS", "451-273-558 74")],
        ),
        # A day, a month and a year said as numbers answer a question of the birth date.
        (
            [
                "Z4831902. And your date of birth as per passport?",
                "Fifteen, zero eight, nineteen eighty-five.",
            ],
            "en",
            [("BIRTHDATE", "Fifteen, zero eight, nineteen eighty-five")],
        ),
        # An answer may follow a longer aside before it.
        (
            [
                "For our ID check I need your passport number and date of birth.",
                "Right, hang on, it's in the drawer... okay, one two five, four four eight... "
                "sorry, five four eight, nine oh seven.",
            ],
            "en",
            [
                (
                    "PASSPORT",
                    "one two five, four four eight... sorry, five four eight, nine oh seven",
                )
            ],
        ),
    ],
)
def test_the_last_line_read_after_the_ones_before(
    lines: list[str], lang: str, expected: list[tuple[str, str]]
) -> None:
    last = lines[-1]
    spans = detect_lines(lines, lang, model=False)[-1]
    assert [(s.type, last[s.start : s.end]) for s in spans] == expected
