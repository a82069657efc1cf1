"""``qa check-ad`` on JSON lines, without a database."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from qa.cli.adcopy import check_ad_command

LINES = [
    {"id": "a1", "text": "Скидка 20% до 31 марта. Закажите на сайте shop.ru"},
    "not json",
    {"id": "a3", "text": "Best prices in town. Call 555-0142", "lang": "en"},
    {"id": "a4", "lang": "de", "text": "Rabatt"},
    {"id": "a5", "text": "Акция до 25.11.2026"},
    {"id": "a6"},
]


def _write(path: Path) -> Path:
    rows = [row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) for row in LINES]
    path.write_text("\n".join(rows) + "\n\n", encoding="utf-8")
    return path


def test_check_ad_reads_a_file_and_reports_bad_lines(tmp_path: Path) -> None:
    source = _write(tmp_path / "ads.jsonl")
    result = CliRunner().invoke(check_ad_command, [str(source), "--today", "2026-11-27"])
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in out] == ["a1", "a3", "a5"]
    first, second, third = out
    assert (first["offer"], first["deadline"], first["cta"]) == (True, True, True)
    assert first["lang"] == "ru"
    assert first["evidence"]["deadline"]["spans"][0]["text"] == "до 31 марта"
    assert first["evidence"]["deadline"]["expired"] is False
    assert (second["offer"], second["deadline"], second["cta"]) == (False, False, True)
    assert second["evidence"]["offer"]["suggestion"]
    assert second["evidence"]["cta"]["spans"][0]["rule_id"] == "cta.imperative"
    assert third["deadline"] is True
    assert third["evidence"]["deadline"]["expired"] is True
    assert "line 2: not valid JSON" in result.stderr
    assert 'line 4: "lang" must be "ru" or "en"' in result.stderr
    assert 'line 6: "text" must be a string' in result.stderr
    assert "3 line(s) skipped" in result.stderr


def test_check_ad_reads_stdin() -> None:
    stdin = json.dumps({"id": 7, "text": "Save 20% on your first box"}) + "\n"
    result = CliRunner().invoke(check_ad_command, ["--today", "2026-11-27"], input=stdin)
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)
    assert row["id"] == 7
    assert (row["offer"], row["deadline"], row["cta"]) == (True, False, False)
    assert set(row["evidence"]) == {"offer", "deadline", "cta"}
    assert row["evidence"]["cta"]["suggestion"]
