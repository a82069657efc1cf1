"""Instance set-up and a ``run`` that refuses the development secret outside debug."""

from __future__ import annotations

import os
import secrets
from typing import Any

import click
from flask import current_app
from flask.cli import ScriptInfo, run_command, with_appcontext

from qa.config import DEV_SECRET_KEY, check_production


@click.pass_context
def _guarded_run(ctx: click.Context, **kwargs: Any) -> None:
    app = ctx.ensure_object(ScriptInfo).load_app()
    check_production(app, debug=bool(kwargs.get("debug")))
    ctx.invoke(run_command, **kwargs)


guarded_run_command = click.Command(
    "run", callback=_guarded_run, params=run_command.params, help=run_command.help
)


@click.command("init-instance")
@with_appcontext
def init_instance_command() -> None:
    """Create the instance folder and a random SECRET_KEY in instance/config.py if none is set."""
    app = current_app
    config_path = os.path.join(app.instance_path, "config.py")
    if app.config["SECRET_KEY"] != DEV_SECRET_KEY:
        click.echo("SECRET_KEY is already set.")
        return
    with open(config_path, "a", encoding="utf-8") as handle:
        handle.write(f"SECRET_KEY = {secrets.token_hex(32)!r}\n")
    os.chmod(config_path, 0o600)
    click.echo(f"Wrote a new SECRET_KEY to {config_path}")
