"""One span per stretch of text: where detectors overlap, the surer type wins."""

from __future__ import annotations

from bisect import bisect_left, insort

from privacy.types import Span

# Lower is surer: an e-mail holds names and digits; a street holds a name.
PRIORITY = {
    "EMAIL": 0,
    "CARD": 1,
    "PASSPORT": 1,
    "SNILS": 1,
    "INN": 1,
    "PHONE": 2,
    "BIRTHDATE": 3,
    "ADDRESS": 4,
    "PERSON": 5,
}


def merge(spans: list[Span]) -> list[Span]:
    kept: list[tuple[int, int]] = []  # sorted, never overlapping
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (PRIORITY[s.type], s.start - s.end, s.start)):
        if span.end <= span.start:
            continue
        index = bisect_left(kept, (span.start, span.end))
        if index > 0 and kept[index - 1][1] > span.start:
            continue
        if index < len(kept) and kept[index][0] < span.end:
            continue
        insort(kept, (span.start, span.end))
        out.append(span)
    return sorted(out)
