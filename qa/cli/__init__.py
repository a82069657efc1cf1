"""The ``qa`` console script: Flask's CLI group for the app plus qa-review's commands.

``qa run``, ``qa db upgrade``, ``qa create-user``, ``qa worker`` ... ; ``flask --app qa`` works too.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import click
from flask.cli import FlaskGroup, ScriptInfo
from sqlalchemy.exc import OperationalError

from qa import create_app
from qa.cli.adcopy import check_ad_command
from qa.cli.advideo import check_ad_video_command
from qa.cli.backup import backup_command, restore_command
from qa.cli.database import database_error
from qa.cli.demo import demo_command
from qa.cli.jobs import jobs_command
from qa.cli.objections import detect_objections_command
from qa.cli.privacy import delete_personal_data_command, retention_group
from qa.cli.redact import redact_command
from qa.cli.rescore import rescore_command
from qa.cli.setup import guarded_run_command, init_instance_command
from qa.cli.train import train_group
from qa.cli.transcribe import transcribe_command
from qa.cli.users import create_user_command
from qa.cli.worker import worker_command

COMMANDS = (
    create_user_command,
    init_instance_command,
    demo_command,
    worker_command,
    transcribe_command,
    jobs_command,
    rescore_command,
    detect_objections_command,
    check_ad_command,
    check_ad_video_command,
    redact_command,
    retention_group,
    delete_personal_data_command,
    train_group,
    guarded_run_command,
    backup_command,
    restore_command,
)


class QaGroup(FlaskGroup):
    """Flask's group; a database that cannot be reached ends any command with one clear line."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OperationalError as exc:
            url = ctx.ensure_object(ScriptInfo).load_app().config["SQLALCHEMY_DATABASE_URI"]
            raise database_error(exc, url) from None


@click.group(cls=QaGroup, create_app=partial(create_app, refuse_dev_secret=False))
def main() -> None:
    """qa-review: call and mystery-shopper quality review."""


for _command in COMMANDS:
    main.add_command(_command)
