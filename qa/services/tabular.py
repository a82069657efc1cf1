"""Reading uploaded CSV and XLSX tables with line numbers, for imports and batch audits.

CSV may be UTF-8 (with or without BOM) or Windows-1251, separated by commas or semicolons;
both are detected. Rows come back as dicts keyed by normalised header names, each with the line
number a user sees in a spreadsheet, so errors can name the row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from flask_babel import gettext as _

from qa.services.errors import ValidationFailed

MAX_TABLE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000


@dataclass(frozen=True)
class TableRow:
    line: int
    values: dict[str, str]


@dataclass
class Table:
    header: list[str]
    rows: list[TableRow] = field(default_factory=list)


def normalise_header(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def read_table(stream: BinaryIO, filename: str) -> Table:
    """Parse ``stream`` as XLSX (by extension) or CSV; raise ValidationFailed when unreadable."""
    data = stream.read(MAX_TABLE_BYTES + 1)
    if len(data) > MAX_TABLE_BYTES:
        raise ValidationFailed(_("The file is larger than %(mb)d MB.", mb=MAX_TABLE_BYTES >> 20))
    if not data.strip():
        raise ValidationFailed(_("The file is empty."))
    if Path(filename).suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(data)
    return _read_csv(data)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251")


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    if "\x00" in text:
        raise ValidationFailed(_("This does not look like a CSV file."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [normalise_header(h) for h in next(reader)]
    except StopIteration:
        raise ValidationFailed(_("The file is empty.")) from None
    except csv.Error as exc:
        raise ValidationFailed(_("Cannot read the CSV header: %(error)s", error=exc)) from exc
    table = Table(header=header)
    try:
        for cells in reader:
            if len(table.rows) >= MAX_ROWS:
                raise ValidationFailed(_("More than %(n)d rows.", n=MAX_ROWS))
            if not any(c.strip() for c in cells):
                continue
            table.rows.append(_row(reader.line_num, header, cells))
    except csv.Error as exc:
        raise ValidationFailed(
            _("Line %(line)d: %(error)s", line=reader.line_num, error=exc)
        ) from exc
    return table


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for bad files
        raise ValidationFailed(_("This is not a readable XLSX file.")) from exc
    sheet = book.worksheets[0]
    rows: Iterator[tuple[object, ...]] = sheet.iter_rows(values_only=True)
    try:
        header = [normalise_header(str(h or "")) for h in next(rows)]
    except StopIteration:
        raise ValidationFailed(_("The file is empty.")) from None
    table = Table(header=header)
    for line, cells in enumerate(rows, start=2):
        if len(table.rows) >= MAX_ROWS:
            raise ValidationFailed(_("More than %(n)d rows.", n=MAX_ROWS))
        texts = ["" if c is None else str(c) for c in cells]
        if any(t.strip() for t in texts):
            table.rows.append(_row(line, header, texts))
    book.close()
    return table


def _row(line: int, header: list[str], cells: list[str]) -> TableRow:
    values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
    if len(cells) > len(header):
        values["__extra__"] = ";".join(c for c in cells[len(header):] if c)
    return TableRow(line=line, values=values)


def write_csv(header: list[str], rows: list[list[object]]) -> str:
    """CSV text with a BOM-free UTF-8 header row, for downloads."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
