"""A test's database: where a fresh one comes from, and how it is left empty for the next test.

SQLite: a copy of a schema file made once per test process (``create_all`` on 53 tables costs
far more than copying the file it leaves). PostgreSQL: the session's database, whose schema is
created once and emptied after each test.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from flask_sqlalchemy import SQLAlchemy

from qa import create_app
from qa.extensions import db
from tests.pg import empty_tables
from tests.web.app_config import app_settings


def fresh_database_url(tmp_path: Path, server_url: str | None, name: str = "qa.sqlite3") -> str:
    """The session's PostgreSQL database, or a new SQLite file in ``tmp_path`` with the schema."""
    if server_url:
        return server_url
    target = tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_sqlite_schema_file(), target)
    return f"sqlite:///{target}"


def leave_empty(database: SQLAlchemy, server_url: str | None) -> None:
    """Empty the shared PostgreSQL database for the next test (a SQLite file is never reused)."""
    if server_url:
        empty_tables(database.engine, database.metadata.sorted_tables)


@cache
def _sqlite_schema_file() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="qa-schema-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "schema.sqlite3"
    # Made by a test app's own create_all, so the file is what the fixtures used to make.
    app = create_app(app_settings(folder, f"sqlite:///{path}"))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return path
