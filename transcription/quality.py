"""Flag segments that look like Whisper loops or hallucinations; text is kept, only marked.

One exception: a repeat of words already said, which the aligner could place at no time in the
audio (every word zero seconds long at one moment, at the end of a window), is cut before the
segment is mapped back to the recording. It is a decoding loop over the silence after the last
words, never speech, and mapping it back would put a second copy of the call into one turn.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import replace

from transcription.types import Segment

# Whisper's own fallback threshold: text this compressible is almost always a loop.
MAX_COMPRESSION_RATIO = 2.4
MIN_TEXT_FOR_RATIO = 40
# Consecutive repeats of one word (people do say "да, да, да"), and of a longer phrase.
MAX_WORD_REPEATS = 4
MAX_PHRASE_REPEATS = 2
# The same sentence again and again on one channel: a decoding loop across windows.
MAX_SEGMENT_REPEATS = 2
MIN_REPEATED_SEGMENT_CHARS = 15
NO_SPEECH_PROB = 0.6
LOW_LOGPROB = -1.0
MAX_CHARS_PER_SECOND = 35.0
MIN_UNPLACED_WORDS = 3  # a shorter pile of zero-length words may be a fast "да, да"
MIN_TEXT_FOR_RATE = 40

# Phrases Whisper invents over silence or noise (learned from subtitled videos).
HALLUCINATIONS = re.compile(
    r"продолжение следует|субтитры (?:сделал|создавал|подогнал|делал)|редактор субтитров"
    r"|корректор [а-я]\.|спасибо за просмотр|подписывайтесь на (?:наш )?канал|dimatorzok"
    r"|thanks? (?:you )?for watching|please subscribe|subtitles by|amara\.org",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[\w']+", re.UNICODE)


def suspect_reason(segment: Segment, earlier: Sequence[Segment] = ()) -> str | None:
    """Why a segment looks unreliable, or None; `earlier` holds previous segments of its channel."""
    text = segment.text.strip()
    tokens = [t.lower() for t in _TOKEN.findall(text)]
    found = HALLUCINATIONS.search(text)
    if found:
        return f"typical Whisper hallucination ({found.group(0)!r})"
    repeat = _longest_repeat(tokens)
    if repeat:
        return repeat
    if len(text) >= MIN_TEXT_FOR_RATIO and compression_ratio(text) > MAX_COMPRESSION_RATIO:
        return f"repetitive text (compression ratio {compression_ratio(text):.1f})"
    key = " ".join(tokens)
    if len(key) >= MIN_REPEATED_SEGMENT_CHARS:
        run = 0
        for previous in reversed(earlier):
            if " ".join(t.lower() for t in _TOKEN.findall(previous.text)) != key:
                break
            run += 1
        if run >= MAX_SEGMENT_REPEATS:
            return f"same text as the {run} segments before it"
    if (
        segment.no_speech_prob is not None
        and segment.avg_logprob is not None
        and segment.no_speech_prob > NO_SPEECH_PROB
        and segment.avg_logprob < LOW_LOGPROB
    ):
        return "probably not speech (high no-speech and low confidence)"
    duration = segment.end - segment.start
    if (
        len(text) >= MIN_TEXT_FOR_RATE
        and duration > 0
        and len(text) / duration > MAX_CHARS_PER_SECOND
    ):
        return f"too much text for its duration ({len(text) / duration:.0f} characters per second)"
    return None


def without_unplaced_repeat(segment: Segment) -> Segment:
    """The segment less a trailing run of zero-length words at one moment that repeats words
    said before it in the segment (see the module's note); otherwise the segment itself."""
    words = segment.words
    tail = len(words)
    while tail > 0 and words[tail - 1].end - words[tail - 1].start < 1e-3:
        tail -= 1
    pile = words[tail:]
    if len(pile) < MIN_UNPLACED_WORDS or len({round(w.start, 2) for w in pile}) > 1:
        return segment
    said = " ".join(_normal(w.text) for w in words[:tail])
    repeated = " ".join(_normal(w.text) for w in pile)
    if not tail or repeated not in said:
        return segment
    kept = words[:tail]
    text = "".join(w.text for w in kept).strip()
    return replace(segment, words=kept, text=text, end=kept[-1].end)


def _normal(word: str) -> str:
    return "".join(_TOKEN.findall(word.lower()))


def mark_suspects(segments: Sequence[Segment]) -> tuple[Segment, ...]:
    """Return the segments with suspect/suspect_reason set; nothing is removed or reordered."""
    out: list[Segment] = []
    by_channel: dict[int | None, list[Segment]] = {}
    for segment in segments:
        earlier = by_channel.setdefault(segment.channel, [])
        reason = suspect_reason(segment, earlier)
        earlier.append(segment)
        out.append(replace(segment, suspect=reason is not None, suspect_reason=reason))
    return tuple(out)


def compression_ratio(text: str) -> float:
    """Bytes of UTF-8 text over bytes after zlib (as Whisper computes it)."""
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


def _longest_repeat(tokens: list[str]) -> str | None:
    """Describe an n-gram repeated back to back beyond the allowed count, if any."""
    for size in range(1, min(8, len(tokens) // 2) + 1):
        limit = MAX_WORD_REPEATS if size == 1 else MAX_PHRASE_REPEATS
        for start in range(len(tokens) - size):
            gram = tokens[start : start + size]
            count = 1
            pos = start + size
            while tokens[pos : pos + size] == gram:
                count += 1
                pos += size
            if count > limit:
                return f"{' '.join(gram)!r} repeated {count} times in a row"
    return None
