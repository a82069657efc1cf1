"""``qa transcribe --export``: the JSON file carries the findings the summary counts."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask

from qa.cli import main
from qa.extensions import db
from qa.services.calls.intake import recording_metadata, take_in
from qa.services.calls.objections import analyse_call
from tests.web import factories

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"
GOOD = "en_mono_8k_alaw.wav"


def test_export_of_a_transcribed_call_carries_its_findings(
    app: Flask,
    runner,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    # The canned engine is never asked: the file is already transcribed, so it is skipped.
    app.config["WHISPER_ENGINE"] = "fake"
    with open(AUDIO / GOOD, "rb") as handle:
        call = take_in(handle, GOOD, recording_metadata(language="en"), queue=False).call
    call.status, call.language = "transcribed", "en"
    factories.make_segment(call, speaker="customer", start=0.0, end=1.5, text="Hello there.")
    factories.make_segment(
        call, speaker="customer", start=1.6, end=4.9, text="That is too expensive for us."
    )
    analyse_call(call)
    db.session.commit()
    stored = [(f.label, f.text) for f in call.findings]
    assert stored, "the fixture line must be flagged"

    out = tmp_path / "out"
    result = runner.invoke(main, ["transcribe", str(AUDIO / GOOD), "--export", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 skipped" in result.output
    # The summary table's row: File, Status, Call, Lang, Audio, Segments, Findings, Note.
    row = next(line for line in result.output.splitlines() if "│ skipped │" in line)
    counted = int([cell.strip() for cell in row.split("│")][7])

    data = json.loads((out / "en_mono_8k_alaw.json").read_text(encoding="utf-8"))
    assert len(data["findings"]) == counted == len(stored)
    assert [(f["label"], f["text"]) for f in data["findings"]] == stored
    finding = data["findings"][0]
    assert finding["segment"] == 1
    assert data["segments"][finding["segment"]]["text"] == "That is too expensive for us."
    assert 1.6 <= finding["start"] <= finding["end"] <= 4.9
