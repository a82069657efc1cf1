"""A throwaway database of either kind for the tests of one migration on stored rows, the app on
it, and its rows as plain dicts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Connection, text

from qa import create_app
from qa.extensions import db
from tests.conftest import require_or_skip
from tests.pg import throwaway_database
from tests.web.test_migrations import POSTGRES_URL, _postgres_available


@contextmanager
def migration_database(kind: str, tmp_path: Path, name: str) -> Iterator[str]:
    """The URL of an empty SQLite file or PostgreSQL database (dropped afterwards)."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        return
    require_or_skip(_postgres_available(), f"PostgreSQL does not answer at {POSTGRES_URL}")
    with throwaway_database(POSTGRES_URL, f"qa_{name}") as url:
        yield url


@contextmanager
def migration_app(kind: str, tmp_path: Path, name: str) -> Iterator[Flask]:
    """The app on a throwaway database of ``kind``, inside its app context; closed after."""
    with migration_database(kind, tmp_path, name) as uri:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": uri})
        with app.app_context():
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()


def table_rows(conn: Connection, table: str, drop: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Every row of ``table`` in key order, without the ``drop`` columns."""
    rows = conn.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2")).mappings().all()  # noqa: S608
    return [{k: v for k, v in row.items() if k not in drop} for row in rows]
