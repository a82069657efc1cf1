"""``qa check-ad-video FILE...``: audit ad videos' speech and on-screen text, one JSON line each."""

from __future__ import annotations

import datetime
import json

import click
from flask.cli import with_appcontext

from transcription.errors import AudioError, TranscriptionError


@click.command("check-ad-video")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--lang", type=click.Choice(["ru", "en"]), help="Language of every video.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date that deadlines are judged against (default: the current date).",
)
@with_appcontext
def check_ad_video_command(
    files: tuple[str, ...], lang: str | None, today: datetime.datetime | None
) -> None:
    """Audit each video (MP4, MOV, WebM, MKV) for offer, deadline, call to action and marking.

    One JSON line per video: {"file", "lang", "duration", "offer", "deadline", "expired", "cta",
    "marking": {"label", "advertiser", "erid"}, "evidence": [{"element", "source", "start",
    "end", "text"}], "screen_read", "notes"}; marking parts are "present" (shown on screen),
    "only_spoken" or "missing". A file that cannot be read is named on stderr with the reason;
    the others go on and the exit status is then 1.
    """
    from qa.services.marketing.ad_videos import read_and_audit

    day = today.date() if today else None
    failed = []
    for name in files:
        try:
            _reading, audit = read_and_audit(name, lang, day)
        except (AudioError, TranscriptionError) as exc:
            failed.append(name)
            click.echo(f"{name}: {exc}", err=True)
            continue
        click.echo(json.dumps(audit.to_line(name), ensure_ascii=False))
    if failed:
        raise click.ClickException(f"could not read {len(failed)} file(s): {', '.join(failed)}")
