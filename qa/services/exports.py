"""Every CSV and XLSX the app hands out, written one way.

Downloads are opened in Excel or LibreOffice, where a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is read as a formula: a campaign named
``=HYPERLINK("http://evil.example", "Click")`` would become a live link in a report that ends up
in a pay dispute. So every text cell, the header row included, that starts with one of those gets
a leading apostrophe (spreadsheets show it as text; our own imports strip it again), XLSX cells
are stored as strings rather than formulas, and numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

Cell = str | int | float | Decimal | date | datetime | None
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` with a leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _plain(value: Cell) -> str | int | float | Decimal | None:
    """Numbers as numbers (non-finite ones as empty cells), everything else as safe text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return neutralise(str(value))
    if isinstance(value, float | Decimal):
        return value if math.isfinite(value) else None
    if isinstance(value, int):
        return value
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """UTF-8 CSV with a BOM (Excel then reads Cyrillic correctly)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_plain(name) for name in header])
    for row in rows:
        writer.writerow(["" if (v := _plain(value)) is None else v for value in row])
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, title: str) -> bytes:
    """One worksheet named ``title``; text cells are strings, never formulas."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)

    def cells(values: Iterable[Cell]) -> list[WriteOnlyCell]:
        written = []
        for value in values:
            plain = _plain(value)
            if isinstance(plain, str):
                # XML cannot carry most control characters; a formula-typed cell must not exist.
                cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", plain))
                cell.data_type = "s"
            else:
                cell = WriteOnlyCell(sheet, value=plain)
            written.append(cell)
        return written

    sheet.append(cells(header))
    for row in rows:
        sheet.append(cells(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
