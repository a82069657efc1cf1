"""Configuration order and the production secret check."""

from __future__ import annotations

import pytest

from qa import create_app
from qa.config import DEV_SECRET_KEY, ProductionConfigError, check_production


def test_environment_overrides_defaults(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("QA_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    monkeypatch.setenv("QA_RECORDINGS_DIR", str(tmp_path / "shared-recordings"))
    monkeypatch.setenv("QA_PAGE_SIZE", "10")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite3")
    assert app.config["RECORDINGS_DIR"] == str(tmp_path / "shared-recordings")
    assert app.config["PAGE_SIZE"] == 10
    assert (tmp_path / "shared-recordings").is_dir()


def test_production_refuses_development_secret() -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": DEV_SECRET_KEY})
    with pytest.raises(ProductionConfigError):
        check_production(app)
    check_production(app, debug=True)
    app.config["SECRET_KEY"] = "a real secret"  # noqa: S105 - test-only key, never deployed
    check_production(app)


def test_run_and_worker_refuse_development_secret(runner) -> None:  # type: ignore[no-untyped-def]
    runner.app.config.update(TESTING=False, SECRET_KEY=DEV_SECRET_KEY)
    from qa.cli import main

    result = runner.invoke(main, ["worker"])
    assert result.exit_code != 0
    assert "QA_SECRET_KEY" in str(result.exception) + result.output


def test_passwords_are_hashed_with_scrypt_by_default(tmp_path) -> None:
    from qa.models import User

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'h.sqlite3'}"})
    with app.app_context():
        user = User(email="a@example.com", name="A", role="reviewer")
        user.set_password("long enough pw")
        assert user.password_hash.startswith("scrypt:")
        assert user.check_password("long enough pw")
        assert not user.check_password("other")
