"""Checks every value passes before it is stored, whatever door it came in by.

Web forms, the JSON API, the CLI and file imports all call these, so one bad value gets one
message everywhere. SQLite would store a NUL byte, an over-long string or a NaN that
PostgreSQL refuses, so nothing here relies on the database to object: each check raises
:class:`~qa.services.errors.ValidationFailed` with a message that names the field.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from qa.services.errors import ValidationFailed

# Years a business date can sensibly have. Outside them date arithmetic overflows (year 1 minus
# a day, year 9999 plus a day) and PostgreSQL and SQLite disagree about what they store.
MIN_YEAR = 1900
MAX_YEAR = 2200

# Money and counts: far above any real budget or audience, far below float's loss of integers.
MAX_AMOUNT = Decimal("1e12")

# C0 and C1 control characters other than tab, newline and carriage return; plus NUL always.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\t\r\n\u2028\u2029]")


def clean_text(
    value: object,
    *,
    field: str,
    max_length: int,
    required: bool = False,
    multiline: bool = False,
) -> str | None:
    """Strip ``value`` and refuse control characters and text longer than ``max_length``.

    Returns None for an empty optional value. Single-line fields also refuse tabs and line
    breaks, which would break CSV exports and table layouts.
    """
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise ValidationFailed(_("%(field)s: expected text.", field=field))
    if not text:
        if required:
            raise ValidationFailed(_("%(field)s: this field is required.", field=field))
        return None
    if "\x00" in text or _CONTROL.search(text):
        raise ValidationFailed(_("%(field)s: contains control characters.", field=field))
    if not multiline and _LINE_BREAKS.search(text):
        raise ValidationFailed(_("%(field)s: must be a single line.", field=field))
    if len(text) > max_length:
        raise ValidationFailed(
            _("%(field)s: at most %(limit)d characters.", field=field, limit=max_length)
        )
    return text


def finite_decimal(
    value: object,
    *,
    field: str,
    minimum: Decimal | int | None = 0,
    maximum: Decimal | int = MAX_AMOUNT,
) -> Decimal | None:
    """A finite number within ``minimum``..``maximum`` as a Decimal; None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationFailed(_("%(field)s: expected a number.", field=field))
    try:
        if isinstance(value, float):
            number = Decimal(repr(value))  # nan and inf too: refused below as not finite
        elif isinstance(value, (int, Decimal)):
            number = Decimal(value)
        elif isinstance(value, str):
            number = Decimal(value.strip().replace(" ", "").replace("\u00a0", "").replace(",", "."))
        else:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("%(field)s: expected a number.", field=field)) from None
    if not number.is_finite():
        raise ValidationFailed(_("%(field)s: expected a finite number.", field=field))
    if (minimum is not None and number < minimum) or number > maximum:
        high = f"{maximum:,.0f}".replace(",", " ")
        raise ValidationFailed(
            _(
                "%(field)s: must be between %(low)s and %(high)s.",
                field=field,
                low=minimum if minimum is not None else "-",
                high=high,
            )
        )
    return number


def whole_number(
    value: object, *, field: str, minimum: int = 0, maximum: int = 10**12
) -> int | None:
    """A whole number within ``minimum``..``maximum``; None when empty."""
    number = finite_decimal(value, field=field, minimum=minimum, maximum=maximum)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValidationFailed(_("%(field)s: expected a whole number.", field=field))
    return int(number)


def sane_date(value: date | datetime | None, *, field: str) -> None:
    """Refuse dates outside MIN_YEAR..MAX_YEAR (typos such as 0001 or 9999)."""
    if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationFailed(
            _(
                "%(field)s: the year must be between %(low)d and %(high)d.",
                field=field,
                low=MIN_YEAR,
                high=MAX_YEAR,
            )
        )


# The largest value an Integer column holds on PostgreSQL (SQLite would take more).
MAX_INTEGER = 2**31 - 1


def shown(value: object, limit: int = 60) -> str:
    """A user's value cut short for echoing in a message (a 5,000-character name would not fit
    in a flash or a session cookie)."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def json_within_limits(value: object, *, field: str, max_depth: int, max_chars: int) -> None:
    """Refuse JSON text or data nested deeper than ``max_depth`` or text over ``max_chars``.

    Deep nesting exhausts the recursion of the JSON parser and of everything that walks the
    result, so it is measured first: text by a scan that skips string contents, data by an
    explicit stack.
    """
    too_deep = _(
        "%(field)s: nested more than %(limit)d levels deep.", field=field, limit=max_depth
    )
    if isinstance(value, str):
        if len(value) > max_chars:
            raise ValidationFailed(
                _("%(field)s: at most %(limit)d characters.", field=field, limit=max_chars)
            )
        # Drop string literals (brackets inside them do not nest), then count brackets.
        bare = _JSON_STRING.sub('""', value)
        depth = 0
        for char in bare:
            if char in "[{":
                depth += 1
                if depth > max_depth:
                    raise ValidationFailed(too_deep)
            elif char in "]}":
                depth -= 1
        return
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list | tuple):
            if depth > max_depth:
                raise ValidationFailed(too_deep)
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)

# Lists are paged by the query string; no real list has this many pages, and larger numbers
# overflow the database's OFFSET.
MAX_PAGE = 100_000
# The largest id a row can have (SQLite and PostgreSQL bigint): larger ones overflow drivers.
MAX_ID = 2**63 - 1


def email_address(value: object, *, field: str) -> str:
    """A well-formed e-mail address, lower-cased; the domain is not looked up."""
    text = clean_text(value, field=field, max_length=254, required=True)
    try:
        checked = validate_email(text or "", check_deliverability=False)
    except EmailNotValidError:
        raise ValidationFailed(
            _("%(field)s: not a valid e-mail address.", field=field)
        ) from None
    return checked.normalized.lower()


def finite_float(
    value: object, *, field: str, minimum: Decimal | int | None = 0, maximum: Decimal | int
) -> float | None:
    """A finite number within ``minimum``..``maximum`` as a float; None when empty."""
    number = finite_decimal(value, field=field, minimum=minimum, maximum=maximum)
    return None if number is None else float(number)


def page_number(value: object) -> int:
    """The page of a list from the query string; 1 when absent."""
    return whole_number(value, field="page", minimum=1, maximum=MAX_PAGE) or 1


def record_id(value: object, *, field: str) -> int | None:
    """A row id as given in a query string or form; None when empty."""
    return whole_number(value, field=field, minimum=1, maximum=MAX_ID)


def sane_dates(*values: tuple[date | datetime | None, str]) -> None:
    """:func:`sane_date` for several (value, field name) pairs."""
    for value, field in values:
        sane_date(value, field=field)
