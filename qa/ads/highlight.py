"""What an audit page shows: the ad text cut into marked pieces, verdicts, lengths, vague claims.

Built from the stored ``AdAudit.result`` (``scoring.adcopy.AdAudit.to_dict()``), so an old audit
renders the way it was made. Pieces carry plain text; templates escape them, never ``|safe``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from qa.vocabulary import AD_ELEMENT, AD_MARK_ELEMENT

MARKING = ("label", "advertiser", "erid")

FORMAT_LABELS = {
    "yandex_direct_title": _l("Yandex Direct title"),
    "yandex_direct_text": _l("Yandex Direct text"),
    "google_ads_headline": _l("Google Ads headline"),
    "google_ads_description": _l("Google Ads description"),
}
LANG_LABELS = {"ru": _l("Russian"), "en": _l("English")}
# Where two marks overlap, the piece is coloured by the first kind in this order.
MARK_ORDER = ("deadline", "offer", "cta", "vague")


@dataclass(frozen=True)
class Piece:
    text: str
    marks: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def kind(self) -> str | None:
        return next((k for k in MARK_ORDER if k in self.marks), None)


@dataclass(frozen=True)
class ElementRow:
    name: str
    label: str
    present: bool
    expired: bool
    evidence: tuple[str, ...]
    explanation: str
    suggestion: str | None
    ends_on: str | None


@dataclass(frozen=True)
class LengthRow:
    name: str
    label: str
    limit: int
    length: int
    fits: bool

    @property
    def over(self) -> int:
        return max(0, self.length - self.limit)


@dataclass(frozen=True)
class VagueRow:
    text: str
    explanation: str


@dataclass(frozen=True)
class AuditView:
    lang: str
    lang_label: str
    pieces: tuple[Piece, ...]
    elements: tuple[ElementRow, ...]
    chars: int
    lengths: tuple[LengthRow, ...]
    sms: dict[str, Any]
    vague: tuple[VagueRow, ...]
    # The marking of an ad audited as online (label, advertiser, erid); empty otherwise.
    marking: tuple[ElementRow, ...] = ()

    @property
    def passed(self) -> bool:
        return all(e.present and not e.expired for e in self.elements)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str
    note: str


def highlight(text: str, spans: list[_Span]) -> tuple[Piece, ...]:
    """Cut ``text`` at every span boundary; each piece lists the spans covering it."""
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid)})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in valid if s.start <= start and end <= s.end]
        pieces.append(
            Piece(
                text[start:end],
                tuple(dict.fromkeys(s.kind for s in covering)),
                tuple(dict.fromkeys(s.note for s in covering if s.note)),
            )
        )
    return tuple(pieces)


def _spans(text: str, result: dict[str, Any]) -> list[_Span]:
    items = [
        (item, name, str(label))
        for name, label in ((term.value, term.label) for term in AD_ELEMENT)
        for item in (result.get(name) or {}).get("evidence", [])
    ]
    items += [
        (claim, "vague", claim.get("explanation", "")) for claim in result.get("vague_claims", [])
    ]
    spans = []
    for item, kind, note in items:
        start, end = int(item["start"]), int(item["end"])
        # A span whose offsets do not match its words would mark the wrong text: skip it.
        if 0 <= start < end <= len(text) and text[start:end] == item.get("text"):
            spans.append(_Span(start, end, kind, note))
    return spans


def audit_view(text: str, result: dict[str, Any]) -> AuditView:
    """Everything the verdict partial shows for ``text`` and one stored audit result."""
    elements = [_row(term.value, term.label, result.get(term.value)) for term in AD_ELEMENT]
    marking = result.get("marking") or {}
    marking_rows = tuple(
        _row(name, AD_MARK_ELEMENT.label(name), marking.get(name)) for name in MARKING if marking
    )
    lengths = result.get("lengths") or {}
    rows = tuple(
        LengthRow(
            f["name"],
            str(FORMAT_LABELS.get(f["name"], f["name"])),
            f["limit"],
            f["length"],
            bool(f["fits"]),
        )
        for f in lengths.get("formats", [])
    )
    lang = result.get("lang", "")
    return AuditView(
        lang=lang,
        lang_label=str(LANG_LABELS.get(lang, lang)),
        pieces=highlight(text, _spans(text, result)),
        elements=tuple(elements),
        chars=lengths.get("chars", len(text)),
        lengths=rows,
        sms=lengths.get("sms") or {},
        vague=tuple(
            VagueRow(c.get("text", ""), c.get("explanation", ""))
            for c in result.get("vague_claims", [])
        ),
        marking=marking_rows,
    )


def _row(name: str, label: object, verdict: dict[str, Any] | None) -> ElementRow:
    verdict = verdict or {}
    return ElementRow(
        name=name,
        label=str(label),
        present=bool(verdict.get("present")),
        expired=bool(verdict.get("expired")),
        evidence=tuple(item.get("text", "") for item in verdict.get("evidence", [])),
        explanation=verdict.get("explanation", ""),
        suggestion=verdict.get("suggestion"),
        ends_on=verdict.get("ends_on"),
    )
