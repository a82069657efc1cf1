"""Reading uploaded CSV and XLSX tables with line numbers, for imports and batch audits.

CSV may be UTF-8 (with or without BOM), Windows-1251 or UTF-16 with a BOM, separated by commas,
semicolons or tabs; both are detected. Rows come back as dicts keyed by normalised header names,
each with the line on which it starts, so errors can name the row. A file that cannot be read
as a whole (an unclosed quote, binary junk, an XLSX that unpacks to hundreds of megabytes)
raises ValidationFailed naming the line; a single bad row (too many cells, an over-long cell)
is listed in ``Table.errors`` and the other rows are still read.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from flask_babel import gettext as _

from qa.services.errors import ValidationFailed

MAX_TABLE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 200
# Longer than any value an import stores (an ad text is at most 5,000 characters).
MAX_CELL_CHARS = 10_000
# A physical CSV line: room for a full row of long cells, far below what exhausts memory
# (100,000 empty cells are still read, and refused with their line).
MAX_LINE_CHARS = 1_000_000
# XLSX is a zip: a 200 KB file can unpack to gigabytes. Members are measured before openpyxl
# reads any of them.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_XLSX_MEMBERS = 1_000
# Text between two XML tags longer than this cannot be a cell we accept, whatever its escaping.
MAX_XLSX_TEXT_RUN = MAX_CELL_CHARS * 6
DELIMITERS = (",", ";", "\t")
# A header without any delimiter is one column; this never occurs in text, so no row is split.
_ONE_COLUMN = "\x1f"
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_TEXT = re.compile(r"[\x00-\x1f\x7f]")
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class TableRow:
    line: int
    values: dict[str, str]


@dataclass
class Table:
    header: list[str]
    rows: list[TableRow] = field(default_factory=list)
    # (line, message) for rows refused while reading; importers report them with their own.
    errors: list[tuple[int, str]] = field(default_factory=list)


def normalise_header(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def read_upload(stream: BinaryIO) -> bytes:
    """The uploaded bytes, refusing more than MAX_TABLE_BYTES without reading further."""
    data = stream.read(MAX_TABLE_BYTES + 1)
    if len(data) > MAX_TABLE_BYTES:
        raise ValidationFailed(_("The file is larger than %(mb)d MB.", mb=MAX_TABLE_BYTES >> 20))
    return data


def read_table(stream: BinaryIO, filename: str, *, multiline: Collection[str] = ()) -> Table:
    """Parse ``stream`` as XLSX (by content or extension) or CSV; see :func:`parse_table`."""
    return parse_table(read_upload(stream), filename, multiline=multiline)


def parse_table(data: bytes, filename: str, *, multiline: Collection[str] = ()) -> Table:
    """Parse uploaded bytes as XLSX (by content or extension) or CSV.

    Args:
        multiline: header names whose CSV cells may span lines (ad texts). A line break in any
            other cell means a quote was left open and swallowed the rows after it.
    """
    if len(data) > MAX_TABLE_BYTES:
        raise ValidationFailed(_("The file is larger than %(mb)d MB.", mb=MAX_TABLE_BYTES >> 20))
    if not data.strip():
        raise ValidationFailed(_("The file is empty."))
    is_xlsx = Path(filename).suffix.lower() in (".xlsx", ".xlsm") or data.startswith(_ZIP_MAGIC)
    table = _read_xlsx(data) if is_xlsx else _read_csv(data, set(multiline))
    if not table.rows and not table.errors:
        raise ValidationFailed(_("The file has no rows below its header."))
    return table


def _check_header(header: list[str], line: int) -> None:
    if not any(header):
        raise ValidationFailed(_("Line %(line)d: the header row is empty.", line=line))
    if len(header) > MAX_COLUMNS:
        raise ValidationFailed(
            _(
                "Line %(line)d: the header has %(n)d columns; at most %(max)d.",
                line=line,
                n=len(header),
                max=MAX_COLUMNS,
            )
        )
    seen: set[str] = set()
    for name in header:
        if len(name) > 100:
            raise ValidationFailed(_("Line %(line)d: a column name is too long.", line=line))
        if _CONTROL_TEXT.search(name):
            raise ValidationFailed(
                _("Line %(line)d: a column name contains control characters.", line=line)
            )
        if name and name in seen:
            raise ValidationFailed(
                _("Line %(line)d: the column %(name)s appears twice.", line=line, name=name)
            )
        seen.add(name)


def _row(line: int, header: list[str], cells: list[str]) -> TableRow | str:
    """The row keyed by header, or the reason it is refused."""
    extra = [c for c in cells[len(header) :] if c.strip()]
    if extra:
        return str(
            _(
                "%(n)d cells, but the header has %(columns)d columns (check the delimiter and "
                "the quotes).",
                n=len(header) + len(cells[len(header) :]),
                columns=len(header),
            )
        )
    longest = max((len(c) for c in cells), default=0)
    if longest > MAX_CELL_CHARS:
        return str(
            _("a cell is %(n)d characters long; at most %(max)d.", n=longest, max=MAX_CELL_CHARS)
        )
    values = {
        name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header) if name
    }
    return TableRow(line=line, values=values)


def _add(table: Table, line: int, cells: list[str], problem: str | None = None) -> None:
    if len(table.rows) + len(table.errors) >= MAX_ROWS:
        raise ValidationFailed(_("More than %(n)d rows.", n=MAX_ROWS))
    row = problem or _row(line, table.header, cells)
    if isinstance(row, str):
        table.errors.append((line, row))
    else:
        table.rows.append(row)


# --- CSV -----------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text": UTF-16 with a BOM, separated by tabs.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ValidationFailed(_("This does not look like a CSV file.")) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError as exc:
        # Neither encoding: say where, rather than guess and store mangled text.
        line = data.count(b"\n", 0, exc.start) + 1
        raise ValidationFailed(
            _(
                "Line %(line)d: byte 0x%(byte)02X is neither UTF-8 nor Windows-1251 text; "
                "save the file as CSV UTF-8.",
                line=line,
                byte=data[exc.start],
            )
        ) from None


def _check_lines(text: str) -> str:
    """Refuse over-long physical lines; return the first non-blank one (the header)."""
    header = ""
    start, number = 0, 1
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        if end - start > MAX_LINE_CHARS:
            raise ValidationFailed(
                _(
                    "Line %(line)d is %(n)d characters long; at most %(max)d.",
                    line=number,
                    n=end - start,
                    max=MAX_LINE_CHARS,
                )
            )
        if not header.strip():
            header = text[start:end]
        start, number = end + 1, number + 1
    return header


def _delimiter(header_text: str) -> str:
    """The delimiter that splits the header line into most columns (quoted parts aside)."""
    unquoted = re.sub(r'"[^"]*"', "", header_text)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else _ONE_COLUMN


def _read_csv(data: bytes, multiline: set[str]) -> Table:
    # Control bytes mean the same in UTF-8 and Windows-1251: judge before decoding. A stray one
    # is refused with its row; a file full of them is not text at all.
    sample = data[:65536]
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not utf16 and len(_BINARY.findall(sample)) * 20 > len(sample):
        raise ValidationFailed(_("This does not look like a CSV file."))
    text = _decode(data)
    delimiter = _delimiter(_check_lines(text))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    table: Table | None = None
    start = 1
    try:
        for cells in reader:
            first, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if table is None:
                table = Table(header=[normalise_header(h) for h in cells])
                _check_header(table.header, first)
                continue
            if first != reader.line_num:
                _check_spanning(table.header, cells, multiline, first, reader.line_num)
            # An ad text holds commas of its own: a one-cell row there is no sign of anything.
            problem = (
                None
                if multiline & set(table.header)
                else _delimiter_problem(cells, table.header, delimiter)
            )
            _add(table, first, cells, problem)
    except csv.Error as exc:
        raise ValidationFailed(_csv_error(str(exc), start, reader.line_num)) from None
    if table is None:
        raise ValidationFailed(_("The file is empty."))
    return table


def _check_spanning(
    header: list[str], cells: list[str], multiline: set[str], first: int, last: int
) -> None:
    """A line break in a single-line column means a quote opened on ``first`` swallowed rows."""
    for name, cell in zip(header, cells, strict=False):
        if name not in multiline and ("\n" in cell or "\r" in cell):
            raise ValidationFailed(
                _(
                    "Lines %(first)d-%(last)d were read as one row: a quote opened on line "
                    "%(first)d is not closed where it should be.",
                    first=first,
                    last=last,
                )
            )


def _delimiter_problem(cells: list[str], header: list[str], delimiter: str) -> str | None:
    """A row that is one cell holding another delimiter was written with a different one."""
    if len(header) < 2 or len(cells) != 1:
        return None
    for other in DELIMITERS:
        if other != delimiter and cells[0].count(other) >= len(header) - 1:
            return str(
                _(
                    "one cell, but the header has %(columns)d columns: this row seems separated by "
                    "%(found)s and the header by %(used)s.",
                    columns=len(header),
                    found=_delimiter_name(other),
                    used=_delimiter_name(delimiter),
                )
            )
    return None


def _delimiter_name(delimiter: str) -> str:
    return str(_("tab")) if delimiter == "\t" else f"'{delimiter}'"


def _csv_error(detail: str, first: int, last: int) -> str:
    if "unexpected end of data" in detail:
        return str(
            _(
                "Line %(line)d: a quote opened here is never closed, so every line after it "
                "would be one cell.",
                line=first,
            )
        )
    if "expected after" in detail:
        return str(
            _(
                "Line %(line)d: a quoted cell is followed by more text; put the whole cell in "
                "quotes and double the quotes inside it (a quote opened on line %(first)d may be "
                "unclosed).",
                line=last,
                first=first,
            )
        )
    if "field larger than field limit" in detail:
        return str(
            _(
                "Line %(line)d: a cell is longer than %(max)d characters; a quote may be unclosed.",
                line=first,
                max=MAX_CELL_CHARS,
            )
        )
    return str(_("Line %(line)d: this CSV cannot be read (%(error)s).", line=last, error=detail))


# --- XLSX ----------------------------------------------------------------------------------


def _check_xlsx_archive(data: bytes) -> None:
    """Measure every member by unpacking it in chunks; nothing is kept in memory."""
    unreadable = ValidationFailed(_("This is not a readable XLSX file."))
    too_big = ValidationFailed(
        _(
            "The XLSX unpacks to more than %(mb)d MB; split it into smaller files.",
            mb=MAX_XLSX_UNPACKED_BYTES >> 20,
        )
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise unreadable from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_XLSX_MEMBERS:
            raise unreadable
        # The declared sizes first (zipfile never unpacks past them), then the real bytes.
        if sum(m.file_size for m in members) > MAX_XLSX_UNPACKED_BYTES:
            raise too_big
        total = 0
        for member in members:
            run = 0
            try:
                with archive.open(member) as handle:
                    while chunk := handle.read(1 << 20):
                        total += len(chunk)
                        if total > MAX_XLSX_UNPACKED_BYTES:
                            raise too_big
                        run = _longest_text_run(chunk, run)
            # How zipfile reports a damaged member: a bad CRC or header (BadZipFile), an
            # unsupported compression (NotImplementedError), encryption (RuntimeError), a
            # truncated stream (EOFError) or corrupt deflate data (OSError, zlib.error).
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
                raise unreadable from None


def _longest_text_run(chunk: bytes, carried: int) -> int:
    """Track text between XML tags across chunks; refuse a cell too long to be stored."""
    pieces = chunk.split(b"<")
    runs = [carried + len(pieces[0]), *(len(p) for p in pieces[1:])]
    if max(runs) > MAX_XLSX_TEXT_RUN:
        raise ValidationFailed(
            _("The XLSX holds a cell longer than %(max)d characters.", max=MAX_CELL_CHARS)
        )
    return runs[-1]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # 79161234567.0 is a phone number, not a fraction
    return str(value)


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    _check_xlsx_archive(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for bad files
        raise ValidationFailed(_("This is not a readable XLSX file.")) from exc
    try:
        if not book.worksheets:
            raise ValidationFailed(_("This is not a readable XLSX file."))
        sheet = book.worksheets[0]
        # A forged dimension (A1:XFD1048576) would pad every row to 16,384 cells.
        sheet.reset_dimensions()
        rows: Iterator[tuple[object, ...]] = sheet.iter_rows(values_only=True)
        table: Table | None = None
        for line, cells in enumerate(rows, start=1):
            if line > MAX_ROWS + 1:
                raise ValidationFailed(_("More than %(n)d rows.", n=MAX_ROWS))
            texts = [_cell_text(c) for c in cells]
            if not any(t.strip() for t in texts):
                continue
            if table is None:
                table = Table(header=[normalise_header(t) for t in texts])
                _check_header(table.header, line)
            else:
                _add(table, line, texts)
    except ValidationFailed:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet fails while rows are read
        raise ValidationFailed(_("This is not a readable XLSX file.")) from exc
    finally:
        book.close()
    if table is None:
        raise ValidationFailed(_("The file is empty."))
    return table
