"""0031_dashboard_data_version: writes before the table exists go through untouched; the table
comes with the dashboard's counter and a random token; writes then raise the counter; and back
down and up again gives a new token (nothing cached before can match it).

On SQLite and PostgreSQL, with rows written as raw SQL like every migration test.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from qa import MIGRATIONS_DIR
from qa.extensions import db
from tests.web.migration_databases import migration_app, table_rows

BEFORE = "0030_ad_video_jobs"
AFTER = "0031_dashboard_data_version"
T0 = datetime(2026, 12, 1, 10, 0)


def _add_lead(external_id: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO leads (external_id, channel, status, created_at, updated_at) "
                "VALUES (:id, 'site', 'new', :t, :t)"
            ),
            {"id": external_id, "t": T0},
        )


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_dashboard_data_version_migration_round_trip(kind: str, tmp_path: Path) -> None:
    with migration_app(kind, tmp_path, "data_version"):
        upgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        _add_lead("before")  # no counter table yet: the write is not refused
        upgrade(directory=MIGRATIONS_DIR, revision=AFTER)
        with db.engine.connect() as conn:
            [row] = table_rows(conn, "data_versions")
        assert (row["name"], row["version"]) == ("lead_figures", 0)
        assert len(row["token"]) == 32
        _add_lead("after")
        with db.engine.connect() as conn:
            [bumped] = table_rows(conn, "data_versions")
            assert conn.scalar(text("SELECT count(*) FROM leads")) == 2
        assert bumped == {**row, "version": 1}

        downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        with db.engine.connect() as conn:
            assert "data_versions" not in inspect(conn).get_table_names()
        _add_lead("down")
        upgrade(directory=MIGRATIONS_DIR, revision=AFTER)
        with db.engine.connect() as conn:
            [again] = table_rows(conn, "data_versions")
            assert conn.scalar(text("SELECT count(*) FROM leads")) == 3
        assert again["version"] == 0
        assert again["token"] != row["token"]
