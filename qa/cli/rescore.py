"""``qa rescore``: re-run objection analysis on stored transcripts."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from qa.cli.each_call import EachCall


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

    calls = EachCall(call_ids, calls_to_rescore(None if all_calls else call_ids))
    trackers = active_tracker_specs()
    totals: dict[str, int] = {}
    for call_id, result in calls.run(lambda call: rescore_call(call, trackers)):
        for label, n in result.labels.items():
            totals[label] = totals.get(label, 0) + n
        labels = ", ".join(f"{k} {v}" for k, v in sorted(result.labels.items())) or "none"
        click.echo(f"Call #{call_id}: {result.findings} finding(s) ({labels})")
    summary = ", ".join(f"{k} {v}" for k, v in sorted(totals.items())) or "no findings"
    calls.finish(f"Rescored {calls.done} call(s): {summary}.")
