"""0010_objection_corrections on real rows: stored findings and settings keep their values (no
model version, the model's own thresholds), corrections and ad marks can be stored against
them, a replaced finding leaves its correction in place; and back down.

The database is built at 0009 by Alembic and filled with raw SQL, on SQLite and PostgreSQL.
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

BEFORE = "0009_user_session_version"
AFTER = "0010_objection_corrections"
T0 = datetime(2026, 12, 1, 10, 0)


def _fill(conn: Connection) -> None:
    run = conn.execute
    run(
        text(
            "INSERT INTO users (id, email, name, password_hash, role, is_active_user, "
            "failed_logins, created_at) VALUES (1, 'r@example.com', 'Рита', 'x', 'reviewer', "
            ":yes, 0, :t)"
        ),
        {"yes": True, "t": T0},
    )
    run(
        text(
            "INSERT INTO calls (id, original_filename, recording_path, sha256, size_bytes, "
            "agent_channel, status, language, created_at) VALUES (10, 'c.wav', 'c.wav', :sha, "
            "1000, 'left', 'transcribed', 'ru', :t)"
        ),
        {"sha": "0" * 64, "t": T0},
    )
    run(
        text(
            'INSERT INTO transcript_segments (id, call_id, position, speaker, start, "end", '
            "text, machine_text, words, suspect) VALUES (20, 10, 0, 'customer', 0, 2, "
            ":text, :text, '[]', :no)"
        ),
        {"text": "Это дорого.", "no": False},
    )
    run(
        text(
            "INSERT INTO findings (id, call_id, segment_id, label, rule_id, score, start_char, "
            "end_char, text, time_start, time_end, speaker_unknown, created_at) VALUES (30, 10, "
            "20, 'price', 'price.too_expensive', 0.9, 4, 10, 'дорого', 0, 2, :no, :t)"
        ),
        {"no": False, "t": T0},
    )
    run(
        text(
            "INSERT INTO company_settings (id, name, timezone, currency, phone_region, "
            "lead_link_window_hours, mass_view_lead_red, mass_view_lead_green, "
            "targeted_view_lead_red, targeted_view_lead_green, lead_sale_red, "
            "lead_sale_green_above, updated_at) VALUES (1, 'Салон', 'Europe/Moscow', 'RUB', "
            "'RU', 24, 5, 10, 20, 30, 60, 70, :t)"
        ),
        {"t": T0},
    )
    run(
        text(
            "INSERT INTO ad_texts (id, text, lang, extra, created_at) VALUES (40, 'Скидка', "
            "'ru', '{}', :t)"
        ),
        {"t": T0},
    )
    run(
        text(
            "INSERT INTO ad_audits (id, ad_text_id, has_offer, has_deadline, has_cta, "
            "deadline_expired, result, created_at) VALUES (50, 40, :yes, :no, :no, :no, '{}', "
            ":t)"
        ),
        {"yes": True, "no": False, "t": T0},
    )



@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_corrections_migration_round_trip(kind: str, tmp_path: Path) -> None:
    with migration_app(kind, tmp_path, "corrections"):
        _check_round_trip()


def _check_round_trip() -> None:
    upgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
    with db.engine.begin() as conn:
        _fill(conn)
        findings_before = table_rows(conn, "findings")
        settings_before = table_rows(conn, "company_settings")
    # Up to this migration only: later ones add columns of their own.
    upgrade(directory=MIGRATIONS_DIR, revision=AFTER)
    with db.engine.begin() as conn:
        [finding] = table_rows(conn, "findings")
        assert finding.pop("model_version") is None
        assert finding == findings_before[0]
        [settings] = table_rows(conn, "company_settings")
        assert settings.pop("objection_threshold_price") is None
        assert settings.pop("objection_threshold_assortment") is None
        assert settings == settings_before[0]
        conn.execute(
            text(
                "INSERT INTO objection_corrections (id, call_id, segment_id, finding_id, kind, "
                "label, start_char, end_char, text, segment_text, lang, status, created_by_id, "
                "created_at) "
                "VALUES (1, 10, 20, 30, 'wrong', 'price', 4, 10, 'дорого', 'Это дорого.', 'ru', "
                "'pending', 1, :t)"
            ),
            {"t": T0},
        )
        conn.execute(
            text(
                "INSERT INTO ad_audit_marks (id, audit_id, element, kind, note, "
                "created_by_id, created_at) VALUES (1, 50, 'erid', 'missed', NULL, 1, "
                ":t)"
            ),
            {"t": T0},
        )
    # Re-analysis replaces findings: the correction stays, without its finding.
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM findings WHERE id = 30"))
    with db.engine.begin() as conn:
        [correction] = table_rows(conn, "objection_corrections")
        assert correction["finding_id"] is None
        assert correction["segment_text"] == "Это дорого."
        assert [m["element"] for m in table_rows(conn, "ad_audit_marks")] == ["erid"]
    downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
    with db.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        assert "objection_corrections" not in tables
        assert "ad_audit_marks" not in tables
        assert "model_version" not in {c["name"] for c in inspect(conn).get_columns("findings")}
        assert [s["name"] for s in table_rows(conn, "company_settings")] == ["Салон"]
