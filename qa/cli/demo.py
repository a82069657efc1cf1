"""``qa demo load`` and ``qa demo password``: demo data for a first look, and its password.

The demo password is stored hashed, so the plain one is kept for the person running the demo
in ``<instance>/demo-password.txt``, readable by its owner only (mode 0600), next to the
SQLite database and the secret key. ``qa demo load`` prints it every time; ``qa demo password``
sets a new one for every demo account, writes it there and prints it.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from qa.extensions import db
from qa.services.admin.demo import DemoResult, demo_users, load_demo, reset_demo_password
from qa.services.errors import ServiceError

KEPT_IN = "demo-password.txt"


def password_file() -> Path:
    return Path(current_app.instance_path) / KEPT_IN


def _keep_password(password: str) -> None:
    """Write the password for its owner's eyes only (also when the file was there before)."""
    path = password_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")


def _kept_password() -> str | None:
    try:
        return password_file().read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def _print_accounts(result: DemoResult) -> None:
    port = os.environ.get("QA_PORT", "5000")
    click.echo(f"Log in at http://127.0.0.1:{port} with any of:")
    for email in result.emails:
        click.echo(f"  {email}")
    click.echo(f"Password for all of them: {result.password}")


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
        password = _kept_password()
        if password is None:
            click.echo(
                "Demo data is already loaded. `qa demo password` sets a new password for the "
                "demo accounts and prints it."
            )
            return
        click.echo("Demo data is already loaded.")
        _print_accounts(
            DemoResult(created=False, password=password, emails=[u.email for u in demo_users()])
        )
        click.echo(
            f"(from {password_file()}; if it no longer works, `qa demo password` sets a new one)"
        )
        return
    assert result.password is not None  # noqa: S101 - set for a new demo
    _keep_password(result.password)
    click.echo("Demo data loaded.")
    _print_accounts(result)
    if result.queued:
        click.echo(
            f"{result.queued} demo call(s) queued for transcription: a running `qa worker` "
            "(`make run` starts one) transcribes and analyses them."
        )


@demo_command.command("password")
@with_appcontext
def password_command() -> None:
    """Set a new password for every demo account (ending their sessions) and print it."""
    try:
        result = reset_demo_password()
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    assert result.password is not None  # noqa: S101 - always set by the reset
    _keep_password(result.password)
    click.echo("New demo password set.")
    _print_accounts(result)
