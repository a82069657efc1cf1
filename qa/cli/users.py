"""User administration from the command line."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from qa.extensions import db
from qa.roles import ROLES
from qa.services.admin import users
from qa.services.errors import ValidationFailed


@click.command("create-user")
@click.argument("email")
@click.option("--name", default="", help="Full name (defaults to the email).")
@click.option("--role", type=click.Choice(ROLES), default="reviewer", show_default=True)
@click.option("--language", type=click.Choice(["ru", "en"]), default=None)
@click.password_option(help="Password (asked twice when not given).")
@with_appcontext
def create_user_command(
    email: str, name: str, role: str, language: str | None, password: str
) -> None:
    """Create a user who can log in with EMAIL."""
    try:
        user = users.create_user(email, name, password, role, language)
    except ValidationFailed as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role}).")
