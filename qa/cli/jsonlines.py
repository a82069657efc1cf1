"""Reading JSON-lines input for the commands that work without a database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

import click

LANGUAGES = ("ru", "en")


class TextLines:
    """Yields ``(line_number, row, text, lang)`` for each good line of ``{"text", "lang"?}``.

    A bad line is reported on stderr with its number and skipped; :meth:`finish` then makes
    the command exit with status 1, so a batch never stops at its first bad line.
    """

    def __init__(self, file: IO[str], *, allow_empty_text: bool = True) -> None:
        self._file = file
        self._allow_empty_text = allow_empty_text
        self.failures = 0

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any], str, str | None]]:
        for number, raw in enumerate(self._file, start=1):
            if not raw.strip():
                continue
            try:
                row, text, lang = self._parse(raw)
            except ValueError as exc:
                self.skip(number, str(exc))
                continue
            yield number, row, text, lang

    def skip(self, number: int, reason: str) -> None:
        self.failures += 1
        click.echo(f"line {number}: {reason}; skipped", err=True)

    def finish(self) -> None:
        if self.failures:
            click.echo(f"{self.failures} line(s) skipped", err=True)
            click.get_current_context().exit(1)

    def _parse(self, raw: str) -> tuple[dict[str, Any], str, str | None]:
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from exc
        if not isinstance(row, dict):
            raise ValueError("expected a JSON object")
        text = row.get("text")
        if not isinstance(text, str):
            raise ValueError('"text" must be a string')
        if not self._allow_empty_text and not text.strip():
            raise ValueError('"text" is empty')
        lang = row.get("lang")
        if lang is not None and lang not in LANGUAGES:
            raise ValueError(f'"lang" must be "ru" or "en", got {lang!r}')
        return row, text, lang
