"""Personal data in stored transcripts: finding it after transcription, and who sees what.

The one rule of who sees the original is :func:`may_see_original`; every page, export, search,
API answer and the player ask it (or :func:`shown_text`). With redaction off everyone sees the
text as stored. With it on, the roles the company listed may open the original (each such view
is audited), everyone else gets the redacted text and the redacted copy of the recording.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select

from privacy import Span, detect, detect_many, redact
from qa.extensions import db
from qa.models import Call, CompanySettings, SegmentEdit, TranscriptSegment
from qa.roles import ROLES
from qa.services.admin import audit

logger = logging.getLogger(__name__)

DEFAULT_ORIGINAL_ROLES = ("admin", "qa_lead")
AUDIO_MODE = "beep"
REDACTED_SUFFIX = ".redacted.wav"


@dataclass(frozen=True)
class Policy:
    enabled: bool = False
    keep_originals: bool = True
    original_roles: frozenset[str] = frozenset(DEFAULT_ORIGINAL_ROLES)


def policy(settings: CompanySettings | None = None) -> Policy:
    """The company's redaction settings, read without creating the settings row."""
    settings = settings or db.session.get(CompanySettings, 1)
    if settings is None:
        return Policy()
    roles = settings.original_roles
    return Policy(
        enabled=bool(settings.redact_transcripts),
        keep_originals=bool(settings.keep_originals),
        original_roles=frozenset(
            r for r in (roles if isinstance(roles, list) else DEFAULT_ORIGINAL_ROLES) if r in ROLES
        ),
    )


def may_see_original(user: Any, rules: Policy | None = None) -> bool:
    """Whether ``user`` may see original transcripts and recordings (None: an API client)."""
    rules = rules or policy()
    if not rules.enabled:
        return True
    role = getattr(user, "role", None)
    return role is not None and role in rules.original_roles


def redaction_active() -> bool:
    return policy().enabled


def shown_text(segment: TranscriptSegment, original: bool) -> str:
    """The line as a viewer sees it: the stored text, or its redacted form."""
    if original or not redaction_active():
        return segment.text
    return redacted_form(segment)


def analysed_text(segment: TranscriptSegment) -> str:
    """The text the objection analysis reads, and flags and their corrections point into: the
    redacted text where the company redacts."""
    return shown_text(segment, not redaction_active())


def redacted_form(segment: TranscriptSegment) -> str:
    """The redacted text, found now for a line that was never (or no longer) redacted."""
    if segment.redacted_text is not None and segment.pii_spans is not None:
        return segment.redacted_text
    found = detect(segment.text, _language(segment.call), previous=_line_before(segment))
    return redact(segment.text, found)


def _line_before(segment: TranscriptSegment) -> str:
    earlier = [s for s in segment.call.segments if s.position < segment.position]
    return max(earlier, key=lambda s: s.position).text if earlier else ""


def line_spans(segment: TranscriptSegment) -> list[Span]:
    return [
        Span(int(s["start"]), int(s["end"]), str(s["type"]))
        for s in segment.pii_spans or ()
        if isinstance(s, dict)
        and {"start", "end", "type"} <= s.keys()
        and s["start"] is not None
        and s["end"] is not None
    ]


def has_hidden_data(segment: TranscriptSegment) -> bool:
    """Whether the line (or its machine text) holds personal data a redacted view hides."""
    if not redaction_active():
        return False
    if redacted_form(segment) != segment.text:
        return True
    machine = segment.machine_text
    return machine != segment.text and bool(detect(machine, _language(segment.call)))


def hidden_from(segment: TranscriptSegment, user: Any) -> bool:
    """Editing a line, its history and machine text show it: not to whom its data is hidden."""
    return not may_see_original(user) and has_hidden_data(segment)


def view_original(call: Call, what: str = "transcript", **details: Any) -> None:
    """Record that the current user saw the original transcript or recording of ``call``."""
    audit.record_view(f"call_original_{what}", call.id, call.original_filename, **details)


# --- finding and storing ---------------------------------------------------------------------


def _language(call: Call) -> str | None:
    return call.language if call.language in ("ru", "en") else None


def _word_chars(text: str, words: Sequence[dict[str, Any]]) -> list[tuple[int, int, float, float]]:
    """Each timed word's character range in ``text`` (words found in order; others skipped)."""
    placed = []
    cursor = 0
    for word in words:
        token = str(word.get("text", word.get("word", ""))).strip()
        if not token:
            continue
        at = text.find(token, cursor)
        if at < 0:
            continue
        try:
            start, end = float(word["start"]), float(word["end"])
        except (KeyError, TypeError, ValueError):
            continue
        placed.append((at, at + len(token), start, end))
        cursor = at + len(token)
    return placed


