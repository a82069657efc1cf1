"""JSON-lines input of the database-free commands: bad lines are named and skipped."""

from __future__ import annotations

import json

from click.testing import CliRunner

from qa.cli.adcopy import check_ad_command
from qa.cli.objections import detect_objections_command

LINES = "\n".join(
    [
        '{"id": 1, "text": "Скидка 20% до пятницы! Звоните."}',
        "{not json",
        '["a list"]',
        '{"id": 4, "text": 5}',
        '{"id": 5, "text": "ok", "lang": "de"}',
        '{"id": 6, "text": "   "}',
        "",
        '{"id": 7, "text": "Sale 30% off this week only. Book now!"}',
    ]
)


def test_check_ad_skips_bad_lines_with_their_numbers() -> None:
    result = CliRunner().invoke(check_ad_command, ["-", "--today", "2026-11-27"], input=LINES)
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in out] == [1, 7]
    assert all(row["offer"] and row["deadline"] and row["cta"] for row in out)
    for number, reason in [(2, "not valid JSON"), (3, "expected a JSON object"),
                           (4, '"text" must be a string'), (5, '"lang" must be'),
                           (6, '"text" is empty')]:
        assert f"line {number}: {reason}" in result.stderr
    assert "5 line(s) skipped" in result.stderr


def test_detect_objections_checks_speaker_and_keeps_going() -> None:
    lines = "\n".join(
        [
            '{"id": "a", "text": "Это слишком дорого для меня"}',
            '{"id": "b", "text": "Это слишком дорого", "speaker": "robot"}',
            '{"id": "c", "text": "Это слишком дорого", "speaker": "agent"}',
        ]
    )
    result = CliRunner().invoke(detect_objections_command, ["-"], input=lines)
    assert result.exit_code == 1
    out = {row["id"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert out["a"]["labels"] == ["price"]
    assert out["c"]["labels"] == []
    assert 'line 2: "speaker" must be customer, agent or unknown' in result.stderr
