"""Ad length against common formats and SMS segmentation (GSM-7 or UCS-2)."""

from __future__ import annotations

import math

from scoring.adcopy.types import FormatFit, LengthReport, SmsInfo

# Character limits of the formats marketers check most often.
FORMAT_LIMITS: tuple[tuple[str, int], ...] = (
    ("yandex_direct_title", 56),
    ("yandex_direct_text", 81),
    ("google_ads_headline", 30),
    ("google_ads_description", 90),
)

# GSM 03.38 default alphabet; the extension characters travel as an escape plus a character.
_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

# A single SMS holds 160 GSM-7 or 70 UCS-2 units; a concatenated one loses room to its header.
_SINGLE = {"GSM-7": 160, "UCS-2": 70}
_CONCATENATED = {"GSM-7": 153, "UCS-2": 67}


def sms_info(text: str) -> SmsInfo:
    """Return the SMS encoding, billed units and segment count of ``text``."""
    if all(ch in _GSM7_BASIC or ch in _GSM7_EXTENSION for ch in text):
        encoding = "GSM-7"
        units = sum(2 if ch in _GSM7_EXTENSION else 1 for ch in text)
    else:
        encoding = "UCS-2"
        # Characters outside the Basic Multilingual Plane (most emoji) take two UTF-16 units.
        units = len(text.encode("utf-16-le")) // 2
    if units <= _SINGLE[encoding]:
        return SmsInfo(encoding, units, 1 if units else 0, _SINGLE[encoding])
    per_segment = _CONCATENATED[encoding]
    return SmsInfo(encoding, units, math.ceil(units / per_segment), per_segment)


def length_report(text: str) -> LengthReport:
    """Return the character count of ``text`` against each format and as SMS."""
    chars = len(text)
    formats = tuple(FormatFit(name, limit, chars, chars <= limit) for name, limit in FORMAT_LIMITS)
    return LengthReport(chars=chars, formats=formats, sms=sms_info(text))
