"""0006_normalise_call_phones on real rows, on SQLite and PostgreSQL: typed phones become E.164."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from qa import MIGRATIONS_DIR, create_app
from qa.extensions import db
from tests.conftest import require_or_skip
from tests.pg import throwaway_database
from tests.web.test_migrations import POSTGRES_URL, _postgres_available

BEFORE = "0004_dashboard_indexes"
NOW = datetime(2026, 4, 1, 10, 0)

CALL_PHONES = {
    1: ("+7 916 111-00-01", "+79161110001"),  # as typed in the browser
    2: ("8 (916) 111-00-02", "+79161110002"),  # national format, read in the company region
    3: ("+79161110003", "+79161110003"),  # already normalised
    4: ("call me maybe", "call me maybe"),  # not a number: kept as typed, nothing is lost
    5: (None, None),
    6: ("+44 20 7946 0958", "+442079460958"),  # another country's number keeps its code
}
LEAD_PHONES = {
    1: ("8 916 111 00 01", "+79161110001"),
    2: ("+79161110002", "+79161110002"),
    3: ("12", "12"),
}


def _migrate_rows(uri: str, region: str | None = "RU") -> tuple[dict[int, str], dict[int, str]]:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
        with db.engine.begin() as conn:
            if region:
                conn.execute(
                    text(
                        "INSERT INTO company_settings (id, name, timezone, currency, phone_region,"
                        " lead_link_window_hours, mass_view_lead_red, mass_view_lead_green,"
                        " targeted_view_lead_red, targeted_view_lead_green, lead_sale_red,"
                        " lead_sale_green_above, updated_at)"
                        " VALUES (1, 'Shop', 'Europe/Moscow', 'RUB', :region, 24, 5, 10, 20, 30,"
                        " 60, 70, :now)"
                    ),
                    {"region": region, "now": NOW},
                )
            for lead_id, (phone, _after) in LEAD_PHONES.items():
                conn.execute(
                    text(
                        "INSERT INTO leads (id, created_at, phone, channel, status, updated_at)"
                        " VALUES (:id, :now, :phone, 'call', 'new', :now)"
                    ),
                    {"id": lead_id, "phone": phone, "now": NOW},
                )
            for call_id, (phone, _after) in CALL_PHONES.items():
                conn.execute(
                    text(
                        "INSERT INTO calls (id, original_filename, recording_path, sha256,"
                        " size_bytes, agent_channel, status, phone, called_at, created_at,"
                        " lead_id) VALUES (:id, 'c.wav', :path, :sha, 10, 'left', 'transcribed',"
                        " :phone, :now, :now, :lead)"
                    ),
                    {"id": call_id, "path": f"0{call_id}/c.wav", "sha": f"{call_id:064d}",
                     "phone": phone, "now": NOW, "lead": 1 if call_id == 1 else None},
                )
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as conn:
            calls = dict(conn.execute(text("SELECT id, phone FROM calls")).all())
            leads = dict(conn.execute(text("SELECT id, phone FROM leads")).all())
            kept = conn.execute(text("SELECT lead_id, status FROM calls WHERE id = 1")).one()
        db.engine.dispose()
    assert tuple(kept) == (1, "transcribed")  # the rest of the row is untouched
    return calls, leads


def _assert_normalised(calls: dict[int, str], leads: dict[int, str]) -> None:
    assert calls == {call_id: after for call_id, (_before, after) in CALL_PHONES.items()}
    assert leads == {lead_id: after for lead_id, (_before, after) in LEAD_PHONES.items()}


def test_phones_are_normalised_on_sqlite(tmp_path: Path) -> None:
    _assert_normalised(*_migrate_rows(f"sqlite:///{tmp_path / 'phones.sqlite3'}"))


def test_without_saved_settings_the_default_region_applies(tmp_path: Path) -> None:
    _assert_normalised(*_migrate_rows(f"sqlite:///{tmp_path / 'phones.sqlite3'}", region=None))


def test_the_company_region_reads_national_numbers(tmp_path: Path) -> None:
    calls, _leads = _migrate_rows(f"sqlite:///{tmp_path / 'phones.sqlite3'}", region="GB")
    assert calls[1] == "+79161110001"  # an international number is the same in any region
    assert calls[2] == "8 (916) 111-00-02"  # not a valid British number: kept as typed
    assert calls[6] == "+442079460958"


@pytest.mark.postgres
def test_phones_are_normalised_on_postgres() -> None:
    require_or_skip(_postgres_available(), f"PostgreSQL does not answer at {POSTGRES_URL}")
    with throwaway_database(POSTGRES_URL, "qa_phones") as url:
        _assert_normalised(*_migrate_rows(url))
