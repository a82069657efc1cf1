"""``qa redact``: find personal data in transcript lines and write them redacted."""

from __future__ import annotations

import json
from typing import IO

import click

from qa.cli.jsonlines import TextLines


@click.command("redact")
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
@click.option("--lang", type=click.Choice(["ru", "en"]), help="Language of every line.")
def redact_command(file: IO[str], lang: str | None) -> None:
    """Read transcript lines as JSON lines from FILE (or stdin) and write them redacted.

    Input: {"id", "text", "lang"?}; the language is guessed when absent. Output: {"id",
    "text": the text with each value replaced by its type, e.g. "[PHONE]", "spans": [{"type",
    "start", "end"}]} with offsets into the input text. A bad line is reported on stderr with
    its line number and the rest go on; the exit status is then 1.
    """
    from privacy import detect, redact

    lines = TextLines(file)
    for _number, row, text, line_lang in lines:
        spans = detect(text, line_lang or lang)
        out = {
            "id": row.get("id"),
            "text": redact(text, spans),
            "spans": [span.to_dict() for span in spans],
        }
        click.echo(json.dumps(out, ensure_ascii=False))
    lines.finish()
