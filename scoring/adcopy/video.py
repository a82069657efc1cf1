"""The audit of an ad video: check_ad on what is said and on what is shown, merged.

Each source (speech, screen) is one text for `check_ad`, built from timed pieces (words said,
lines shown) so that every span of evidence maps back to the moments it covers. An element is
there when either source carries it; the marking (labelling rules B4) must be shown on screen:
marking only said is "only_spoken".
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scoring.adcopy.audit import check_ad
from scoring.adcopy.messages import marking_text
from scoring.adcopy.types import ELEMENTS, MARKING_ELEMENTS, AdAudit, ElementVerdict
from scoring.nlp import detect_language
from transcription.types import VideoReading

SOURCES = ("speech", "screen")
MARKING_STATES = ("present", "only_spoken", "missing")
_NOT_READ = {
    "ru": "Текст на экране не прочитан: Tesseract не установлен. Проверена только речь.",
    "en": "On-screen text was not read: Tesseract is not installed. Only the speech was audited.",
}
_NO_AUDIO = {
    "ru": "В видео нет звуковой дорожки: проверен только текст на экране.",
    "en": "The video has no audio track: only the on-screen text was audited.",
}


@dataclass(frozen=True)
class Piece:
    """A word said or a line shown, with its time span in seconds."""

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class VideoEvidence:
    """Where one element appears: in speech or on screen, from start to end, in these words."""

    element: str
    source: str
    start: float
    end: float
    text: str

    def to_dict(self) -> dict[str, Any]:
        """Return the evidence as a JSON-ready mapping."""
        return {
            "element": self.element,
            "source": self.source,
            "start": round(self.start, 2),
            "end": round(self.end, 2),
            "text": self.text,
        }


@dataclass(frozen=True)
class VideoElement:
    """One element's verdict over both sources, with the explanation and the fix."""

    name: str
    present: bool
    explanation: str
    suggestion: str | None
    # For the marking: "present" (shown), "only_spoken" or "missing"; else "present"/"missing".
    state: str


@dataclass(frozen=True)
class VideoAudit:
    """The audit of one ad video."""

    lang: str
    duration: float
    elements: dict[str, VideoElement]
    expired: bool
    ends_on: datetime.date | None
    evidence: tuple[VideoEvidence, ...]
    screen_read: bool
    has_audio: bool
    notes: tuple[str, ...]

    def to_line(self, file: str) -> dict[str, Any]:
        """The CLI's JSON line for this video."""
        return {
            "file": file,
            "lang": self.lang,
            "duration": round(self.duration, 2),
            **{name: self.elements[name].present for name in ELEMENTS},
            "expired": self.expired,
            "marking": {name: self.elements[name].state for name in MARKING_ELEMENTS},
            "evidence": [item.to_dict() for item in self.evidence],
            "screen_read": self.screen_read,
            "notes": list(self.notes),
        }


def speech_pieces(reading: VideoReading) -> list[Piece]:
    """The words said, with times (a segment without words counts as one piece)."""
    pieces: list[Piece] = []
    for segment in reading.transcript.segments if reading.transcript else ():
        if segment.words:
            pieces.extend(Piece(w.start, w.end, w.text.strip()) for w in segment.words)
        elif segment.text.strip():
            pieces.append(Piece(segment.start, segment.end, segment.text.strip()))
    return spoken_erid([piece for piece in pieces if piece.text])


# "ERID" said, then its token spelled out: Whisper writes "ERID, AB-123456." or "ERIDK-729-4851".
_SAID_ERID = re.compile(r"^erid[\s,:=-]*([A-Za-z0-9-]*)[.,]?$", re.IGNORECASE)
_SPELLED = re.compile(r"^[,:=-]?([A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)-?([.,]?)$")
MAX_ERID = 40


def spoken_erid(pieces: list[Piece]) -> list[Piece]:
    """Write a spelled-out ERID token as it is printed ("erid: AB123456"), so that a token said
    aloud is found (and reported as only said); the words around it stay as they are."""
    out: list[Piece] = []
    at = 0
    while at < len(pieces):
        piece = pieces[at]
        said = _SAID_ERID.match(piece.text)
        if said is None:
            out.append(piece)
            at += 1
            continue
        token, end, at = said.group(1).replace("-", ""), piece.end, at + 1
        stopped = piece.text.endswith(".")
        while not stopped and at < len(pieces) and len(token) < MAX_ERID:
            spelled = _SPELLED.match(pieces[at].text)
            # Letters and digits join the token; a word of plain letters ends it.
            if spelled is None or not (
                any(c.isdigit() for c in spelled.group(1)) or len(spelled.group(1)) <= 2
            ):
                break
            token += spelled.group(1).replace("-", "")
            end, at = pieces[at].end, at + 1
            stopped = spelled.group(2) == "."
        out.append(Piece(piece.start, end, f"erid: {token}" if token else piece.text))
    return out