def span_times(segment: TranscriptSegment, span: Span) -> tuple[float, float]:
    """The time the value was said: its words' times, else its share of the line's time."""
    words = [
        (start, end)
        for c0, c1, start, end in _word_chars(segment.text, segment.words or [])
        if c0 < span.end and c1 > span.start
    ]
    if words:
        return min(w[0] for w in words), max(w[1] for w in words)
    length = max(len(segment.text), 1)
    duration = max(segment.end - segment.start, 0.0)
    return (
        segment.start + duration * span.start / length,
        segment.start + duration * span.end / length,
    )


def _stored_spans(segment: TranscriptSegment, spans: list[Span]) -> list[dict[str, Any]]:
    stored = []
    for span in spans:
        start, end = span_times(segment, span)
        stored.append(
            {
                **span.to_dict(),
                "time_start": round(start, 3),
                "time_end": round(end, 3),
                "channel": segment.channel,
            }
        )
    return stored


def _already_replaced(segment: TranscriptSegment) -> bool:
    """The original was dropped before: the text is the redacted one and the spans are kept."""
    return segment.pii_spans is not None and segment.redacted_text == segment.text


def redact_segment(
    segment: TranscriptSegment, rules: Policy, found: list[Span] | None = None
) -> int:
    """Find the line's personal data (or take ``found``, its spans found with the other lines
    of its call) and store it; returns how many values were found."""
    if _already_replaced(segment):
        return len(segment.pii_spans or ())
    if found is None:
        found = detect(segment.text, _language(segment.call), previous=_line_before(segment))
    spans = found
    stored = _stored_spans(segment, spans)
    if not rules.keep_originals and segment.pii_spans:
        # A line whose original is gone was corrected: its values are no longer in the text,
        # but the recording still holds them, so their times stay (with no characters).
        said = {(s["time_start"], s["time_end"], s["channel"]) for s in stored}
        for old in segment.pii_spans:
            key = (old.get("time_start"), old.get("time_end"), old.get("channel"))
            if key not in said:
                stored.append({**old, "start": None, "end": None})
                said.add(key)
    segment.pii_spans = stored
    segment.redacted_text = redact(segment.text, spans)
    if not rules.keep_originals and spans:
        _drop_original(segment, spans)
    return len(spans)


def _drop_original(segment: TranscriptSegment, spans: list[Span]) -> None:
    """Replace every stored copy of the line's values: text, machine text, words, history."""
    redacted = segment.redacted_text or ""
    if segment.machine_text == segment.text:
        segment.machine_text = redacted
    else:
        segment.machine_text = redact(segment.machine_text, detect(segment.machine_text))
    placed = _word_chars(segment.text, segment.words or [])
    hidden = {
        index
        for index, (c0, c1, _s, _e) in enumerate(placed)
        if any(c0 < span.end and c1 > span.start for span in spans)
    }
    if hidden:
        words, timed = [], 0
        for word in segment.words or []:
            if str(word.get("text", word.get("word", ""))).strip():
                if timed in hidden:
                    word = {**word, "text": "[…]"}
                timed += 1
            words.append(word)
        segment.words = words
    segment.text = redacted
    for edit in db.session.scalars(select(SegmentEdit).where(SegmentEdit.segment_id == segment.id)):
        for name in ("old_text", "new_text"):
            value = getattr(edit, name)
            if value:
                setattr(edit, name, redact(value, detect(value)))


def redact_call(call: Call, rules: Policy | None = None, *, audio: bool = True) -> int:
    """Redact every line of ``call`` (when the company redacts); returns the values found.

    Idempotent: running it again on the same text stores the same spans and text.
    """
    rules = rules or policy()
    if not rules.enabled:
        return 0
    before = recording_spans(call)
    segments = list(call.segments)
    # The lines are read together: the trained classifier is much faster on a batch.
    texts = ["" if _already_replaced(segment) else segment.text for segment in segments]
    # Each line is read after the one before ("а серия и номер?" says what a bare answer is);
    # a line already redacted keeps its question's words.
    previous = ["", *(segment.text for segment in segments[:-1])]
    spans = detect_many(texts, _language(call), previous=previous)
    found = sum(
        redact_segment(segment, rules, line) for segment, line in zip(segments, spans, strict=True)
    )
    db.session.flush()
    copy_current = call.redacted_recording_path is not None or original_replaced(call) or not before
    if audio and call.recording_deleted_at is None:
        try:
            if not (copy_current and recording_spans(call) == before):
                redact_recording(call)
            drop_original_recording(call, rules)
        except Exception:  # a bad or missing recording must not lose the transcript's redaction
            logger.exception("Redacting the recording of call %s failed", call.id)
    return found


def calls_to_redact(call_ids: Iterable[int] | None) -> list[int]:
    """Ids of calls that have a transcript: the given ones, or all when None."""
    query = select(Call.id).where(
        select(TranscriptSegment.id).where(TranscriptSegment.call_id == Call.id).exists()
    )
    if call_ids is not None:
        query = query.where(Call.id.in_(list(call_ids)))
    return list(db.session.scalars(query.order_by(Call.id)))


# --- the recording -----------------------------------------------------------------------------


