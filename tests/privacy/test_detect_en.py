"""English transcripts: each type in digits, words and mixed, with the span edges of the rules."""

from __future__ import annotations

import pytest

from tests.privacy.spans import found

CASES = [
    ("my number is (212) 555-0199.", [("PHONE", "(212) 555-0199")]),
    ("call me on 07700 900123", [("PHONE", "07700 900123")]),
    (
        "it's two one two, five five five, oh one nine nine",
        [("PHONE", "two one two, five five five, oh one nine nine")],
    ),
    (
        "my mobile is oh seven seven double oh, nine double oh one two three",
        [("PHONE", "oh seven seven double oh, nine double oh one two three")],
    ),
    ("reach me at +1 415 555 2671 anytime", [("PHONE", "+1 415 555 2671")]),
    ("the card number is 4111 1111 1111 1111", [("CARD", "4111 1111 1111 1111")]),
    (
        "card four one one one, one one one one, one one one one, one one one two",
        [("CARD", "four one one one, one one one one, one one one one, one one one two")],
    ),
    ("amex 3782 822463 10005", [("CARD", "3782 822463 10005")]),
    ("my passport number is 533380006", [("PASSPORT", "533380006")]),
    ("email is anna dot lee at outlook dot com.", [("EMAIL", "anna dot lee at outlook dot com")]),
    ("send it to john.smith@gmail.com please", [("EMAIL", "john.smith@gmail.com")]),
    (
        "Hi, this is Sarah, am I speaking with Mr. John Smith?",
        [("PERSON", "Sarah"), ("PERSON", "John Smith")],
    ),
    ("my name is anna lee", [("PERSON", "anna lee")]),
    (
        "ship it to 1420 Elm Street, Apt 4B, Springfield, IL 62704.",
        [("ADDRESS", "1420 Elm Street, Apt 4B, Springfield, IL 62704")],
    ),
    (
        "Flat 4, 12 Baker Street, London NW1 6XE please",
        [("ADDRESS", "Flat 4, 12 Baker Street, London NW1 6XE")],
    ),
    (
        "I was born on the fifteenth of March nineteen eighty-five.",
        [("BIRTHDATE", "fifteenth of March nineteen eighty-five")],
    ),
    ("DOB is March 15th, 1985", [("BIRTHDATE", "March 15th, 1985")]),
    ("date of birth 03/15/1985, yes", [("BIRTHDATE", "03/15/1985")]),
]

