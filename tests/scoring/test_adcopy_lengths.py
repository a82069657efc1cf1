"""Ad lengths against format limits and SMS segment counts."""

from __future__ import annotations

import pytest

from scoring.adcopy import length_report, sms_info


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),  # concatenated parts hold 153 each
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("€" * 80, "GSM-7", 160, 1),  # extension characters count twice
        ("€" * 81, "GSM-7", 162, 2),
        ("я" * 70, "UCS-2", 70, 1),
        ("я" * 71, "UCS-2", 71, 2),  # concatenated parts hold 67 each
        ("я" * 134, "UCS-2", 134, 2),
        ("я" * 135, "UCS-2", 135, 3),
        ("Sale 🔥", "UCS-2", 7, 1),  # an emoji takes two UTF-16 units
        ("Café ouvert", "GSM-7", 11, 1),  # é is in the GSM-7 alphabet
    ],
)
def test_sms_segments(text: str, encoding: str, units: int, segments: int) -> None:
    info = sms_info(text)
    assert (info.encoding, info.units, info.segments) == (encoding, units, segments)


def test_one_cyrillic_letter_switches_a_latin_text_to_ucs2() -> None:
    assert sms_info("Sale " * 20).segments == 1
    mixed = sms_info("Sale " * 20 + "ы")
    assert mixed.encoding == "UCS-2"
    assert mixed.segments == 2


def test_format_limits() -> None:
    report = length_report("x" * 56)
    fits = {fit.name: (fit.limit, fit.fits) for fit in report.formats}
    assert fits == {
        "yandex_direct_title": (56, True),
        "yandex_direct_text": (81, True),
        "google_ads_headline": (30, False),
        "google_ads_description": (90, True),
    }
    assert report.chars == 56
    longer = {fit.name: fit.fits for fit in length_report("x" * 82).formats}
    assert longer["yandex_direct_title"] is False
    assert longer["yandex_direct_text"] is False
    assert longer["google_ads_description"] is True
