"""0005_review_subjects on real rows: every review, revision, assignment and calibration item
survives with the same content and points at the subject of its former call; and back down.

The database is built at 0004 by Alembic and filled with raw SQL, as a production database
would be, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from qa import MIGRATIONS_DIR
from qa.extensions import db
from qa.models import ReviewSubject
from tests.web.factories import SCORECARD
from tests.web.migration_databases import migration_app, table_rows

BEFORE = "0004_dashboard_indexes"
T0 = datetime(2026, 11, 2, 10, 0)
ANSWERS = {"greet": {"value": "yes"}, "needs": {"value": 3, "comment": "уточнил бюджет"},
           "price": {"value": "na"}}

# (id, call_id, reviewer_id, calibration_session_id, score, version)
REVIEWS = [
    (100, 10, 2, None, 75.0, 2),
    # a triple click on "save" stored three copies of Boris's review of call 11
    (101, 11, 3, None, 50.0, 1),
    (102, 11, 3, None, 50.0, 1),
    (103, 11, 3, None, 50.0, 1),
    (104, 10, 3, 1, 80.0, 1),
    (105, 10, 2, 1, 90.0, 1),
    (106, 13, 2, 1, None, 1),
]
# (id, call_id, reviewer_id, rule_id, status, review_id)
ASSIGNMENTS = [(200, 10, 2, 1, "done", 100), (201, 14, 3, 1, "open", None),
               (202, 11, 3, None, "done", 103)]
# call id -> (agent id, called_at, created_at)
CALLS = {
    10: (1, T0, datetime(2026, 11, 2, 12, 0)),
    11: (2, None, datetime(2026, 11, 3, 9, 0)),
    12: (1, T0, T0),  # nobody reviewed, queued or calibrated it: it gets no subject
    13: (None, datetime(2026, 11, 4, 8, 30), T0),
    14: (2, datetime(2026, 11, 5, 16, 45), T0),
}


def _fill(conn: Connection) -> None:
    run = conn.execute
    for user_id, name, role in ((1, "Lead", "qa_lead"), (2, "Анна", "reviewer"),
                                (3, "Boris", "reviewer")):
        run(text("INSERT INTO users (id, email, name, password_hash, role, is_active_user, "
                 "failed_logins, created_at) VALUES (:id, :email, :name, 'x', :role, :yes, 0, "
                 ":t)"), {"id": user_id, "email": f"u{user_id}@example.com", "name": name,
                           "role": role, "yes": True, "t": T0})
    for agent_id in (1, 2):
        run(text("INSERT INTO agents (id, name, active, created_at) VALUES (:id, :name, :yes, "
                 ":t)"), {"id": agent_id, "name": f"Agent {agent_id}", "yes": True, "t": T0})
    for call_id, (agent_id, called_at, created_at) in CALLS.items():
        run(text("INSERT INTO calls (id, original_filename, recording_path, sha256, size_bytes, "
                 "agent_channel, status, agent_id, called_at, created_at) VALUES (:id, :f, :f, "
                 ":sha, 1000, 'left', 'transcribed', :agent, :called, :created)"),
            {"id": call_id, "f": f"call-{call_id}.wav", "sha": f"{call_id:064d}",
             "agent": agent_id, "called": called_at, "created": created_at})
    run(text("INSERT INTO scorecard_templates (id, name, active, created_at) "
             "VALUES (1, 'Продажи', :yes, :t)"), {"yes": True, "t": T0})
    run(text("INSERT INTO scorecard_versions (id, template_id, number, definition, created_at) "
             "VALUES (1, 1, 1, :d, :t)"), {"d": json.dumps(SCORECARD), "t": T0})
    run(text("INSERT INTO sampling_rules (id, name, kind, count, period, active, template_id, "
             "created_at) VALUES (1, 'Weekly', 'random_per_agent', 2, 'week', :yes, 1, :t)"),
        {"yes": True, "t": T0})
    run(text("INSERT INTO calibration_sessions (id, name, scorecard_version_id, consensus, "
             "status, created_at) VALUES (1, 'Март', 1, 'median', 'open', :t)"), {"t": T0})
    for call_id in (10, 13):
        run(text("INSERT INTO calibration_calls (session_id, call_id) VALUES (1, :c)"),
            {"c": call_id})
    for user_id in (2, 3):
        run(text("INSERT INTO calibration_participants (session_id, user_id) VALUES (1, :u)"),
            {"u": user_id})
    for review_id, call_id, reviewer_id, session_id, score, version in REVIEWS:
        run(text("INSERT INTO reviews (id, call_id, scorecard_version_id, reviewer_id, status, "
                 "calibration_session_id, answers, comment, score, failed_critical, version, "
                 "created_at, updated_at) VALUES (:id, :call, 1, :reviewer, 'submitted', "
                 ":session, :answers, :comment, :score, :no, :version, :t, :t)"),
            {"id": review_id, "call": call_id, "reviewer": reviewer_id, "session": session_id,
             "answers": json.dumps(ANSWERS, ensure_ascii=False), "comment": f"Отзыв {review_id}",
             "score": score, "no": False, "version": version, "t": T0})
        for n in range(version):
            run(text("INSERT INTO review_revisions (id, review_id, user_id, created_at, answers, "
                     "comment, score) VALUES (:id, :review, :user, :t, :answers, :comment, "
                     ":score)"),
                {"id": review_id * 10 + n, "review": review_id, "user": reviewer_id, "t": T0,
                 "answers": json.dumps(ANSWERS), "comment": f"r{n}", "score": score})
    for assignment_id, call_id, reviewer_id, rule_id, status, review_id in ASSIGNMENTS:
        run(text("INSERT INTO review_assignments (id, call_id, reviewer_id, rule_id, template_id, "
                 "status, review_id, created_at) VALUES (:id, :call, :reviewer, :rule, 1, "
                 ":status, :review, :t)"),
            {"id": assignment_id, "call": call_id, "reviewer": reviewer_id, "rule": rule_id,
             "status": status, "review": review_id, "t": T0})



@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_subjects_migration_keeps_every_row(kind: str, tmp_path: Path) -> None:
    with migration_app(kind, tmp_path, "subjects"):
        _check_round_trip()


def _check_round_trip() -> None:
    upgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
    with db.engine.begin() as conn:
        _fill(conn)
    with db.engine.connect() as conn:
        reviews = table_rows(conn, "reviews")
        revisions = table_rows(conn, "review_revisions")
        assignments = table_rows(conn, "review_assignments")
        participants = table_rows(conn, "calibration_participants")

    upgrade(directory=MIGRATIONS_DIR)
    # Read through the model, which also shows it understands the migrated rows.
    subjects = {s.call_id: s for s in db.session.scalars(select(ReviewSubject))}
    assert sorted(subjects) == [10, 11, 13, 14]
    for call_id, subject in subjects.items():
        agent_id, called_at, created_at = CALLS[call_id]
        assert (subject.kind, subject.agent_id, subject.occurred_at) == (
            "call", agent_id, called_at or created_at
        )
    subject_ids = {call_id: subject.id for call_id, subject in subjects.items()}
    db.session.rollback()
    with db.engine.connect() as conn:

        after = table_rows(conn, "reviews")
        assert [r["id"] for r in after] == [r["id"] for r in reviews]
        duplicates = {101, 102}
        for old, new in zip(reviews, after, strict=True):
            assert new["subject_id"] == subject_ids[old["call_id"]]
            assert new["status"] == ("duplicate" if old["id"] in duplicates else "submitted")
            same = {k: v for k, v in old.items() if k not in ("call_id", "status")}
            assert {k: new[k] for k in same} == same
        assert table_rows(conn, "review_revisions") == revisions
        assert table_rows(conn, "calibration_participants") == participants

        moved = table_rows(conn, "review_assignments")
        for old, new in zip(assignments, moved, strict=True):
            assert new["subject_id"] == subject_ids[old["call_id"]]
            same = {k: v for k, v in old.items() if k != "call_id"}
            assert {k: new[k] for k in same} == same
        assert table_rows(conn, "calibration_items") == [
            {"session_id": 1, "subject_id": subject_ids[10]},
            {"session_id": 1, "subject_id": subject_ids[13]},
        ]

    # The new rule holds in the database: no second regular review of call 10 by Анна.
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO reviews (subject_id, scorecard_version_id, reviewer_id, status, "
                 "answers, failed_critical, version, created_at, updated_at) VALUES (:s, 1, 2, "
                 "'submitted', '{}', :no, 1, :t, :t)"),
            {"s": subject_ids[10], "no": False, "t": T0},
        )

    downgrade(directory=MIGRATIONS_DIR, revision=BEFORE)
    with db.engine.connect() as conn:
        restored = table_rows(conn, "reviews")
        assert restored == [{**r, "status": "submitted"} for r in reviews]
        assert table_rows(conn, "review_revisions") == revisions
        assert table_rows(conn, "review_assignments") == assignments
        assert table_rows(conn, "calibration_calls") == [
            {"session_id": 1, "call_id": 10}, {"session_id": 1, "call_id": 13}
        ]
    upgrade(directory=MIGRATIONS_DIR)
