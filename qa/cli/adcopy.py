"""``qa check-ad``: audit ad texts from JSON lines for offer, deadline and call to action."""

from __future__ import annotations

import datetime
import json
from typing import IO, Any

import click

from qa.cli.jsonlines import TextLines


def _result(ad_id: Any, audit: Any) -> dict[str, Any]:
    evidence = {}
    for name in ("offer", "deadline", "cta"):
        verdict = audit.element(name)
        evidence[name] = {
            "spans": [item.to_dict() for item in verdict.evidence],
            "explanation": verdict.explanation,
            "suggestion": verdict.suggestion,
            "expired": verdict.expired,
        }
    return {
        "id": ad_id,
        "lang": audit.lang,
        "offer": audit.offer.present,
        "deadline": audit.deadline.present,
        "cta": audit.cta.present,
        "evidence": evidence,
    }


@click.command("check-ad")
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
@click.option("--lang", type=click.Choice(["ru", "en"]), help="Language of every line.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date that deadlines are judged against (default: the current date).",
)
def check_ad_command(file: IO[str], lang: str | None, today: datetime.datetime | None) -> None:
    """Read ads as JSON lines from FILE (or stdin) and write one audit line per ad.

    Input: {"id", "text", "lang"?}; the language is detected when absent. Output: {"id",
    "lang", "offer", "deadline", "cta", "evidence"}, where evidence holds, per element, the
    spans found, a one-line explanation, a suggestion when the element is missing, and whether
    a deadline has expired. A bad line is reported on stderr with its line number and the rest
    go on; the exit status is then 1.
    """
    from scoring.adcopy import check_ad

    day = today.date() if today else None
    lines = TextLines(file, allow_empty_text=False)
    for _number, row, text, line_lang in lines:
        audit = check_ad(text, line_lang or lang, today=day)
        click.echo(json.dumps(_result(row.get("id"), audit), ensure_ascii=False))
    lines.finish()
