"""``qa train``: retrain the objection classifier with the team's corrections, list the
versions, roll back."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from qa.services.errors import ServiceError


@click.group("train")
def train_group() -> None:
    """Retrain detectors on shipped data plus the team's accepted corrections."""


@train_group.command("objections")
@click.option(
    "--lang", "langs", type=click.Choice(["ru", "en"]), multiple=True, help="Default: both."
)
@with_appcontext
def train_objections_command(langs: tuple[str, ...]) -> None:
    """Retrain, evaluate on the shipped test sets, and activate unless an F1 drops.

    The new version replaces the active model only when no label's F1 on any test set falls
    by more than one point; otherwise it is kept as refused with the reasons, and the exit
    status is 1. Run ``qa rescore --all`` afterwards to judge stored calls again.
    """
    # Imported here: spaCy and scikit-learn take seconds to import.
    from qa.models.objection_model import REFUSED
    from qa.services.calls import objection_models
    from qa.services.calls.corrections import accepted_training_rows

    try:
        version = objection_models.train(
            list(langs or ("ru", "en")), accepted_training_rows, log=sys.stdout
        )
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
    if version.status == REFUSED:
        raise SystemExit(1)


@train_group.command("list")
@with_appcontext
def list_command() -> None:
    """The kept versions, newest first; the shipped model judges when none is active."""
    from qa.services.calls import objection_models
    from scoring.training.evaluation import describe_regression

    versions = objection_models.list_versions()
    if not any(v.status == "active" for v in versions):
        click.echo("shipped  active")
    for version in versions:
        reasons = "; ".join(describe_regression(r) for r in version.report.get("reasons", []))
        click.echo(
            f"{version.id}  {version.status:8} {version.folder}  {version.versions}"
            f"  corrections {version.corrections}" + (f"  refused: {reasons}" if reasons else "")
        )


@train_group.command("rollback")
@click.argument("version")
@with_appcontext
def rollback_command(version: str) -> None:
    """Make VERSION (an id from ``qa train list``, or ``shipped``) judge calls again."""
    from qa.services.calls import objection_models

    if version != "shipped" and not version.isdigit():
        raise click.BadParameter("a version id or 'shipped'", param_hint="VERSION")
    try:
        objection_models.activate(None if version == "shipped" else int(version))
    except ServiceError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Active: {version}. Run `qa rescore --all` to judge stored calls again.")
