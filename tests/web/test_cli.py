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


def test_create_user_refuses_what_the_web_form_refuses(runner) -> None:  # type: ignore[no-untyped-def]
    """The CLI goes through the same service checks as the admin page."""
    from qa.extensions import db

    bad_email = runner.invoke(main, ["create-user", "not-an-email", "--password", "long enough"])
    assert bad_email.exit_code != 0
    assert "Email: not a valid e-mail address." in bad_email.output
    bad_name = runner.invoke(
        main, ["create-user", "x@example.com", "--name", "Ann\x07", "--password", "long enough"]
    )
    assert bad_name.exit_code != 0
    assert "Name: contains control characters." in bad_name.output
    assert db.session.scalar(select(User)) is None
