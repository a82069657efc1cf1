"""``qa redact``: find personal data in transcript lines and write them redacted; with
``--calls``, redact stored calls again (after the redaction settings changed)."""

from __future__ import annotations

import json
from contextlib import nullcontext
from typing import IO, Any

import click

from qa.cli.jsonlines import TextLines


@click.command("redact")
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
@click.option("--lang", type=click.Choice(["ru", "en"]), help="Language of every line.")
@click.option("--calls", "stored", is_flag=True, help="Redact stored calls instead of FILE.")
@click.option("--call", "call_ids", type=int, multiple=True, help="With --calls: a call id.")
@click.option("--all", "all_calls", is_flag=True, help="With --calls: every transcribed call.")
def redact_command(
    file: IO[str], lang: str | None, stored: bool, call_ids: tuple[int, ...], all_calls: bool
) -> None:
    """Read transcript lines as JSON lines from FILE (or stdin) and write them redacted.

    Input: {"id", "text", "lang"?}; the language is guessed when absent. Output: {"id",
    "text": the text with each value replaced by its type, e.g. "[PHONE]", "spans": [{"type",
    "start", "end"}]} with offsets into the input text. A bad line is reported on stderr with
    its line number and the rest go on; the exit status is then 1.

    With --calls (and --call ID ... or --all), the stored transcripts are redacted again by
    the company's settings, with their recordings' redacted copies; running it twice changes
    nothing more.
    """
    if stored:
        _redact_stored(call_ids, all_calls)
        return
    if call_ids or all_calls:
        raise click.UsageError("--call and --all go with --calls.")
    lines = TextLines(file)
    batch: list[tuple[dict[str, Any], str, str | None]] = []
    for _number, row, text, line_lang in lines:
        batch.append((row, text, line_lang or lang))
        if len(batch) == _BATCH:
            _write_redacted(batch)
            batch = []
    _write_redacted(batch)
    lines.finish()


# Lines are redacted a batch at a time: the trained classifier reads a batch much faster.
_BATCH = 256


def _write_redacted(batch: list[tuple[dict[str, Any], str, str | None]]) -> None:
    from privacy import detect_many, redact

    found = detect_many([text for _r, text, _l in batch], [lang for _r, _t, lang in batch])
    for (row, text, _lang), spans in zip(batch, found, strict=True):
        out = {
            "id": row.get("id"),
            "text": redact(text, spans),
            "spans": [span.to_dict() for span in spans],
        }
        click.echo(json.dumps(out, ensure_ascii=False))


def _redact_stored(call_ids: tuple[int, ...], all_calls: bool) -> None:
    from flask import has_app_context
    from flask.cli import ScriptInfo

    if bool(call_ids) == all_calls:
        raise click.UsageError("Name calls with --call ID (repeatable), or use --all.")
    context = click.get_current_context()
    app_context = (
        nullcontext()
        if has_app_context()
        else context.ensure_object(ScriptInfo).load_app().app_context()
    )
    with app_context:
        _redact_calls(call_ids, all_calls)


def _redact_calls(call_ids: tuple[int, ...], all_calls: bool) -> None:
    from qa.cli.each_call import EachCall
    from qa.services.calls.redaction import calls_to_redact, policy
    from qa.services.calls.redaction_runs import redact_and_analyse

    rules = policy()
    if not rules.enabled:
        raise click.ClickException("Redaction is off in the company settings; nothing was changed.")
    calls = EachCall(call_ids, calls_to_redact(None if all_calls else call_ids))
    total = 0
    for call_id, found in calls.run(lambda call: redact_and_analyse(call, rules)):
        total += found
        click.echo(f"Call #{call_id}: {found} value(s) redacted")
    calls.finish(f"Redacted {calls.done} call(s): {total} value(s).")
