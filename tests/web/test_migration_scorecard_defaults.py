"""0019_scorecard_defaults on stored scorecards: an install with one active scorecard keeps it as
the default for every language; with several, none is guessed; and back down.

The database is built at 0018 by Alembic and filled with raw SQL, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from qa import MIGRATIONS_DIR
from qa.extensions import db
from tests.web.migration_databases import migration_app

BEFORE = "0018_comments"
AFTER = "0019_scorecard_defaults"
T0 = datetime(2026, 12, 1, 10, 0)


def _templates(conn, rows: list[tuple[int, str, bool]]) -> None:
    for template_id, name, active in rows:
        conn.execute(
            text(
                "INSERT INTO scorecard_templates (id, name, active, created_at) "
                "VALUES (:id, :name, :active, :t)"
            ),
            {"id": template_id, "name": name, "active": active, "t": T0},
        )


def _defaults(conn) -> list[tuple[int, str, str]]:
    return [
        tuple(row)
        for row in conn.execute(
            text("SELECT template_id, kind, value FROM scorecard_defaults ORDER BY value")
        )
    ]


# (stored templates: id, name, active) -> the defaults the upgrade writes
CASES = {
    "one active card (and a retired one)": (
        [(1, "Продажи", True), (2, "Старая", False)],
        [(1, "language", "en"), (1, "language", "ru")],
    ),
    "two active cards": ([(1, "Продажи", True), (2, "Sales", True)], []),
    "no card": ([], []),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_scorecard_defaults_migration(kind: str, case: str, tmp_path: Path) -> None:
    stored, expected = CASES[case]
    with migration_app(kind, tmp_path, "scorecard_defaults"):
        upgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        with db.engine.begin() as conn:
            _templates(conn, stored)
        upgrade(directory=MIGRATIONS_DIR, revision=AFTER)
        with db.engine.begin() as conn:
            assert _defaults(conn) == expected
            languages = conn.execute(
                text("SELECT language FROM scorecard_templates")
            ).scalars().all()
            assert languages == [None] * len(stored)
        downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        assert "scorecard_defaults" not in inspect(db.engine).get_table_names()
        with db.engine.begin() as conn:
            count = conn.execute(text("SELECT count(*) FROM scorecard_templates"))
            assert count.scalar() == len(stored)
