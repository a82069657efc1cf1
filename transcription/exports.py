"""Write transcripts as JSON, SRT, WebVTT or plain text, with speaker labels."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from datetime import timedelta

import srt
import webvtt

from transcription.types import Transcript

LABELS: dict[str, dict[str, str]] = {
    "ru": {"agent": "Оператор", "customer": "Клиент", "unknown": "Говорящий"},
    "en": {"agent": "Agent", "customer": "Customer", "unknown": "Speaker"},
}
FORMATS = ("json", "srt", "vtt", "txt")


def speaker_labels(
    transcript: Transcript, labels: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Display names of the roles: those given, else in the transcript's language (or English)."""
    base = dict(LABELS.get(transcript.language, LABELS["en"]))
    base.update(labels or {})
    return base


def to_json(transcript: Transcript, file_name: str) -> str:
    """JSON: {"file", "language", "duration", "engine", "model", "segments": [...]}."""
    payload = {
        "file": file_name,
        "language": transcript.language,
        "duration": round(transcript.duration, 3),
        "engine": transcript.engine,
        "model": transcript.model,
        "segments": [
            {
                "speaker": s.speaker,
                "start": round(s.start, 3),
                "end": round(s.end, 3),
                "text": s.text,
                "words": [
                    {
                        "start": round(w.start, 3),
                        "end": round(w.end, 3),
                        "text": w.text.strip(),
                        "probability": round(w.probability, 4),
                    }
                    for w in s.words
                ],
            }
            for s in transcript.segments
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def to_srt(transcript: Transcript, labels: Mapping[str, str] | None = None) -> str:
    """SubRip subtitles, one cue per segment, text prefixed with the speaker label."""
    names = speaker_labels(transcript, labels)
    cues = [
        srt.Subtitle(
            index=i,
            start=timedelta(seconds=s.start),
            end=timedelta(seconds=max(s.end, s.start + 0.001)),
            content=f"{names[s.speaker]}: {s.text}",
        )
        for i, s in enumerate(transcript.segments, start=1)
    ]
    return str(srt.compose(cues))


def to_vtt(transcript: Transcript, labels: Mapping[str, str] | None = None) -> str:
    """WebVTT captions; the speaker is a voice span (<v Agent>) that players show as a label."""
    names = speaker_labels(transcript, labels)
    vtt = webvtt.WebVTT()
    for s in transcript.segments:
        text = html.escape(s.text, quote=False)  # "<" would open a cue tag
        vtt.captions.append(
            webvtt.Caption(
                start=_clock(s.start, "."),
                end=_clock(max(s.end, s.start + 0.001), "."),
                text=f"<v {names[s.speaker]}>{text}",
            )
        )
    return str(vtt.content)


def to_txt(transcript: Transcript, labels: Mapping[str, str] | None = None) -> str:
    """Plain text, one line per segment: "[00:01:02] Agent: text"; suspect lines marked (?)."""
    names = speaker_labels(transcript, labels)
    lines = []
    for s in transcript.segments:
        mark = " (?)" if s.suspect else ""
        lines.append(f"[{_clock(s.start, None)}] {names[s.speaker]}{mark}: {s.text}")
    return "\n".join(lines) + "\n"


def export(transcript: Transcript, fmt: str, file_name: str) -> str:
    """Render in one of FORMATS by name (the CLI's --format)."""
    if fmt == "json":
        return to_json(transcript, file_name)
    renderers = {"srt": to_srt, "vtt": to_vtt, "txt": to_txt}
    if fmt not in renderers:
        raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    return renderers[fmt](transcript)


def _clock(seconds: float, fraction_sep: str | None) -> str:
    millis = int(round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    base = f"{hours:02d}:{minutes:02d}:{secs:02d}"
    return base if fraction_sep is None else f"{base}{fraction_sep}{millis:03d}"
