"""The ``qa`` console script: Flask's CLI group for the app plus qa-review's commands.

``qa run``, ``qa db upgrade``, ``qa create-user``, ``qa worker`` ... ; ``flask --app qa`` works too.
"""

from __future__ import annotations

import importlib
from functools import partial

import click
from flask.cli import FlaskGroup

from qa import create_app
from qa.cli.setup import guarded_run_command

# Modules that each define commands (click.Command objects) to add to the group.
COMMAND_MODULES = {
    "qa.cli.users": ("create_user_command",),
    "qa.cli.setup": ("init_instance_command",),
    "qa.cli.demo": ("demo_command",),
    "qa.cli.worker": ("worker_command",),
    "qa.cli.transcribe": ("transcribe_command",),
    "qa.cli.jobs": ("jobs_command",),
    "qa.cli.rescore": ("rescore_command",),
    "qa.cli.objections": ("detect_objections_command",),
    "qa.cli.adcopy": ("check_ad_command",),
}


@click.group(cls=FlaskGroup, create_app=partial(create_app, refuse_dev_secret=False))
def main() -> None:
    """qa-review: call and mystery-shopper quality review."""


def _register() -> None:
    for module_name, names in COMMAND_MODULES.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        for name in names:
            main.add_command(getattr(module, name))
    main.add_command(guarded_run_command)


_register()
