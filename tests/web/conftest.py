"""App fixtures after Flask's flaskr tutorial: a fresh database per test.

SQLite by default (a new file per test, copied from a schema made once). When
QA_TEST_DATABASE_URL points at a PostgreSQL server, one database is created for the session,
emptied after each test and dropped at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from qa import create_app
from qa.extensions import db
from qa.queue import huey
from tests.pg import throwaway_database
from tests.web import factories
from tests.web.app_config import app_settings
from tests.web.databases import fresh_database_url, leave_empty


@pytest.fixture(scope="session")
def database_server_url() -> Iterator[str | None]:
    """A throwaway PostgreSQL database for the session, or None for SQLite."""
    server_url = os.environ.get("QA_TEST_DATABASE_URL")
    if not server_url:
        yield None
        return
    with throwaway_database(server_url, "qa_test", durable=False) as url:
        yield url


@pytest.fixture
def app(tmp_path: Path, database_server_url: str | None) -> Iterator[Flask]:
    uri = fresh_database_url(tmp_path, database_server_url)
    app = create_app(app_settings(tmp_path, uri))
    huey.immediate = True
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        leave_empty(db, database_server_url)
        db.engine.dispose()
    huey.immediate = False


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


class LoginActions:
    """Log in as a user of a given role (created on first use)."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def as_role(self, role: str) -> object:
        user = factories.make_user(role=role, email=f"{role}-{uuid.uuid4().hex[:6]}@example.com")
        db.session.commit()
        self.as_user(user.email)
        return user

    def as_user(self, email: str, password: str = factories.PASSWORD) -> None:
        response = self._client.post("/login", data={"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)

    def logout(self) -> None:
        self._client.post("/logout")


@pytest.fixture
def login(client: FlaskClient) -> LoginActions:
    return LoginActions(client)
