"""Merging what a video says and shows into one verdict, on readings built from known words."""

from __future__ import annotations

import datetime

from scoring.adcopy.video import audit_video
from transcription.types import ScreenText, Segment, Transcript, VideoInfo, VideoReading, Word

TODAY = datetime.date(2026, 12, 6)


def _reading(words: list[tuple[float, str]], lines: list[tuple[float, float, str]] | None):
    said = tuple(Word(at, at + 0.4, text, 0.9) for at, text in words)
    transcript = None
    if said:
        segment = Segment(
            "unknown", said[0].start, said[-1].end, " ".join(w.text for w in said), said
        )
        transcript = Transcript("ru", 1.0, 10.0, 1, False, (segment,), "test", "test")
    screen = None if lines is None else tuple(ScreenText(a, b, t, 90.0) for a, b, t in lines)
    info = VideoInfo(10.0, 640, 360, 25.0, "h264", bool(said))
    return VideoReading(info, transcript, screen)


def test_evidence_carries_the_moments_of_the_words() -> None:
    reading = _reading(
        [(1.0, "Скидка"), (1.5, "20%"), (2.0, "на"), (2.5, "всё."), (4.0, "Звоните!")],
        [(0.0, 3.0, "Только до 31 декабря"), (5.0, 10.0, "Реклама. erid: 2VtzqwXYZ1")],
    )
    audit = audit_video(reading, "ru", TODAY)
    found = {(e.element, e.source): (e.start, e.end, e.text) for e in audit.evidence}
    assert found[("offer", "speech")] == (1.0, 1.9, "Скидка 20%")
    assert found[("cta", "speech")][:2] == (4.0, 4.4)
    assert found[("deadline", "screen")] == (0.0, 3.0, "до 31 декабря")
    assert found[("erid", "screen")] == (5.0, 10.0, "erid: 2VtzqwXYZ1")
    line = audit.to_line("a.mp4")
    assert line["marking"] == {"label": "present", "advertiser": "missing", "erid": "present"}
    starts = [item["start"] for item in line["evidence"]]
    assert starts == sorted(starts)


def test_marking_said_but_not_shown_does_not_count() -> None:
    reading = _reading([(0.5, "Реклама."), (1.0, "erid"), (1.4, "2VtzqwXYZ1")], [])
    audit = audit_video(reading, "ru", TODAY)
    assert audit.elements["label"].state == "only_spoken"
    assert audit.elements["erid"].state == "only_spoken"
    assert audit.elements["label"].present is False
    assert "экране" in (audit.elements["erid"].suggestion or "")


def test_an_expired_deadline_in_either_source_is_reported() -> None:
    reading = _reading([(0.5, "Акция"), (1.0, "до"), (1.3, "1"), (1.5, "ноября.")], None)
    audit = audit_video(reading, "ru", TODAY)
    assert audit.expired is True
    assert audit.ends_on == datetime.date(2026, 11, 1)
    assert "прошёл" in audit.elements["deadline"].explanation
    # Screen text not read (no Tesseract): said so plainly, and the speech is still audited.
    assert audit.screen_read is False
    assert audit.notes == (
        "Текст на экране не прочитан: Tesseract не установлен. Проверена только речь.",
    )


def test_a_video_with_nothing_to_audit() -> None:
    audit = audit_video(_reading([], []), "en", TODAY)
    assert not any(element.present for element in audit.elements.values())
    assert audit.evidence == ()
    assert audit.notes == ("The video has no audio track: only the on-screen text was audited.",)


def test_a_spelled_out_erid_token_is_read_as_printed() -> None:
    from scoring.adcopy.video import Piece, spoken_erid

    def joined(words: list[str]) -> list[str]:
        return [p.text for p in spoken_erid([Piece(i, i + 0.5, w) for i, w in enumerate(words)])]

    assert joined(["Sofas,", "ERID", "AB-123456."]) == ["Sofas,", "erid: AB123456"]
    assert joined(["ERID,", "AB", "12", "34-56", "call", "now."]) == [
        "erid: AB123456",
        "call",
        "now.",
    ]
    assert joined(["ERIDK-729-4851."]) == ["erid: K7294851"]
    # A plain word after it is not part of a token; "erid" alone stays as said.
    assert joined(["erid", "today"]) == ["erid", "today"]
    assert joined(["Period", "AB-1"]) == ["Period", "AB-1"]
    merged = spoken_erid([Piece(1.0, 1.3, "ERID"), Piece(1.4, 2.5, "AB-123456.")])
    assert (merged[0].start, merged[0].end) == (1.0, 2.5)


def test_a_spelled_out_erid_said_only_is_only_spoken() -> None:
    reading = _reading([(0.5, "Реклама."), (1.0, "ERID,"), (1.4, "2Vtz-qwXYZ1.")], [])
    audit = audit_video(reading, "ru", TODAY)
    assert audit.elements["erid"].state == "only_spoken"
    erid = next(e for e in audit.evidence if e.element == "erid")
    assert (erid.source, erid.start, erid.text) == ("speech", 1.0, "erid: 2VtzqwXYZ1")
