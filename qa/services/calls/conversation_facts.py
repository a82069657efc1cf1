"""Conversation facts from segment timestamps: talk ratio, monologues, silence, interruptions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qa.models import Call, TranscriptSegment

# A pause longer than this ends a monologue even when the same person speaks next.
MONOLOGUE_MAX_PAUSE = 2.0
# Overlaps shorter than this are timestamp jitter at a turn change, not an interruption.
INTERRUPTION_MIN_OVERLAP = 0.3
ROLES = ("agent", "customer")

Interval = tuple[float, float]


@dataclass(frozen=True)
class Monologue:
    speaker: str
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class ConversationFacts:
    """Numbers shown beside a transcript; None where the data cannot support them."""

    duration: float
    talk: dict[str, float]
    talk_ratio: float | None  # agent share of agent + customer talk time, 0..1
    silence_share: float | None  # share of the call where nobody speaks, 0..1
    longest_monologue: Monologue | None
    longest_by_speaker: dict[str, Monologue]
    words_per_minute: dict[str, float]
    # Only stereo calls know exactly when both sides speak at once.
    interruptions: dict[str, int] | None
    overlap_seconds: float | None


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Union of time intervals as sorted, non-overlapping intervals."""
    merged: list[list[float]] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def _length(intervals: Iterable[Interval]) -> float:
    return sum(end - start for start, end in intervals)


def _intersection(a: Sequence[Interval], b: Sequence[Interval]) -> float:
    total, i, j = 0.0, 0, 0
    while i < len(a) and j < len(b):
        low, high = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        total += max(0.0, high - low)
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def _monologues(segments: Sequence[TranscriptSegment]) -> list[Monologue]:
    """Runs of one speaker's segments, broken by the other side or by a long pause."""
    runs: list[Monologue] = []
    current: Monologue | None = None
    for segment in sorted(segments, key=lambda s: (s.start, s.end)):
        if segment.speaker not in ROLES:
            current = None
            continue
        if (
            current is not None
            and current.speaker == segment.speaker
            and segment.start - current.end <= MONOLOGUE_MAX_PAUSE
        ):
            current = Monologue(current.speaker, current.start, max(current.end, segment.end))
            runs[-1] = current
        else:
            current = Monologue(segment.speaker, segment.start, segment.end)
            runs.append(current)
    return runs


def _interruptions(segments: Sequence[TranscriptSegment]) -> dict[str, int]:
    """How often each side started speaking while the other side was still speaking."""
    counts = {role: 0 for role in ROLES}
    for segment in segments:
        if segment.speaker not in ROLES:
            continue
        for other in segments:
            if other.speaker in ROLES and other.speaker != segment.speaker:
                overlap = min(other.end, segment.end) - segment.start
                if other.start < segment.start < other.end and overlap >= INTERRUPTION_MIN_OVERLAP:
                    counts[segment.speaker] += 1
                    break
    return counts


def conversation_facts(call: Call) -> ConversationFacts:
    """Compute the facts from the call's stored segments."""
    segments = list(call.segments)
    ends = [s.end for s in segments]
    duration = float(call.duration or max(ends, default=0.0))
    by_role = {
        role: merge_intervals((s.start, s.end) for s in segments if s.speaker == role)
        for role in (*ROLES, "unknown")
    }
    talk = {role: round(_length(intervals), 3) for role, intervals in by_role.items()}
    known = talk["agent"] + talk["customer"]
    speech = _length(merge_intervals((s.start, s.end) for s in segments))
    runs = _monologues(segments)
    longest_by_speaker: dict[str, Monologue] = {}
    for run in runs:
        best = longest_by_speaker.get(run.speaker)
        if best is None or run.duration > best.duration:
            longest_by_speaker[run.speaker] = run
    words_per_minute = {}
    for role in ROLES:
        words = sum(len(s.text.split()) for s in segments if s.speaker == role)
        if talk[role] > 0:
            words_per_minute[role] = round(words / (talk[role] / 60), 1)
    stereo = (call.channels or 1) >= 2 and call.agent_channel in ("left", "right")
    return ConversationFacts(
        duration=duration,
        talk=talk,
        talk_ratio=talk["agent"] / known if known > 0 else None,
        silence_share=max(0.0, 1 - speech / duration) if duration > 0 else None,
        longest_monologue=max(runs, key=lambda r: r.duration) if runs else None,
        longest_by_speaker=longest_by_speaker,
        words_per_minute=words_per_minute,
        interruptions=_interruptions(segments) if stereo else None,
        overlap_seconds=(
            round(_intersection(by_role["agent"], by_role["customer"]), 3) if stereo else None
        ),
    )
