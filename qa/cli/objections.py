"""``qa detect-objections``: flag price/assortment objections in JSON-lines turns, no database."""

from __future__ import annotations

import json
from typing import IO, Any

import click

from qa.cli.jsonlines import TextLines


def _load_trackers(stream: IO[str] | None) -> list[Any]:
    from scoring import TrackerError, TrackerSpec, validate_tracker

    if stream is None:
        return []
    trackers = []
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            spec = TrackerSpec.from_dict(json.loads(raw))
        except (json.JSONDecodeError, TrackerError, TypeError) as exc:
            raise click.BadParameter(f"line {number}: {exc}", param_hint="--trackers") from exc
        problems = validate_tracker(spec)
        if problems:
            raise click.BadParameter(
                f"line {number}: tracker {spec.name!r}: {'; '.join(problems)}",
                param_hint="--trackers",
            )
        trackers.append(spec)
    return trackers


SPEAKERS = ("customer", "agent", "unknown")


@click.command("detect-objections")
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
@click.option("--lang", type=click.Choice(["ru", "en"]), help="Language of every line.")
@click.option(
    "--trackers",
    "trackers_file",
    type=click.File("r", encoding="utf-8"),
    help='Custom trackers, JSON lines {"name", "label", "lang", "phrases", "said_by"?}.',
)
def detect_objections_command(
    file: IO[str], lang: str | None, trackers_file: IO[str] | None
) -> None:
    """Read turns as JSON lines from FILE (or stdin) and write one result line per turn.

    Input: {"id", "text", "lang"?, "speaker"?}; language is detected when absent and the
    speaker defaults to customer (agent turns are never labelled). Output: {"id", "labels",
    "scores", "spans"}; a label found by the classifier alone has no span. A bad line is
    reported on stderr with its line number and the rest go on; the exit status is then 1.
    """
    from scoring import classify_turn

    trackers = _load_trackers(trackers_file)
    lines = TextLines(file)
    for number, row, text, line_lang in lines:
        speaker = row.get("speaker") or "customer"
        if speaker not in SPEAKERS:
            lines.skip(number, f'"speaker" must be customer, agent or unknown, got {speaker!r}')
            continue
        turn_id = row.get("id")
        result = classify_turn(text, line_lang or lang, trackers=trackers)
        said_by = {t.rule_id: t.said_by for t in trackers}
        spans = [
            s
            for s in result.spans
            if s.rule not in said_by or speaker == "unknown" or said_by[s.rule] in ("any", speaker)
        ]
        if speaker == "agent":
            spans = [s for s in spans if s.rule in said_by]
        labels = [
            label
            for label in result.labels
            if any(s.label == label for s in spans)
            or (speaker != "agent" and label in result.scores)
        ]
        out = {
            "id": turn_id,
            "labels": labels,
            "scores": dict(result.scores),
            "spans": [
                {"label": s.label, "start": s.start, "end": s.end, "text": s.text, "rule": s.rule}
                for s in spans
            ],
        }
        click.echo(json.dumps(out, ensure_ascii=False))
    lines.finish()
