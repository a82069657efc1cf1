"""0030_ad_video_jobs on real rows: a video stored (and audited at upload) before the queue is
"done" with its audit kept; a new video can be queued; and back down, rows intact.

The database is built at 0029 by Alembic and filled with raw SQL, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from qa import MIGRATIONS_DIR
from qa.extensions import db
from tests.web.migration_databases import migration_app, table_rows

BEFORE = "0029_retention"
AFTER = "0030_ad_video_jobs"
T0 = datetime(2026, 12, 1, 10, 0)
NEW_COLUMNS = (
    "audit_status",
    "audit_error",
    "audit_requested_by_id",
    "audit_queued_at",
    "audit_started_at",
)


def _fill(conn: Connection) -> None:
    conn.execute(
        text(
            "INSERT INTO ad_videos (id, original_filename, video_path, sha256, size_bytes, "
            "duration, width, height, has_audio, lang, created_at) VALUES (1, 'весна.mp4', "
            "'ab/x.mp4', :sha, 1000, 12.5, 640, 360, :yes, 'ru', :t)"
        ),
        {"sha": "a" * 64, "yes": True, "t": T0},
    )
    conn.execute(
        text(
            "INSERT INTO ad_video_audits (id, video_id, has_offer, has_deadline, has_cta, "
            "deadline_expired, marking_complete, screen_read, result, created_at) VALUES "
            "(2, 1, :yes, :yes, :no, :no, :no, :yes, '{\"offer\": true}', :t)"
        ),
        {"yes": True, "no": False, "t": T0},
    )



@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_ad_video_jobs_migration_round_trip(kind: str, tmp_path: Path) -> None:
    with migration_app(kind, tmp_path, "ad_video_jobs"):
        _check_round_trip()


def _check_round_trip() -> None:
    upgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
    with db.engine.begin() as conn:
        _fill(conn)
        video_before = table_rows(conn, "ad_videos")
        audits_before = table_rows(conn, "ad_video_audits")
    upgrade(directory=MIGRATIONS_DIR, revision=AFTER)
    with db.engine.begin() as conn:
        [video] = table_rows(conn, "ad_videos")
        added = {name: video.pop(name) for name in NEW_COLUMNS}
        assert added == {
            "audit_status": "done",
            "audit_error": None,
            "audit_requested_by_id": None,
            "audit_queued_at": None,
            "audit_started_at": None,
        }
        assert video == video_before[0]
        assert table_rows(conn, "ad_video_audits") == audits_before
        conn.execute(
            text(
                "INSERT INTO ad_videos (id, original_filename, video_path, sha256, size_bytes, "
                "duration, width, height, has_audio, created_at, audit_status, audit_error) "
                "VALUES (3, 'b.mp4', 'cd/y.mp4', :sha, 10, 1, 16, 16, :no, :t, 'failed', "
                "'The speech model cannot be loaded')"
            ),
            {"sha": "c" * 64, "no": False, "t": T0},
        )
    downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
    with db.engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("ad_videos")}
        assert not columns & set(NEW_COLUMNS)
        names = [v["original_filename"] for v in table_rows(conn, "ad_videos")]
        assert names == ["весна.mp4", "b.mp4"]
        assert table_rows(conn, "ad_video_audits") == audits_before
