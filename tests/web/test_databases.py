"""Every test starts from the whole schema and no rows, with ids counting from 1 again."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import func, inspect, select

from qa import create_app
from qa.extensions import db
from tests.web import factories
from tests.web.app_config import app_settings
from tests.web.databases import fresh_database_url, leave_empty


def test_a_test_database_has_the_whole_schema(app: Flask) -> None:
    assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())


def test_the_next_test_finds_no_rows_and_ids_from_one(
    app: Flask, tmp_path: Path, database_server_url: str | None
) -> None:
    factories.make_call(title="Written by this test")
    factories.make_user(email="first@example.com")
    db.session.commit()
    db.session.remove()
    leave_empty(db, database_server_url)

    following = create_app(
        app_settings(tmp_path / "next", fresh_database_url(tmp_path / "next", database_server_url))
    )
    with following.app_context():
        for table in db.metadata.sorted_tables:
            count = db.session.scalar(select(func.count()).select_from(table))
            assert count == 0, table.name
        call = factories.make_call(title="Written by the next test")
        db.session.commit()
        assert call.id == 1
        db.session.remove()
        db.engine.dispose()
