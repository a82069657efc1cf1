"""``qa detect-objections``: flag price/assortment objections in JSON-lines turns, no database."""

from __future__ import annotations

import json
from typing import IO, Any

import click


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


def _parse(raw: str) -> tuple[Any, str, str | None, str]:
    """Return (id, text, lang, speaker) of one input line or raise ValueError."""
    try:
        row = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(row, dict):
        raise ValueError("expected a JSON object")
    text = row.get("text")
    if not isinstance(text, str):
        raise ValueError('"text" must be a string')
    lang = row.get("lang")
    if lang is not None and lang not in ("ru", "en"):
        raise ValueError(f'"lang" must be "ru" or "en", got {lang!r}')
    speaker = row.get("speaker") or "customer"
    if speaker not in ("customer", "agent", "unknown"):
        raise ValueError(f'"speaker" must be customer, agent or unknown, got {speaker!r}')
    return row.get("id"), text, lang, speaker


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
    failures = 0
    for number, raw in enumerate(file, start=1):
        if not raw.strip():
            continue
        try:
            turn_id, text, line_lang, speaker = _parse(raw)
        except ValueError as exc:
            failures += 1
            click.echo(f"line {number}: {exc}; skipped", err=True)
            continue
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
    if failures:
        click.echo(f"{failures} line(s) skipped", err=True)
        click.get_current_context().exit(1)
