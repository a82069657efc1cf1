"""Configuration order and the production secret check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa import create_app
from qa.config import DEV_SECRET_KEY, ProductionConfigError, check_production


def test_environment_overrides_defaults(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("QA_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    monkeypatch.setenv("QA_RECORDINGS_DIR", str(tmp_path / "shared-recordings"))
    monkeypatch.setenv("QA_PAGE_SIZE", "10")
    monkeypatch.setenv("QA_SECRET_KEY", "a real secret from the environment")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite3")
    assert app.config["RECORDINGS_DIR"] == str(tmp_path / "shared-recordings")
    assert app.config["PAGE_SIZE"] == 10
    assert (tmp_path / "shared-recordings").is_dir()


@pytest.mark.parametrize("secret", [DEV_SECRET_KEY, ""])
def test_app_refuses_development_or_empty_secret(monkeypatch, secret: str) -> None:
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    settings = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": secret}
    with pytest.raises(ProductionConfigError, match="QA_SECRET_KEY"):
        create_app(settings)
    # Tests and local debugging may use it; a real key is served.
    assert create_app({**settings, "TESTING": True}).testing
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert create_app(settings).debug
    monkeypatch.delenv("FLASK_DEBUG")
    create_app({**settings, "SECRET_KEY": "a real secret"})


def test_check_production_honours_debug_flag() -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "a real secret"})
    app.config["SECRET_KEY"] = DEV_SECRET_KEY
    with pytest.raises(ProductionConfigError):
        check_production(app)
    check_production(app, debug=True)


@pytest.mark.parametrize(
    "command",
    [
        ["-m", "flask", "--app", "qa", "run", "--port", "0"],
        # What a WSGI server does with "qa:create_app()".
        ["-c", "import qa; qa.create_app()"],
    ],
    ids=["flask-run", "wsgi-import"],
)
def test_serving_without_secret_stops_with_one_line(tmp_path: Path, command: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QA_SECRET_KEY", "FLASK_DEBUG")}
    env["QA_INSTANCE_PATH"] = str(tmp_path / "instance")
    result = subprocess.run(  # noqa: S603 - fixed argument list, no outside input
        [sys.executable, *command],
        cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "QA_SECRET_KEY" in lines[0]


def test_run_and_worker_refuse_development_secret(runner) -> None:  # type: ignore[no-untyped-def]
    runner.app.config.update(TESTING=False, SECRET_KEY=DEV_SECRET_KEY)
    from qa.cli import main

    result = runner.invoke(main, ["worker"])
    assert result.exit_code != 0
    assert "QA_SECRET_KEY" in str(result.exception) + result.output


def test_passwords_are_hashed_with_scrypt_by_default(tmp_path) -> None:
    from qa.models import User

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'h.sqlite3'}", "SECRET_KEY": "real"}
    )
    with app.app_context():
        user = User(email="a@example.com", name="A", role="reviewer")
        user.set_password("long enough pw")
        assert user.password_hash.startswith("scrypt:")
        assert user.check_password("long enough pw")
        assert not user.check_password("other")


def test_database_errors_and_logs_leave_out_parameters(app, caplog) -> None:  # type: ignore[no-untyped-def]
    """A failed statement carrying a password hash must not put the hash in an error or a log."""
    import logging

    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from qa.extensions import db
    from qa.models import User
    from tests.web import factories

    factories.make_user(email="dup@example.com")
    db.session.commit()
    secret_hash = "scrypt:32768:8:1$saltsalt$0123456789abcdef0123456789abcdef"  # noqa: S105
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    db.engine.echo = True
    try:
        with pytest.raises(IntegrityError) as raised:
            db.session.execute(
                insert(User).values(
                    email="dup@example.com", name="Dup", role="reviewer", password_hash=secret_hash
                )
            )
    finally:
        db.engine.echo = False
        db.session.rollback()
    # PostgreSQL's own message names the conflicting key (the email); the other values stay out.
    assert "parameters hidden" in str(raised.value)
    for text in (str(raised.value), caplog.text):
        assert secret_hash not in text
