"""Personal data in call transcripts: detection and redaction (plain Python, no web stack).

``detect(text, lang)`` returns :class:`Span` values (type, start, end) of phones, cards,
passports, СНИЛС, ИНН, e-mails, names, addresses and birth dates, spoken or written;
``redact(text, spans)`` replaces each by its type, e.g. "[PHONE]".
"""

from privacy.detect import detect, detect_many, guess_language
from privacy.redact import redact
from privacy.types import TYPES, Span

__all__ = ["TYPES", "Span", "detect", "detect_many", "guess_language", "redact"]
