"""``qa demo load``: demo data for a first look."""

from __future__ import annotations

import os

import click
from flask.cli import with_appcontext

from qa.extensions import db
from qa.services.admin.demo import load_demo


@click.group("demo")
def demo_command() -> None:
    """Demo data."""


@demo_command.command("load")
@with_appcontext
def load_command() -> None:
    """Create demo users, campaigns, leads and calls (once) and queue their transcription."""
    result = load_demo()
    db.session.commit()
    if not result.created:
        click.echo("Demo data is already loaded (log in with the password printed the first time).")
        return
    port = os.environ.get("QA_PORT", "5000")
    click.echo(f"Demo data loaded. Log in at http://127.0.0.1:{port} with any of:")
    for email in result.emails:
        click.echo(f"  {email}")
    click.echo(f"Password for all of them: {result.password}")
    if result.queued:
        click.echo(
            f"{result.queued} demo call(s) queued for transcription: a running `qa worker` "
            "(`make run` starts one) transcribes and analyses them."
        )
