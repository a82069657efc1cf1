"""Every browser form is CSRF-protected; the API is exempt and token-only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from qa import create_app
from qa.extensions import db
from qa.services.admin.api_tokens import create_token
from tests.web import factories
from tests.web.databases import fresh_database_url, leave_empty
from tests.web.test_access import RULES, _url


@pytest.fixture
def csrf_app(tmp_path: Path, database_server_url: str | None) -> Iterator[Flask]:
    uri = fresh_database_url(tmp_path, database_server_url, "csrf.sqlite3")
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": uri,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        leave_empty(db, database_server_url)
        db.engine.dispose()


def _csrf_login(client: FlaskClient, email: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "login form has no CSRF token"
    response = client.post(
        "/login",
        data={"email": email, "password": factories.PASSWORD, "csrf_token": token.group(1)},
    )
    assert response.status_code == 302


def test_login_without_token_is_refused(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    factories.make_user(email="a@example.com", role="admin")
    db.session.commit()
    response = client.post(
        "/login", data={"email": "a@example.com", "password": factories.PASSWORD}
    )
    assert response.status_code == 400


POST_RULES = [r for r in RULES if "POST" in (r.methods or ()) and not r.rule.startswith("/api/")]


@pytest.mark.db
@pytest.mark.parametrize("rule", POST_RULES, ids=lambda r: r.endpoint)
def test_browser_post_without_token_is_refused(csrf_app: Flask, rule) -> None:  # type: ignore[no-untyped-def]
    client = csrf_app.test_client()
    factories.make_user(email="admin@example.com", role="admin")
    db.session.commit()
    _csrf_login(client, "admin@example.com")
    response = client.post(_url(rule), data={"submit": "1"})
    assert response.status_code == 400


@pytest.mark.db
def test_api_ignores_session_and_accepts_token(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    admin = factories.make_user(email="admin@example.com", role="admin")
    call = factories.make_call(title="Demo")
    _token, plain = create_token("PBX", admin)
    db.session.commit()
    _csrf_login(client, "admin@example.com")
    assert client.get(f"/api/v1/calls/{call.id}").status_code == 401
    response = client.get(
        f"/api/v1/calls/{call.id}", headers={"Authorization": f"Bearer {plain}"}
    )
    assert response.status_code == 200
    assert response.get_json()["id"] == call.id
    assert "Set-Cookie" not in response.headers
