"""Result types of the ad-copy audit: frozen dataclasses with a JSON-ready ``to_dict``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

ELEMENTS = ("offer", "deadline", "cta")
MARKING_ELEMENTS = ("label", "advertiser", "erid")


@dataclass(frozen=True)
class Evidence:
    """One span of the ad text that supports a verdict; offsets are in characters."""

    start: int
    end: int
    text: str
    rule_id: str

    def to_dict(self) -> dict[str, Any]:
        """Return the span as a JSON-ready mapping."""
        return {"start": self.start, "end": self.end, "text": self.text, "rule_id": self.rule_id}


@dataclass(frozen=True)
class ElementVerdict:
    """Whether the ad carries one element (offer, deadline or cta), and why."""

    present: bool
    evidence: tuple[Evidence, ...]
    explanation: str
    suggestion: str | None = None
    expired: bool = False
    ends_on: datetime.date | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the verdict as a JSON-ready mapping."""
        return {
            "present": self.present,
            "evidence": [item.to_dict() for item in self.evidence],
            "explanation": self.explanation,
            "suggestion": self.suggestion,
            "expired": self.expired,
            "ends_on": self.ends_on.isoformat() if self.ends_on else None,
        }


@dataclass(frozen=True)
class FormatFit:
    """The ad's length against one ad format's character limit."""

    name: str
    limit: int
    length: int
    fits: bool

    def to_dict(self) -> dict[str, Any]:
        """Return the fit as a JSON-ready mapping."""
        return {"name": self.name, "limit": self.limit, "length": self.length, "fits": self.fits}


@dataclass(frozen=True)
class SmsInfo:
    """How the ad would travel as SMS: encoding, billed units and segment count."""

    encoding: str
    units: int
    segments: int
    per_segment: int

    def to_dict(self) -> dict[str, Any]:
        """Return the SMS facts as a JSON-ready mapping."""
        return {
            "encoding": self.encoding,
            "units": self.units,
            "segments": self.segments,
            "per_segment": self.per_segment,
        }


@dataclass(frozen=True)
class LengthReport:
    """Character count of the ad against common formats, plus its SMS segmentation."""

    chars: int
    formats: tuple[FormatFit, ...]
    sms: SmsInfo

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready mapping."""
        return {
            "chars": self.chars,
            "formats": [fit.to_dict() for fit in self.formats],
            "sms": self.sms.to_dict(),
        }


@dataclass(frozen=True)
class VagueClaim:
    """A phrase that reads like an offer but names no concrete incentive."""

    start: int
    end: int
    text: str
    rule_id: str
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        """Return the claim as a JSON-ready mapping."""
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "rule_id": self.rule_id,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class MarkingAudit:
    """The marking of an online ad (labelling rules B4): label, advertiser and erid token."""

    label: ElementVerdict
    advertiser: ElementVerdict
    erid: ElementVerdict

    def element(self, name: str) -> ElementVerdict:
        """Return the verdict for "label", "advertiser" or "erid"."""
        if name not in MARKING_ELEMENTS:
            raise ValueError(f"unknown element {name!r}; expected one of {MARKING_ELEMENTS}")
        verdict: ElementVerdict = getattr(self, name)
        return verdict

    @property
    def complete(self) -> bool:
        """True when all three parts of the marking are there."""
        return all(self.element(name).present for name in MARKING_ELEMENTS)

    def to_dict(self) -> dict[str, Any]:
        """Return the marking as a JSON-ready mapping."""
        return {name: self.element(name).to_dict() for name in MARKING_ELEMENTS}


@dataclass(frozen=True)
class AdAudit:
    """The audit of one ad text: three elements, lengths and vague claims."""

    lang: str
    offer: ElementVerdict
    deadline: ElementVerdict
    cta: ElementVerdict
    lengths: LengthReport
    vague_claims: tuple[VagueClaim, ...]
    # Only for ads marked as online (the marking rules apply to them).
    marking: MarkingAudit | None = None

    def element(self, name: str) -> ElementVerdict:
        """Return the verdict for "offer", "deadline" or "cta"."""
        if name not in ELEMENTS:
            raise ValueError(f"unknown element {name!r}; expected one of {ELEMENTS}")
        verdict: ElementVerdict = getattr(self, name)
        return verdict

    def to_dict(self) -> dict[str, Any]:
        """Return the whole audit as a JSON-ready mapping."""
        return {
            "lang": self.lang,
            "offer": self.offer.to_dict(),
            "deadline": self.deadline.to_dict(),
            "cta": self.cta.to_dict(),
            "lengths": self.lengths.to_dict(),
            "vague_claims": [claim.to_dict() for claim in self.vague_claims],
            "marking": self.marking.to_dict() if self.marking else None,
        }
