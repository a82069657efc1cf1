"""`qa detect-objections` on JSON lines, without an app or a database."""

import json
from pathlib import Path

from click.testing import CliRunner

from qa.cli.objections import detect_objections_command

LINES = [
    {"id": "r1", "text": "Скидку дадите? у конкурентов дешевле"},
    {"id": "r2", "text": "а синего нету?", "lang": "ru", "speaker": "customer"},
    {"id": "r3", "text": "Да, цена выше средней, синего нет.", "speaker": "agent"},
    {"id": "e1", "text": "No XL in this one? And it's way too pricey."},
    {"id": "e2", "text": "How much is delivery?"},
]


def _run(tmp_path: Path, lines: list[str], *args: str) -> tuple[int, list[dict], str]:
    path = tmp_path / "turns.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(detect_objections_command, [str(path), *args])
    out = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, out, result.stderr


def test_file_in_json_lines_out(tmp_path: Path) -> None:
    code, out, err = _run(tmp_path, [json.dumps(x, ensure_ascii=False) for x in LINES])
    assert code == 0, err
    by_id = {row["id"]: row for row in out}
    assert list(by_id) == ["r1", "r2", "r3", "e1", "e2"]
    assert by_id["r1"]["labels"] == ["price"]
    assert by_id["r1"]["spans"][0] == {
        "label": "price",
        "start": 0,
        "end": 13,
        "text": "Скидку дадите",
        "rule": "price.bargain",
    }
    assert set(by_id["r1"]["scores"]) == {"price", "assortment"}
    assert by_id["r2"]["labels"] == ["assortment"]
    assert by_id["r3"]["labels"] == []
    assert by_id["r3"]["spans"] == []
    assert by_id["e1"]["labels"] == ["price", "assortment"]
    assert {s["rule"] for s in by_id["e1"]["spans"]} == {
        "assortment.missing_variant",
        "price.too_expensive",
    }
    assert by_id["e2"]["labels"] == []


def test_bad_lines_are_reported_and_the_rest_go_on(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": 1, "text": "дорого"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": 3}),
        json.dumps({"id": 4, "text": "hi", "lang": "de"}),
        json.dumps({"id": 5, "text": "sold out again?"}),
    ]
    code, out, err = _run(tmp_path, lines)
    assert code == 1
    assert [row["id"] for row in out] == [1, 5]
    assert "line 2: not valid JSON" in err
    assert 'line 3: "text" must be a string' in err
    assert 'line 4: "lang" must be "ru" or "en"' in err
    assert "3 line(s) skipped" in err


def test_reads_stdin_and_applies_trackers(tmp_path: Path) -> None:
    trackers = tmp_path / "trackers.jsonl"
    trackers.write_text(
        json.dumps(
            {"name": "Competitors", "label": "competitor", "lang": "en", "phrases": ["Costco"]}
        )
        + "\n",
        encoding="utf-8",
    )
    stdin = json.dumps({"id": "x", "text": "Costco has it for less"}) + "\n"
    result = CliRunner().invoke(
        detect_objections_command, ["--trackers", str(trackers)], input=stdin
    )
    assert result.exit_code == 0, result.stderr
    row = json.loads(result.stdout)
    assert row["labels"] == ["price", "competitor"]
    assert {
        "label": "competitor",
        "start": 0,
        "end": 6,
        "text": "Costco",
        "rule": "tracker.competitors",
    } in row["spans"]


def test_invalid_tracker_file_is_a_usage_error(tmp_path: Path) -> None:
    trackers = tmp_path / "trackers.jsonl"
    trackers.write_text(
        json.dumps({"name": "x", "label": "y", "lang": "de", "phrases": ["a"]}) + "\n"
    )
    result = CliRunner().invoke(detect_objections_command, ["--trackers", str(trackers)], input="")
    assert result.exit_code == 2
    assert "line 1: tracker 'x': language must be one of ru, en" in result.stderr
