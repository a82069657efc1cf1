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
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_finds_each_value_with_its_edges(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text, "en") == expected


@pytest.mark.parametrize("text", NEGATIVE)
def test_never_personal_data(text: str) -> None:
    assert found(text, "en") == []
