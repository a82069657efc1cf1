"""Hostile text: empty, NULs, control characters, a 1 MB line; never a crash."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from privacy import detect, redact
from privacy.detect import detect_lines
from qa.cli.redact import redact_command


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\x00",
        "тел\x00ефон 8\x00926 123 45 67",
        "\u202e\ufeff@@@ собака точка",
        "ноль " * 500,
        "double " * 200,
        "улица " * 300,
        "9" * 5000,
        "@" * 1000 + "a@b",
        # Runs of spaces and line breaks inside an address read back from its postcode.
        "Flat 3,  Rose\n  Court,\tLeeds,   LS1 4AB",
        ", , , , LS1 4AB",
        "Apartment 2,\n\n12  Bay   Street, Toronto, M5J 2N8 " * 50,
        # A number, a comma and nothing after it.
        "5,",
        "пять,",
        "five oh five, four two nine,",
        "call me on 5, ",
    ],
)
def test_odd_text_gives_spans_inside_it(text: str) -> None:
    spans = detect(text, "ru") + detect(text, "en")
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
    assert isinstance(redact(text, detect(text, "ru")), str)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_odd_lines_read_in_order_give_spans_inside_them(lang: str) -> None:
    # Pieces around an acknowledgement, a street read back, a county and an Eircode, each
    # among NULs, empty lines and long repeats.
    lines = [
        "",
        "\x00четыре два\x00...",
        "ага",
        "\x00 пять...",
        "go on",
        "county cork, " * 2000 + "p31 x2k8",
        "улица Ленина, дом 5",
        "Ленина, " * 3000 + "5",
        "mhm",
        "9" * 5000,
        "ок",
        "",
    ]
    for line, spans in zip(lines, detect_lines(lines, lang), strict=True):
        for span in spans:
            assert 0 <= span.start < span.end <= len(line)


def test_a_one_megabyte_line_is_redacted_quickly() -> None:
    turn = "Меня зовут Анна, телефон 8 926 123 45 67, заказ 5512. "
    text = turn * (1_000_000 // len(turn))
    started = time.perf_counter()
    spans = detect(text, "ru")
    assert time.perf_counter() - started < 30
    assert sum(1 for span in spans if span.type == "PHONE") == text.count("8 926")


def test_cli_survives_nuls_and_a_huge_line() -> None:
    lines = json.dumps({"id": 1, "text": "a\x00b " * 250_000}) + "\n\x00\x00\n"
    result = CliRunner().invoke(redact_command, ["-"], input=lines)
    assert result.exit_code == 1
    assert json.loads(result.stdout.splitlines()[0])["id"] == 1
    assert "line 2: not valid JSON" in result.stderr
