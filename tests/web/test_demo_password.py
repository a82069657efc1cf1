"""The demo password: kept for its owner in the instance folder, printed again, reset on demand."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from flask import Flask

from qa.cli import main
from qa.extensions import db
from qa.roles import ROLES
from qa.services.admin.demo import DEMO_DOMAIN
from tests.web import factories


def _password(output: str) -> str:
    found = re.search(r"Password for all of them: (\S+)", output)
    assert found, output
    return found.group(1)


def _logs_in(client, email: str, password: str) -> bool:  # type: ignore[no-untyped-def]
    response = client.post("/login", data={"email": email, "password": password})
    client.post("/logout")
    return response.status_code == 302


def test_demo_password_resets_prints_and_load_prints_it_again(
    app: Flask,
    runner,
    client,  # type: ignore[no-untyped-def]
) -> None:
    emails = [f"{role.replace('_', '')}@{DEMO_DOMAIN}" for role in ROLES]
    for email, role in zip(emails, ROLES, strict=True):
        factories.make_user(role=role, email=email)
    other = factories.make_user(role="admin", email="real-admin@example.com")
    db.session.commit()

    result = runner.invoke(main, ["demo", "password"])
    assert result.exit_code == 0, result.output
    password = _password(result.output)
    assert all(email in result.output for email in emails)
    assert other.email not in result.output
    kept = Path(app.instance_path) / "demo-password.txt"
    assert kept.read_text(encoding="utf-8").strip() == password
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert _logs_in(client, emails[0], password)
    assert not _logs_in(client, emails[0], factories.PASSWORD)
    # Only the demo accounts changed.
    assert _logs_in(client, other.email, factories.PASSWORD)

    # `make run` loads the demo every time: a second load prints the kept password.
    again = runner.invoke(main, ["demo", "load"])
    assert again.exit_code == 0, again.output
    assert "already loaded" in again.output
    assert _password(again.output) == password

    # A new reset gives a new password and the old one stops working.
    newer = _password(runner.invoke(main, ["demo", "password"]).output)
    assert newer != password
    assert kept.read_text(encoding="utf-8").strip() == newer
    assert not _logs_in(client, emails[1], password)
    assert _logs_in(client, emails[1], newer)


def test_demo_password_without_a_demo_says_so(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(main, ["demo", "password"])
    assert result.exit_code != 0
    assert "There is no demo data" in result.output
