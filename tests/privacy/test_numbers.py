"""Spoken numbers become digits that keep the offsets of the words they were said in."""

from __future__ import annotations

import pytest

from privacy.numbers import number_runs
from privacy.numeric import spoken_numbers
from privacy.tokens import tokenize


def runs(text: str) -> list[tuple[str, str]]:
    out = []
    for run in number_runs(text, tokenize(text)):
        start, end = run.offsets(0, len(run.digits))
        out.append((run.digits, text[start:end]))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8 926 четыреста один двенадцать ноль три", [("89264011203", None)]),
        ("четырёхсот двадцати трёх", [("423", None)]),  # oblique cases
        ("двумя тысячами пятью", [("2005", None)]),
        ("одна две три", [("123", None)]),
        ("тысяча девятьсот восемьдесят пятого", [("1985", None)]),
        ("two one two, five five five, oh one nine nine", [("2125550199", None)]),
        ("double oh seven, triple five", [("007555", None)]),
        ("nineteen eighty-five", [("1985", None)]),
        ("девятьсот шестнадцать тире сто двадцать три", [("916123", None)]),
        ("two one two dash five five five", [("212555", None)]),
        ("пять тире", [("5", "пять")]),
        ("four hundred and", [("400", "four hundred")]),
        # After a thousand, "hundred" multiplies the unit said last; before one, all of it.
        ("two thousand four hundred", [("2400", None)]),
        ("twenty four hundred", [("2400", None)]),
        ("three thousand one hundred", [("3100", None)]),
        ("+7 (921) 404-11-87", [("79214041187", "7 (921) 404-11-87")]),
    ],
)
def test_digits_and_the_words_they_came_from(
    text: str, expected: list[tuple[str, str | None]]
) -> None:
    got = runs(text)
    assert [digits for digits, _ in got] == [digits for digits, _ in expected]
    for (_, said), (_, want) in zip(got, expected, strict=True):
        assert said == (want or text)


def test_a_digit_maps_to_its_own_word() -> None:
    text = "ноль три пять"
    (run,) = number_runs(text, tokenize(text))
    assert run.digits == "035"
    assert text[slice(*run.offsets(1, 2))] == "три"


def test_an_interjection_is_not_a_zero() -> None:
    assert runs("Oh, and") == []
    assert runs("oh") == []


def test_hundreds_after_thousands_are_not_completed_across_a_pause() -> None:
    # "восемь девятьсот... двенадцать" is 912, but "две тысячи двести" is a whole 2200.
    text = "две тысячи двести... тринадцать сорок... девяносто девять ноль один"
    assert [digits for digits, _, _ in _spoken(text)] == ["220013409901"]
    assert [digits for digits, _, _ in _spoken("восемь девятьсот... двенадцать")] == ["8912"]


def _spoken(text: str) -> list[tuple[str, int, int]]:
    return [(digits, start, end) for start, end, digits in spoken_numbers(text, "ru")]
