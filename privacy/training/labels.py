"""Reading the labelled turns of ``benchmarks/data/pii``: each span given by its offsets
({"type", "start", "end"}) or by its value ({"type", "text", "nth"}: which occurrence of that
substring in the turn)."""

from __future__ import annotations

from typing import Any


def labelled_spans(row: dict[str, Any]) -> list[tuple[str, int, int]]:
    """The row's spans as (type, start, end); a value not in the text is an error."""
    text = row["text"]
    out = []
    for span in row.get("spans", []):
        if "start" in span and "end" in span:
            out.append((span["type"], int(span["start"]), int(span["end"])))
            continue
        value, nth = span["text"], int(span.get("nth", 0))
        start = -1
        for _ in range(nth + 1):
            start = text.find(value, start + 1)
            if start < 0:
                raise ValueError(f"{row.get('id')}: {value!r} occurrence {nth} not in the text")
        out.append((span["type"], start, start + len(value)))
    return out