def screen_pieces(reading: VideoReading) -> list[Piece]:
    """The lines shown, with the span each is visible."""
    return [Piece(line.start, line.end, line.text) for line in reading.screen or ()]


def _joined(pieces: Sequence[Piece], sep: str) -> tuple[str, list[tuple[int, int, Piece]]]:
    text, spans, at = "", [], 0
    for piece in pieces:
        if text:
            text += sep
            at += len(sep)
        spans.append((at, at + len(piece.text), piece))
        text += piece.text
        at += len(piece.text)
    return text, spans


def _moment(spans: list[tuple[int, int, Piece]], start: int, end: int) -> tuple[float, float]:
    covered = [piece for a, b, piece in spans if a < end and start < b]
    if not covered:
        return 0.0, 0.0
    return min(p.start for p in covered), max(p.end for p in covered)


def _audit_source(
    pieces: Sequence[Piece], sep: str, lang: str, today: datetime.date, period: Any
) -> tuple[AdAudit | None, list[tuple[int, int, Piece]]]:
    text, spans = _joined(pieces, sep)
    if not text.strip():
        return None, spans
    return check_ad(text, lang, today=today, campaign_period=period, online=True), spans


def audit_video(
    reading: VideoReading,
    lang: str | None = None,
    today: datetime.date | None = None,
    campaign_period: Any = None,
) -> VideoAudit:
    """Audit a video's speech and on-screen text as one ad, with the moments of the evidence."""
    today = today or datetime.date.today()
    speech, screen = speech_pieces(reading), screen_pieces(reading)
    if lang is None:
        said = " ".join(p.text for p in (*speech, *screen))
        transcript_lang = reading.transcript.language if reading.transcript else None
        lang = detect_language(said) if said.strip() else (transcript_lang or "ru")
        lang = lang if lang in ("ru", "en") else "ru"
    audits: dict[str, tuple[AdAudit | None, list[tuple[int, int, Piece]]]] = {
        "speech": _audit_source(speech, " ", lang, today, campaign_period),
        "screen": _audit_source(screen, "\n", lang, today, campaign_period),
    }
    evidence: list[VideoEvidence] = []
    verdicts: dict[str, dict[str, ElementVerdict]] = {}
    for source, (audit, spans) in audits.items():
        if audit is None or audit.marking is None:
            continue
        for name in (*ELEMENTS, *MARKING_ELEMENTS):
            verdict = audit.element(name) if name in ELEMENTS else audit.marking.element(name)
            verdicts.setdefault(name, {})[source] = verdict
            for item in verdict.evidence:
                start, end = _moment(spans, item.start, item.end)
                evidence.append(VideoEvidence(name, source, start, end, item.text))
    elements = {name: _element(name, verdicts.get(name, {}), lang) for name in ELEMENTS}
    elements |= {name: _marking(name, verdicts.get(name, {}), lang) for name in MARKING_ELEMENTS}
    deadlines = verdicts.get("deadline", {}).values()
    ends = [v.ends_on for v in deadlines if v.ends_on is not None]
    notes = []
    if reading.screen is None:
        notes.append(_NOT_READ[lang])
    if not reading.info.has_audio:
        notes.append(_NO_AUDIO[lang])
    return VideoAudit(
        lang=lang,
        duration=reading.info.duration,
        elements=elements,
        expired=any(v.expired for v in deadlines),
        ends_on=max(ends) if ends else None,
        evidence=tuple(sorted(evidence, key=lambda e: (e.start, e.source, e.element))),
        screen_read=reading.screen is not None,
        has_audio=reading.info.has_audio,
        notes=tuple(notes),
    )


def _element(name: str, by_source: dict[str, ElementVerdict], lang: str) -> VideoElement:
    """Present when any source carries it; the explanation of the source that does (an expired
    deadline's first), else the fix suggested for what is shown (or said, without a screen)."""
    present = [v for v in by_source.values() if v.present]
    present.sort(key=lambda v: not v.expired)
    chosen = present[0] if present else by_source.get("screen") or by_source.get("speech")
    if chosen is None:
        return VideoElement(name, False, _nothing(lang), None, "missing")
    state = "present" if present else "missing"
    return VideoElement(name, bool(present), chosen.explanation, chosen.suggestion, state)


def _marking(name: str, by_source: dict[str, ElementVerdict], lang: str) -> VideoElement:
    shown = by_source.get("screen")
    said = by_source.get("speech")
    if shown is not None and shown.present:
        return VideoElement(name, True, shown.explanation, None, "present")
    if said is not None and said.present:
        words = [e.text for e in said.evidence]
        explanation, suggestion = marking_text(name, words, lang, spoken_only=True)
        return VideoElement(name, False, explanation, suggestion, "only_spoken")
    explanation, suggestion = marking_text(name, [], lang)
    return VideoElement(name, False, explanation, suggestion, "missing")


def _nothing(lang: str) -> str:
    if lang == "ru":
        return "В видео не найдено ни речи, ни текста на экране."
    return "The video has neither speech nor on-screen text to audit."
