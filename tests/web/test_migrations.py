"""Migrations: empty to head on SQLite and PostgreSQL, one head, nothing left to autogenerate."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect

from qa import MIGRATIONS_DIR, create_app
from qa.extensions import db
from tests.conftest import require_or_skip
from tests.pg import throwaway_database

POSTGRES_URL = os.environ.get(
    "QA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _postgres_available() -> bool:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not available here"
        return False


def _upgrade_and_compare(uri: str) -> None:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
            tables = set(inspect(conn).get_table_names())
        db.engine.dispose()
    assert diff == []
    assert {"users", "calls", "transcript_segments", "findings", "reviews", "ad_audits"} <= tables


def test_single_head() -> None:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS_DIR)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_upgrade_sqlite(tmp_path: Path) -> None:
    _upgrade_and_compare(f"sqlite:///{tmp_path / 'migrated.sqlite3'}")


@pytest.mark.postgres
def test_upgrade_postgres() -> None:
    require_or_skip(_postgres_available(), f"PostgreSQL does not answer at {POSTGRES_URL}")
    with throwaway_database(POSTGRES_URL, "qa_migrate") as url:
        _upgrade_and_compare(url)
