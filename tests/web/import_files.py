"""Builders of hostile upload files for the import tests (bytes, built on demand)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

GOOD_AD = "Скидка 20% на все диваны до 31 марта! Звоните: 8 (495) 123-45-67"


def xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_bomb(header: list[str], cell_bytes: int = 200 * 1024 * 1024) -> bytes:
    """A valid-looking XLSX of ~200 KB whose first data cell unpacks to ``cell_bytes`` bytes."""
    plain = xlsx([header, ["x"] * len(header)])
    source = zipfile.ZipFile(io.BytesIO(plain))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                # openpyxl writes inline strings: the cell A2 holds "x".
                head, tail = data.split(b'<c r="A2" t="inlineStr"><is><t>x', 1)
                with bomb.open(info.filename, "w", force_zip64=True) as member:
                    # Streamed, so the bomb is never held in memory here either.
                    member.write(head + b'<c r="A2" t="inlineStr"><is><t>')
                    chunk = b"A" * (1 << 20)
                    for _ in range(cell_bytes >> 20):
                        member.write(chunk)
                    member.write(tail)
            else:
                bomb.writestr(info, data)
    return out.getvalue()


def random_bytes(size: int = 4096) -> bytes:
    # A fixed pseudo-random sequence: the test is the same on every run.
    state, out = 12345, bytearray()
    for _ in range(size):
        state = (1103515245 * state + 12345) % 2**31
        out.append(state >> 16 & 0xFF)
    return bytes(out)
