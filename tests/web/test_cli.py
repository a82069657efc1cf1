"""The qa console script."""

from __future__ import annotations

from sqlalchemy import select

from qa.cli import main
from qa.models import User


def test_create_user(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(
        main,
        ["create-user", "Lead@Example.com", "--role", "qa_lead", "--password", "long enough pw"],
    )
    assert result.exit_code == 0, result.output
    from qa.extensions import db

    user = db.session.scalar(select(User))
    assert (user.email, user.role) == ("lead@example.com", "qa_lead")


def test_create_user_short_password_fails_clearly(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(main, ["create-user", "x@example.com", "--password", "short"])
    assert result.exit_code != 0
    assert "at least 8" in result.output
