"""Phone numbers normalised to E.164 with the phonenumbers library."""

from __future__ import annotations

import phonenumbers


def normalise_phone(raw: str | None, region: str) -> str | None:
    """E.164 form of ``raw`` read in ``region`` (e.g. "RU"); None when it is not a valid number."""
    if not raw or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