def recording_spans(call: Call) -> list[dict[str, Any]]:
    """Every value's time and channel; on a mono or mixed recording, every channel."""
    per_channel = (call.channels or 1) >= 2 and call.agent_channel in ("left", "right")
    spans = []
    for segment in call.segments:
        for span in segment.pii_spans or ():
            spans.append({**span, "channel": span.get("channel") if per_channel else None})
    return spans


def original_replaced(call: Call) -> bool:
    """The original recording is gone and the redacted one is the call's recording (the
    company keeps no originals)."""
    return bool(call.recording_path) and call.recording_path.endswith(REDACTED_SUFFIX)


def redact_recording(call: Call) -> str | None:
    """Write the redacted copy beside the recording (or drop it when nothing is to hide); where
    the redacted recording already is the call's recording, redact it again in place."""
    from privacy.audio import redact_audio, write_wav
    from qa.services.calls.recordings import recording_abspath

    root = current_app.config["RECORDINGS_DIR"]
    spans = recording_spans(call)
    replaced = original_replaced(call)
    if not spans:
        if not replaced:
            call.redacted_recording_path = None
        return None
    source = recording_abspath(call.recording_path, root)
    samples, rate = redact_audio(source, spans, AUDIO_MODE)
    relative = call.recording_path if replaced else call.recording_path + REDACTED_SUFFIX
    target = recording_abspath(relative, root)
    partial = target + ".part"
    write_wav(partial, samples, rate)
    os.replace(partial, target)
    if replaced:
        call.size_bytes = os.path.getsize(target)
    else:
        call.redacted_recording_path = relative
    return relative


def transcribed(call: Call) -> bool:
    """The call's transcript is stored and no transcription of it is waiting or running (its
    audio is no longer needed as it was recorded)."""
    from qa.models import TranscriptionJob

    if call.status != "transcribed" or not call.segments:
        return False
    busy = select(TranscriptionJob.id).where(
        TranscriptionJob.call_id == call.id, TranscriptionJob.status.in_(("queued", "running"))
    )
    return db.session.scalar(busy.limit(1)) is None


def drop_original_recording(call: Call, rules: Policy | None = None) -> bool:
    """Where the company keeps no originals: once the call is transcribed and its redacted copy
    is on disk and readable, that copy becomes the call's recording and the original file is
    removed when the transaction commits (an audited deletion). Returns whether it was."""
    from qa.services.calls.recordings import recording_abspath
    from qa.services.privacy.anonymise import remove_after_commit

    rules = rules or policy()
    if not rules.enabled or rules.keep_originals or original_replaced(call):
        return False
    copy = call.redacted_recording_path
    if not copy or call.recording_deleted_at is not None or not transcribed(call):
        return False
    root = current_app.config["RECORDINGS_DIR"]
    original = recording_abspath(call.recording_path, root)
    written = recording_abspath(copy, root)
    _check_copy(written, original)
    shared = db.session.scalar(
        select(Call.id).where(Call.recording_path == call.recording_path, Call.id != call.id)
    )
    dropped = call.recording_path
    call.recording_path = copy
    call.redacted_recording_path = None
    call.audio_format = "wav"
    call.size_bytes = os.path.getsize(written)
    audit.record(
        "delete",
        "original_recording",
        call.id,
        call.original_filename,
        file=dropped,
        kept=copy,
    )
    if shared is None:  # the same audio stored for another call stays for that call
        remove_after_commit(original)
    return True


def _check_copy(copy: str, original: str) -> None:
    """Refuse to stand in for the original a copy that is not a whole WAV of the same audio."""
    import wave

    from transcription import probe_audio

    source = probe_audio(original, max_bytes=2**62, max_seconds=float("inf"))
    with wave.open(copy, "rb") as written:
        channels, rate, frames = (
            written.getnchannels(),
            written.getframerate(),
            written.getnframes(),
        )
        data_bytes = frames * channels * written.getsampwidth()
    whole = os.path.getsize(copy) >= data_bytes  # the header's length is all on disk
    seconds = frames / rate if rate else 0.0
    if (
        not (frames and whole and channels == source.channels)
        or abs(seconds - source.duration) > 0.5
    ):
        raise ValueError(f"the redacted copy {copy} does not match the recording")


def served_recording(call: Call, user: Any, want_original: bool) -> tuple[str, bool] | None:
    """Which file the player gets: (relative path, is the original); None when the viewer may
    hear neither (redaction on, not yet run on this call)."""
    if original_replaced(call):  # no original is kept: everyone hears the redacted recording
        return call.recording_path, False
    if may_see_original(user) and (want_original or not redaction_active()):
        return call.recording_path, True
    if call.redacted_recording_path:
        return call.redacted_recording_path, False
    redacted = bool(call.segments) and all(s.pii_spans is not None for s in call.segments)
    if redacted:  # nothing personal was found: the recording itself hides nothing
        return call.recording_path, False
    return None
