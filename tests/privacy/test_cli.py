"""``qa redact``: JSON lines in and out, offsets into the input text, bad lines named."""

from __future__ import annotations

import json

from click.testing import CliRunner

from qa.cli.redact import redact_command


def _run(lines: str) -> tuple[int, list[dict[str, object]], str]:
    result = CliRunner().invoke(redact_command, ["-"], input=lines)
    return result.exit_code, [json.loads(x) for x in result.stdout.splitlines()], result.stderr


def test_redacts_each_line_with_offsets_into_the_input() -> None:
    rows = [
        {"id": "a", "text": "Меня зовут Анна, телефон +7 921 404 11 87.", "lang": "ru"},
        {"id": 2, "text": "email is anna dot lee at outlook dot com", "lang": "en"},
        {"id": "c", "text": "номер заказа 12345, спасибо"},
    ]
    code, out, _ = _run("\n".join(json.dumps(row, ensure_ascii=False) for row in rows))
    assert code == 0
    assert [row["id"] for row in out] == ["a", 2, "c"]
    assert out[0]["text"] == "Меня зовут [PERSON], телефон [PHONE]."
    assert out[1]["text"] == "email is [EMAIL]"
    assert out[2] == {"id": "c", "text": "номер заказа 12345, спасибо", "spans": []}
    for row, result in zip(rows, out, strict=True):
        for span in result["spans"]:
            value = row["text"][span["start"] : span["end"]]
            assert value
            assert value.strip() == value
    phone = out[0]["spans"][1]
    assert rows[0]["text"][phone["start"] : phone["end"]] == "+7 921 404 11 87"


def test_bad_lines_are_named_and_the_rest_go_on() -> None:
    lines = "\n".join(
        [
            "{not json",
            '["list"]',
            '{"id": 3, "text": null}',
            '{"id": 4, "text": "ok", "lang": "de"}',
            "",
            '{"id": 6, "text": ""}',
            '{"id": 7, "text": "my number is (212) 555-0199", "lang": "en"}',
        ]
    )
    code, out, err = _run(lines)
    assert code == 1
    assert [row["id"] for row in out] == [6, 7]
    assert out[0] == {"id": 6, "text": "", "spans": []}
    assert out[1]["text"] == "my number is [PHONE]"
    for number, reason in [
        (1, "not valid JSON"),
        (2, "expected a JSON object"),
        (3, '"text" must be a string'),
        (4, '"lang" must be'),
    ]:
        assert f"line {number}: {reason}" in err
    assert "4 line(s) skipped" in err


def test_lines_are_redacted_in_batches_in_their_order() -> None:
    from privacy import detect

    texts = [
        "Меня зовут Анна, телефон +7 921 404 11 87.",
        "hi you've reached spokes and wheels bike hire this is tom",
        "номер заказа 12345, спасибо",
    ]
    rows = [{"id": n, "text": texts[n % 3]} for n in range(600)]  # three batches of lines
    code, out, _ = _run("\n".join(json.dumps(row, ensure_ascii=False) for row in rows))
    assert code == 0
    assert [row["id"] for row in out] == list(range(600))
    for row, result in zip(rows, out, strict=True):
        assert result["spans"] == [span.to_dict() for span in detect(row["text"])]
    assert out[1]["text"] == "hi you've reached spokes and wheels bike hire this is [PERSON]"