MORE_CASES = [
    (
        "it's plus one, eight one eight, five five five, zero one four two",
        [("PHONE", "plus one, eight one eight, five five five, zero one four two")],
    ),
    (
        "ok so it's seven one eight, 555, 77 double 9",
        [("PHONE", "seven one eight, 555, 77 double 9")],
    ),
    ("number's 0161 496 0752 that's my landline", [("PHONE", "0161 496 0752")]),
    ("9 8 7 6 5 4 3 2 1 is my passport number", [("PASSPORT", "9 8 7 6 5 4 3 2 1")]),
    ("uh the passport number is P 4 5 6 7 8 9 0 1", [("PASSPORT", "P 4 5 6 7 8 9 0 1")]),
    ("my passport is c03005988", [("PASSPORT", "c03005988")]),
    ("So your passport is 801234567 and it expires in 2031?", [("PASSPORT", "801234567")]),
    (
        "john underscore smith eighty five at gmail dot com",
        [("EMAIL", "john underscore smith eighty five at gmail dot com")],
    ),
    ("it's sam at sam jones dot net", [("EMAIL", "sam at sam jones dot net")]),
    ("date of birth 1993-05-17", [("BIRTHDATE", "1993-05-17")]),
    (
        "Good morning, Dr. Patel's office, this is Rachel speaking.",
        [("PERSON", "Patel"), ("PERSON", "Rachel")],
    ),
    ("my husband Greg set it up", [("PERSON", "Greg")]),
    ("my name's Sarah, Sarah O'Connor", [("PERSON", "Sarah"), ("PERSON", "Sarah O'Connor")]),
    (
        "fifteen Maple Avenue, apartment 3C, Brooklyn, New York one one two one five",
        [
            (
                "ADDRESS",
                "fifteen Maple Avenue, apartment 3C, Brooklyn, New York one one two one five",
            )
        ],
    ),
    (
        "I live at 56 Queen's Road, Brighton BN1 3XE",
        [("ADDRESS", "56 Queen's Road, Brighton BN1 3XE")],
    ),
    (
        "billing address is 12 elm street, springfield, il 62704",
        [("ADDRESS", "12 elm street, springfield, il 62704")],
    ),
    (
        "born on the twenty-third of October, nineteen sixty-eight",
        [("BIRTHDATE", "twenty-third of October, nineteen sixty-eight")],
    ),
    (
        "it's k dot morgan at hotmail dot co dot uk",
        [("EMAIL", "k dot morgan at hotmail dot co dot uk")],
    ),
    ("My son Tyler will pick it up.", [("PERSON", "Tyler")]),
    ("I live on Maple Street, Springfield.", [("ADDRESS", "Maple Street, Springfield")]),
    ("surname is Nguyen, first name Linh", [("PERSON", "Nguyen"), ("PERSON", "Linh")]),
    (
        "This is David Miller from Northwind Traders, am I speaking with Ms. Garcia?",
        [("PERSON", "David Miller"), ("PERSON", "Garcia")],
    ),
    # After an honorific a person, though a number follows as a ZIP would; a weekday ends
    # the name.
    (
        "Thanks Mrs. Ellison, 01328 581224.",
        [("PERSON", "Ellison"), ("PHONE", "01328 581224")],
    ),
    ("you're booked with Dr. Klein Tuesday at four thirty", [("PERSON", "Klein")]),
    # A Russian address in English: the house after the street, said as a building.
    (
        "Bolshaya Sadovaya street, building ninety, apartment eleven. and my phone",
        [("ADDRESS", "Bolshaya Sadovaya street, building ninety, apartment eleven")],
    ),
    # A house said in words, a pause before the street.
    (
        "forty two eleven, um, maple ridge drive, hilliard ohio four three zero two six. my "
        "license is in the car",
        [
            (
                "ADDRESS",
                "forty two eleven, um, maple ridge drive, hilliard ohio four three zero two six",
            )
        ],
    ),
    ("drop off is forty two, crossfield road", [("ADDRESS", "forty two, crossfield road")]),
    (
        "I'll text the receipt to oh four three one, seven seven six, two oh five",
        [("PHONE", "oh four three one, seven seven six, two oh five")],
    ),
    ("R450 including VAT. We'll SMS 212 555 0199 when it's ready", [("PHONE", "212 555 0199")]),
    # "dash" and "space" said between the groups; a СНИЛС written as only a СНИЛС is.
    (
        "SNILS, one two six, dash, five five eight, dash, nine zero three, space, four one",
        [("SNILS", "one two six, dash, five five eight, dash, nine zero three, space, four one")],
    ),
    ("126-558-903 41. Date of birth?", [("SNILS", "126-558-903 41")]),
    # A digit said again before a pause, one too many for the ИНН named.
    (
        "the inn is uh, seven eight four one, oh six two, nine... nine five three, oh eight",
        [("INN", "seven eight four one, oh six two, nine... nine five three, oh eight")],
    ),
    # "on my phone" says where the value is written, not that it is a phone.
    (
        "my INN, hold on, it's on my phone... three five two, one zero zero, eight four seven, "
        "six six one",
        [("INN", "three five two, one zero zero, eight four seven, six six one")],
    ),
    (
        "it's a UK number, oh seven nine one one, two six four, double five oh",
        [("PHONE", "oh seven nine one one, two six four, double five oh")],
    ),
    (
        "my moms number is three oh six five five five oh one five five",
        [("PHONE", "three oh six five five five oh one five five")],
    ),
]

NEGATIVE = [
    "your order number is 212 555 0199",
    "the tracking number is 9400 1000 0000 0000 0000",
    "that comes to 1,299 dollars",
    "the card ending in 4567",
    "I'll call back at 3:30 pm",
    "delivery on March 15th, 2026",
    "the iPhone 15 Pro Max, 256 gigabytes",
    "two pairs, size ten",
    "our store is at 50 Main Street",
    "I live in Chicago",
    "Alexa, play some music",
    "Bank of America and Wells Fargo",
    "extension 4512",
    "I am 45 years old",
    "promo code SPRING25",
    "Our customer line is 1-800-555-0100, open eight to eight.",
    "The Victoria sofa is on sale for $899 this week.",
    "I bought it at Ashley Furniture, not from you guys?",
    "the John Lewis store on Oxford Street said you'd match the price",
    "The clinic is at 45 Harley Street, London, second floor.",
    "Thank you for your patience, everyone is currently busy.",
    "the hotel is the Hilton on Park Lane",
    "I'm forty two years old",
    "We're at 200 Park Avenue, New York, come by any time.",
    "Good afternoon, Wilson Hardware, how can I help?",
    "I'm in Denver right now.",
    "the shop on Main Street is closed",
    "The Toyota Camry 2019 and the Ford Focus are both available.",
    "Your order 112-4456789-1234567 shipped today.",
    "The appointment is on March 3rd, 2027 at 10 am.",
    "we will mark it as paid and bill you in may",
    # A number named by a word that names no phone or document is some record's.
    "I'll raise a dispute, case number 5532 1189 0042 7761, you'll hear back soon",
    "donor number's g b seven oh one four two two nine",
    "the meter number on the box is N 8 8 2 0 1 5",
    "article numbers 8450 0082 11 for the front",
    "BSB is zero six three one two four, i'll give the account number to the driver",
    "lot twelve on DP seven five three one one eight, eighty hectares",
]


@pytest.mark.parametrize(("text", "expected"), CASES + MORE_CASES)
def test_finds_each_value_with_its_edges(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "en") == expected


@pytest.mark.parametrize("text", NEGATIVE)
def test_never_personal_data(text: str) -> None:
    assert found(text, "en") == []
