"""The audit trail: each audited action writes one event, views are counted once an hour, the
admin page filters and exports, and PostgreSQL refuses to change or delete an event."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask_login import login_user
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from qa import MIGRATIONS_DIR, create_app
from qa.extensions import db
from qa.models import AuditEvent, Comment, User
from qa.models._base import utcnow
from qa.services.admin import api_tokens, audit, settings, users
from qa.services.calls import corrections, recordings, trackers, transcripts
from qa.services.pay import plans
from qa.services.quality import comments, disputes, scorecards
from qa.services.quality.reviews import save_review
from qa.services.quality.subjects import subject_for_call
from tests.web import factories
from tests.web.migration_databases import migration_database
from tests.web.test_disputes import REASON, published_shop


def _events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def _user_create(actor: User) -> tuple[str, str, int]:
    user = users.create_user("new@example.com", "New", "long enough pw", "reviewer")
    return "create", "user", user.id


def _user_role(actor: User) -> tuple[str, str, int]:
    target = factories.make_user(role="reviewer")
    users.update_user(target, name="X", role="qa_lead", language=None, active=True)
    return "role_change", "user", target.id


def _user_deactivate(actor: User) -> tuple[str, str, int]:
    target = factories.make_user(role="reviewer")
    users.update_user(target, name="X", role="reviewer", language=None, active=False)
    return "deactivate", "user", target.id


def _settings(actor: User) -> tuple[str, str, int]:
    row = settings.update_company_settings(
        name="Co",
        timezone="Europe/Moscow",
        currency="RUB",
        phone_region="RU",
        lead_link_window_hours=24,
    )
    return "update", "settings", row.id


def _scorecard_create(actor: User) -> tuple[str, str, int]:
    template = scorecards.create_template("Card", "", factories.SCORECARD, actor)
    return "create", "scorecard", template.id


def _scorecard_change(actor: User) -> tuple[str, str, int]:
    template = factories.make_scorecard()
    scorecards.update_template(
        template,
        name="Renamed",
        description="",
        active=True,
        definition=factories.SCORECARD,
        user=actor,
    )
    return "update", "scorecard", template.id


def _review(actor: User) -> tuple[str, str, int]:
    template = factories.make_scorecard()
    call = factories.make_call()
    review = save_review(
        subject_for_call(call),
        template.current,
        actor,
        values={"greet": "yes", "needs": "3", "price": "no"},
        comments={},
        comment=None,
    )
    return "create", "review", review.id


def _finding_corrected(actor: User) -> tuple[str, str, int]:
    call = factories.make_call()
    segment = factories.make_segment(call, speaker="customer", text="Это дорого")
    finding = factories.make_finding(call, segment_id=segment.id, label="price", text="дорого")
    db.session.refresh(finding)
    row = corrections.mark_wrong(finding, actor)
    return "create", "finding_correction", row.id


def _glossary_delete(actor: User) -> tuple[str, str, int]:
    term = trackers.save_term(None, text="Ипотека", misheard=None, kind="product")
    term_id = term.id
    trackers.delete_term(term)
    return "delete", "glossary_term", term_id


def _token_revoke(actor: User) -> tuple[str, str, int]:
    token, _plain = api_tokens.create_token("CRM", actor)
    api_tokens.revoke_token(token)
    return "revoke", "api_token", token.id


def _pay_plan(actor: User) -> tuple[str, str, int]:
    indicator = {"weight": "100", "threshold": "10000", "target": "20000", "stretch": "60000",
                 "threshold_pays": "2", "target_pays": "3", "stretch_pays": "4",
                 "accelerator": "1.5", "penalty": "10"}
    saved = plans.save_plan(
        "seller", date(2026, 1, 1), {"fixed": "25000", "variable": "10000", "cap": "20000",
                                     "max_reduction": "50"},
        [{"key": "revenue", "pay": "revenue_percent", **indicator}], actor,
    )
    return "create", "pay_plan", saved.plan.id


ACTIONS: list[Callable[[User], tuple[str, str, int]]] = [
    _user_create,
    _user_role,
    _user_deactivate,
    _settings,
    _scorecard_create,
    _scorecard_change,
    _review,
    _finding_corrected,
    _glossary_delete,
    _token_revoke,
    _pay_plan,
]


@pytest.mark.parametrize("action", ACTIONS, ids=lambda f: f.__name__.strip("_"))
def test_each_audited_action_writes_one_event(app: Flask, action: Any) -> None:
    actor = factories.make_user(role="admin", name="Анна", email="anna@example.com")
    db.session.commit()
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "203.0.113.7"}):
        login_user(actor)
        before = {e.id for e in _events()}
        expected = action(actor)
        db.session.commit()
    new = [e for e in _events() if e.id not in before]
    assert [(e.action, e.object_type, e.object_id) for e in new] == [expected]
    event = new[0]
    assert (event.actor_id, event.actor_name, event.actor_email, event.ip) == (
        actor.id,
        "Анна",
        "anna@example.com",
        "203.0.113.7",
    )


def test_event_outlives_its_actor(app: Flask) -> None:
    actor = factories.make_user(role="admin", name="Gone", email="gone@example.com")
    db.session.commit()
    with app.test_request_context("/"):
        login_user(actor)
        audit.record("update", "settings", 1, "x")
        db.session.commit()
    db.session.delete(actor)
    db.session.commit()
    (event,) = _events()
    assert (event.actor_name, event.actor_email) == ("Gone", "gone@example.com")


def test_transcript_view_is_recorded_once_an_hour(client, login) -> None:
    user = login.as_role("reviewer")
    call = factories.make_call()
    factories.make_segment(call)
    db.session.commit()
    for _ in range(3):
        assert client.get(f"/calls/{call.id}").status_code == 200
    views = [e for e in _events() if e.action == "view"]
    assert [(e.object_type, e.object_id, e.actor_id) for e in views] == [
        ("call_transcript", call.id, user.id)
    ]
    # An hour later the next view counts again.
    db.session.execute(
        text("UPDATE audit_events SET at = :at"), {"at": utcnow() - timedelta(hours=1, minutes=1)}
    )
    db.session.commit()
    client.get(f"/calls/{call.id}")
    assert len([e for e in _events() if e.action == "view"]) == 2


def test_recording_view_is_recorded_per_user(app: Flask, tmp_path) -> None:
    first, second = factories.make_user(), factories.make_user()
    call = factories.make_call()
    db.session.commit()
    for user in (first, second, first):
        with app.test_request_context("/"):
            login_user(user)
            recordings.listened(call.id, call.recording_path, str(tmp_path))
            db.session.commit()
    views = [(e.object_type, e.actor_id) for e in _events()]
    assert views == [("call_recording", first.id), ("call_recording", second.id)]


def test_transcript_export_is_a_view(app: Flask) -> None:
    user = factories.make_user()
    call = factories.make_call()
    factories.make_segment(call)
    db.session.commit()
    with app.test_request_context("/"):
        login_user(user)
        transcripts.export_transcript(call, "txt")
        db.session.commit()
    assert [(e.action, e.object_type, e.details) for e in _events()] == [
        ("view", "call_transcript", {"export": "txt"})
    ]


def _seed() -> tuple[User, User]:
    anna = factories.make_user(role="admin", name="Анна", email="anna@example.com")
    boris = factories.make_user(role="qa_lead", name="Boris", email="boris@example.com")
    db.session.add_all(
        [
            AuditEvent(
                actor_id=anna.id,
                actor_name="Анна",
                actor_email="anna@example.com",
                action="delete",
                object_type="glossary_term",
                object_id=5,
                summary='=HYPERLINK("http://evil.example")',
                details={},
            ),
            AuditEvent(
                actor_id=boris.id,
                actor_name="Boris",
                actor_email="boris@example.com",
                action="update",
                object_type="scorecard",
                object_id=9,
                summary="Card",
                details={"version": 2},
                at=utcnow() - timedelta(days=10),
            ),
        ]
    )
    db.session.commit()
    return anna, boris


def test_page_filters(client, login) -> None:
    login.as_role("admin")
    _seed()
    page = client.get("/admin/audit").get_data(as_text=True)
    assert page.count('class="audit-row"') == 2
    for query, shown in [
        ("actor=boris", ["Card"]),
        ("action=delete", ["HYPERLINK"]),
        ("object_type=scorecard&object_id=9", ["Card"]),
        ("object_id=5", ["HYPERLINK"]),
        (f"date_from={(utcnow() - timedelta(days=2)).date()}", ["HYPERLINK"]),
    ]:
        body = client.get(f"/admin/audit?{query}").get_data(as_text=True)
        assert body.count('class="audit-row"') == len(shown), query
        assert all(text_ in body for text_ in shown), query


def test_export_is_filtered_and_formula_safe(client, login) -> None:
    login.as_role("admin")
    _seed()
    response = client.get("/admin/audit.csv?action=delete")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 2
    assert rows[1][2:4] == ["Анна", "anna@example.com"]
    assert rows[1][7].startswith("'=HYPERLINK")


@pytest.mark.parametrize("role", ["qa_lead", "reviewer", "marketing", "employee"])
def test_non_admins_are_refused(client, login, role: str) -> None:
    login.as_role(role)
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit.csv").status_code == 403


@pytest.mark.postgres
def test_postgres_refuses_changing_or_deleting_events(tmp_path) -> None:
    """0024_audit_trail's trigger: rows can be added, never updated, deleted or truncated; and
    the migration goes back down cleanly."""
    with migration_database("postgresql", tmp_path, "audit") as uri:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": uri})
        with app.app_context():
            try:
                upgrade(directory=MIGRATIONS_DIR, revision="0024_audit_trail")
                with db.engine.begin() as conn:
                    conn.execute(
                        text(
                            "INSERT INTO audit_events (at, actor_name, actor_email, action, "
                            "object_type, summary, details) VALUES (now(), 'A', 'a@example.com', "
                            "'delete', 'comment', '', '{}')"
                        )
                    )
                for statement in (
                    "UPDATE audit_events SET summary = 'x'",
                    "DELETE FROM audit_events",
                    "TRUNCATE audit_events",
                ):
                    with (
                        pytest.raises(DBAPIError, match="append-only"),
                        db.engine.begin() as conn,
                    ):
                        conn.execute(text(statement))
                with db.engine.begin() as conn:
                    assert conn.execute(text("SELECT summary FROM audit_events")).all() == [("",)]
                downgrade(directory=MIGRATIONS_DIR, revision="0023_ad_videos")
                with db.engine.begin() as conn:
                    assert conn.execute(text("SELECT to_regclass('audit_events')")).scalar() is None
            finally:
                db.session.remove()
                db.engine.dispose()


def test_dispute_raised_and_decided_and_comment_deleted(app: Flask) -> None:
    shop, review, manager = published_shop()
    lead = db.session.scalar(select(User).where(User.role == "qa_lead"))
    with app.test_request_context("/"):
        login_user(manager)
        dispute = disputes.raise_dispute(review, "price", REASON, manager)
        db.session.commit()
    with app.test_request_context("/"):
        login_user(lead)
        disputes.resolve(dispute, "rejected", "Listened: no offer.", lead)
        comment = Comment(review_id=review.id, item_key="price", author_id=lead.id, body="x")
        db.session.add(comment)
        db.session.flush()
        comments.delete_comment(comment, lead)
        db.session.commit()
    assert [(e.action, e.object_type, e.object_id, e.actor_id) for e in _events()][-3:] == [
        ("create", "dispute", dispute.id, manager.id),
        ("decide", "dispute", dispute.id, lead.id),
        ("delete", "comment", comment.id, lead.id),
    ]
