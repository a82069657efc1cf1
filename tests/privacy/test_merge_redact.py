"""One span per stretch of text, and redaction by type."""

from __future__ import annotations

from privacy import Span, detect, redact
from privacy.merge import merge


def test_the_surer_type_wins_an_overlap() -> None:
    spans = [
        Span(0, 10, "PERSON"),
        Span(0, 30, "EMAIL"),
        Span(40, 50, "ADDRESS"),
        Span(44, 48, "PERSON"),
        Span(60, 70, "PHONE"),
        Span(60, 70, "PHONE"),
    ]
    assert merge(spans) == [Span(0, 30, "EMAIL"), Span(40, 50, "ADDRESS"), Span(60, 70, "PHONE")]


def test_a_name_inside_an_email_or_a_street_is_not_a_person() -> None:
    text = "почта ivan точка petrov собака mail точка ру, адрес улица Ленина, дом 5"
    assert [s.type for s in detect(text, "ru")] == ["EMAIL", "ADDRESS"]


def test_redact_replaces_each_value_by_its_type() -> None:
    text = "Меня зовут Анна, мой номер 8 999 1234567."
    spans = detect(text, "ru")
    assert redact(text, spans) == "Меня зовут [PERSON], мой номер [PHONE]."
    assert redact(text, []) == text


def test_the_language_is_guessed_when_not_given() -> None:
    assert [s.type for s in detect("my number is (212) 555-0199")] == ["PHONE"]


def test_offsets_of_the_redacted_text_map_back_onto_the_original() -> None:
    from privacy.redact import original_offset

    text = "Меня зовут Анна, телефон +7 921 404 11 87, дорого."
    spans = [Span(11, 15, "PERSON"), Span(25, 41, "PHONE")]
    redacted = redact(text, spans)
    assert redacted == "Меня зовут [PERSON], телефон [PHONE], дорого."
    word = redacted.index("дорого")
    start = original_offset(word, spans)
    end = original_offset(word + len("дорого"), spans, end=True)
    assert text[start:end] == "дорого"
    assert original_offset(0, spans) == 0
    inside = redacted.index("[PHONE]") + 2
    assert original_offset(inside, spans) == 25
    assert original_offset(inside, spans, end=True) == 41
