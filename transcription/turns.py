"""Segment boundaries from word timestamps, and channels merged into turns with roles."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from transcription.types import Segment, Word

# A pause longer than this inside a Whisper segment starts a new segment: on a stereo channel the
# other party usually speaks in such a pause, and one stretched segment would swallow their turn.
MAX_WORD_GAP = 1.0
# A sentence end followed by this much silence also ends a segment (a mono call's turns, or the
# batched pipeline, which returns one segment per 30 s window).
SENTENCE_GAP = 0.5
_SENTENCE_END = (".", "?", "!", "…")


def split_on_pauses(segment: Segment, max_gap: float = MAX_WORD_GAP) -> list[Segment]:
    """Cut a segment at long pauses and at sentence ends followed by a pause.

    The parts' bounds are their first and last word times, so a segment ends when speech ends.
    """
    if not segment.words:
        return [segment]
    groups: list[list[Word]] = [[segment.words[0]]]
    for word in segment.words[1:]:
        previous = groups[-1][-1]
        gap = word.start - previous.end
        if gap > max_gap or (
            gap >= SENTENCE_GAP and previous.text.rstrip().endswith(_SENTENCE_END)
        ):
            groups.append([])
        groups[-1].append(word)
    return [
        replace(
            segment,
            start=group[0].start,
            end=max(group[-1].end, group[0].start),
            text="".join(w.text for w in group).strip(),
            words=tuple(group),
        )
        for group in groups
        if "".join(w.text for w in group).strip()
    ]


def resegment(segments: Iterable[Segment], max_gap: float = MAX_WORD_GAP) -> list[Segment]:
    """Apply split_on_pauses to every segment of one channel."""
    return [part for seg in segments for part in split_on_pauses(seg, max_gap)]


def assign(segments: Iterable[Segment], speaker: str, channel: int | None) -> list[Segment]:
    """Give every segment of one channel its speaker role and channel index."""
    return [replace(s, speaker=speaker, channel=channel) for s in segments]


def merge_channels(channels: Sequence[Sequence[Segment]]) -> tuple[Segment, ...]:
    """Interleave the channels' segments by start time (ties: earlier end, then channel)."""
    merged = [s for segments in channels for s in segments]
    merged.sort(key=lambda s: (s.start, s.end, s.channel if s.channel is not None else -1))
    return tuple(merged)


def roles_for(agent_channel: str | None, stereo: bool) -> tuple[str, str]:
    """Speaker roles of (left, right) channels for an agent_channel setting."""
    if not stereo or agent_channel is None:
        return ("unknown", "unknown")
    if agent_channel == "left":
        return ("agent", "customer")
    if agent_channel == "right":
        return ("customer", "agent")
    raise ValueError(f"agent_channel must be 'left', 'right' or None, not {agent_channel!r}")
