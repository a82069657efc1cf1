"""An app whose requests share nothing but the database, like separate browsers on a server.

The ``app`` fixture keeps one app context open for the whole test, so every request of every
test client shares ``g`` (and with it Flask-Login's cached user) and one database session.
Tests of sessions ending, and of concurrent requests, need requests as separate as in
production: ``db_app`` pushes no context; tests open one only to arrange and to look.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from qa import create_app
from qa.extensions import db
from tests.web.app_config import app_settings
from tests.web.databases import fresh_database_url, leave_empty


def make_isolated_app(tmp_path: Path, database_url: str | None, **settings: object) -> Flask:
    uri = fresh_database_url(tmp_path, database_url)
    app = create_app(app_settings(tmp_path, uri, **settings))
    with app.app_context():
        db.create_all()
    return app


def dispose(app: Flask, database_url: str | None) -> None:
    with app.app_context():
        db.session.remove()
        leave_empty(db, database_url)
        db.engine.dispose()


@pytest.fixture
def db_app(tmp_path: Path, database_server_url: str | None) -> Iterator[Flask]:
    app = make_isolated_app(tmp_path, database_server_url)
    yield app
    dispose(app, database_server_url)
