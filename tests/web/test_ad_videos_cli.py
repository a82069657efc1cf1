"""``qa check-ad-video``: one JSON line per video, and a named failure for a file it cannot read."""

from __future__ import annotations

import json
from pathlib import Path

from qa.cli.advideo import check_ad_video_command

VIDEOS = Path(__file__).resolve().parents[1] / "data" / "video"


def test_check_ad_video_writes_lines_and_names_unreadable_files(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fake = tmp_path / "page.mp4"
    fake.write_text("<html>not a video</html>", encoding="utf-8")
    result = runner.invoke(
        check_ad_video_command,
        [str(VIDEOS / "en_shown.webm"), str(fake), "--lang", "en", "--today", "2026-12-06"],
    )
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1
    line = lines[0]
    assert set(line) >= {
        "file",
        "lang",
        "duration",
        "offer",
        "deadline",
        "expired",
        "cta",
        "marking",
        "evidence",
    }
    assert (line["offer"], line["deadline"], line["cta"], line["expired"]) == (
        True,
        True,
        True,
        False,
    )
    assert line["marking"] == {"label": "present", "advertiser": "present", "erid": "missing"}
    assert {item["source"] for item in line["evidence"]} == {"screen"}
    assert {item["element"] for item in line["evidence"]} == {
        "offer",
        "deadline",
        "cta",
        "label",
        "advertiser",
    }
    assert "page.mp4" in result.stderr
    assert "not a readable video file" in result.stderr
