"""The checks qa.services.validation adds for web, API and CLI alike."""

from __future__ import annotations

import pytest

from qa.services.errors import ValidationFailed
from qa.services.validation import (
    MAX_PAGE,
    email_address,
    finite_decimal,
    finite_float,
    page_number,
    record_id,
)


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize(
    ("value", "expected"),
    [("Ivan.Petrov@Example.COM", "ivan.petrov@example.com"), (" a@b.example ", "a@b.example")],
)
def test_email_address_normalises(value, expected) -> None:
    assert email_address(value, field="Email") == expected


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not-an-email", "Email: not a valid e-mail address."),
        ("someone@localhost", "Email: not a valid e-mail address."),
        ("two@@example.com", "Email: not a valid e-mail address."),
        ("a\x00b@example.com", "Email: contains control characters."),
        ("", "Email: this field is required."),
        ("x" * 250 + "@example.com", "Email: at most 254 characters."),
    ],
)
def test_email_address_refuses(value, message) -> None:
    with pytest.raises(ValidationFailed) as refused:
        email_address(value, field="Email")
    assert str(refused.value) == message


@pytest.mark.usefixtures("app")
@pytest.mark.parametrize("value", [float("nan"), float("inf"), "NaN", "-Infinity"])
def test_non_finite_numbers_are_named_as_such(value) -> None:
    with pytest.raises(ValidationFailed, match="expected a finite number"):
        finite_decimal(value, field="spend")


@pytest.mark.usefixtures("app")
def test_finite_float_range() -> None:
    assert finite_float("42.5", field="score", maximum=100) == 42.5
    assert finite_float("", field="score", maximum=100) is None
    with pytest.raises(ValidationFailed, match="score: must be between 0 and 100"):
        finite_float(100.5, field="score", maximum=100)


@pytest.mark.usefixtures("app")
def test_page_numbers_and_ids_from_query_strings() -> None:
    assert page_number(None) == 1
    assert page_number("3") == 3
    assert record_id("", field="campaign") is None
    assert record_id("17", field="campaign") == 17
    for bad in ("0", "-1", "1e21", "2.5", "abc", str(MAX_PAGE + 1)):
        with pytest.raises(ValidationFailed, match="^page: "):
            page_number(bad)
    with pytest.raises(ValidationFailed, match="^campaign: must be between 1 and"):
        record_id("99999999999999999999", field="campaign")
