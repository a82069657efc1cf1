"""Where a form may send the user next."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

# Percent-decoding rounds before a target is judged; more nesting than this is refused.
_MAX_DECODING_ROUNDS = 3


def safe_next(target: str | None) -> str | None:
    """The target when it is a path on this site; None for anything else (no open redirects).

    Browsers are lenient: they drop tabs and newlines, read ``\\`` as ``/`` and treat ``//host``
    (any number of slashes) as another site. So the target is judged in its most dangerous
    reading: percent-decoded, backslashes as slashes; control characters, whitespace, a scheme or
    a host anywhere in that reading refuse it.
    """
    if not target:
        return None
    decoded = target
    for _ in range(_MAX_DECODING_ROUNDS):
        unquoted = unquote(decoded)
        if unquoted == decoded:
            break
        decoded = unquoted
    else:
        return None
    if any(_is_control_or_space(char) for char in decoded):
        return None
    reading = decoded.replace("\\", "/")
    if not reading.startswith("/") or reading.startswith("//"):
        return None
    parts = urlsplit(reading)
    if parts.scheme or parts.netloc:
        return None
    return target


def _is_control_or_space(char: str) -> bool:
    # Cc: control characters, Cf: invisible formatting (e.g. bidi overrides), Z*: separators.
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp")
