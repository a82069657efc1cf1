"""What every table import does with its rows: finding its columns by their accepted names,
and storing each checked row in its own savepoint, counted as created or updated, so a row the
database refuses is reported by its line and costs only that row."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy.exc import IntegrityError

from qa.extensions import db
from qa.services.errors import ValidationFailed

Item = TypeVar("Item")
Values = TypeVar("Values")
Result = TypeVar("Result")


def find_columns(header: Sequence[str], aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Each field's column in ``header``: the first of its accepted names that the file has."""
    found = {}
    for key, names in aliases.items():
        for name in names:
            if name in header:
                found[key] = name
                break
    return found


@dataclass
class RowsPreview(Generic[Values]):
    """What an import would do: (line, values, already stored) per good row; refused rows."""

    good: list[tuple[int, Values, bool]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class StoredRows(Generic[Result]):
    created: int = 0
    updated: int = 0
    results: list[Result] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def store_rows(
    rows: Iterable[tuple[int, Item]],
    check: Callable[[Item], Values],
    store: Callable[[Values], tuple[Result, bool]],
    refused: Callable[[Values], str],
    refusals: tuple[type[BaseException], ...] = (IntegrityError,),
) -> StoredRows[Result]:
    """Check each (line, item) and store it in a savepoint; ``store`` says whether it created.

    A row that fails ``check`` (or ``store``, with ValidationFailed not in ``refusals``) is
    reported with its message; one that ``store`` fails with one of ``refusals`` is reported
    with ``refused(values)``.
    """
    stored: StoredRows[Result] = StoredRows()
    for line, item in rows:
        try:
            values = check(item)
        except ValidationFailed as exc:
            stored.errors.append((line, str(exc)))
            continue
        try:
            with db.session.begin_nested():
                result, created = store(values)
        except refusals:
            stored.errors.append((line, refused(values)))
            continue
        except ValidationFailed as exc:
            stored.errors.append((line, str(exc)))
            continue
        stored.results.append(result)
        if created:
            stored.created += 1
        else:
            stored.updated += 1
    return stored


def unchanged(item: Item) -> Item:
    """The check for rows a preview has already checked."""
    return item
