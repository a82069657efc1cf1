"""``qa rescore``: re-run objection analysis on stored transcripts."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from qa.extensions import db
from qa.models import Call


@click.command("rescore")
@click.option("--call", "call_ids", type=int, multiple=True, help="A call id (repeatable).")
@click.option("--all", "all_calls", is_flag=True, help="Every call that has a transcript.")
@with_appcontext
def rescore_command(call_ids: tuple[int, ...], all_calls: bool) -> None:
    """Analyse stored transcripts again after rules, trackers or the model changed.

    Each call's findings are replaced; reviews are not touched.
    """
    if bool(call_ids) == all_calls:
        raise click.UsageError("Name calls with --call ID (repeatable), or use --all.")
    # Imported here: spaCy takes seconds to import, and every `qa` command would pay for it.
    from qa.services.calls.objections import active_tracker_specs, calls_to_rescore, rescore_call

    ids = calls_to_rescore(None if all_calls else call_ids)
    problems = [f"call #{n}: no such call or no transcript yet" for n in call_ids if n not in ids]
    trackers = active_tracker_specs()
    totals: dict[str, int] = {}
    done = 0
    for call_id in ids:
        call = db.session.get(Call, call_id)
        try:
            result = rescore_call(call, trackers)  # type: ignore[arg-type]
            db.session.commit()
        except Exception as exc:
            db.session.rollback()
            problems.append(f"call #{call_id}: {type(exc).__name__}: {exc}")
            continue
        done += 1
        for label, n in result.labels.items():
            totals[label] = totals.get(label, 0) + n
        labels = ", ".join(f"{k} {v}" for k, v in sorted(result.labels.items())) or "none"
        click.echo(f"Call #{call_id}: {result.findings} finding(s) ({labels})")
    summary = ", ".join(f"{k} {v}" for k, v in sorted(totals.items())) or "no findings"
    click.echo(f"Rescored {done} call(s): {summary}.")
    if problems:
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1)
