"""Who may open what: every route of the URL map against the policy written out here.

The table below is the expectation, deliberately not derived from qa/roles.py: a change to the
roles table that opens an area to another role must show up here as a failing test and be
edited on purpose. A route missing from the table fails too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from qa import create_app
from qa.extensions import db
from qa.models import Call, SamplingRule, TranscriptionJob, User
from tests.web import factories, isolated, world

ADMIN, LEAD, REVIEWER, MARKETING = "admin", "qa_lead", "reviewer", "marketing"
SHOPPER, LOCATION_MANAGER, EMPLOYEE = "shopper", "location_manager", "employee"
ROLES = (ADMIN, LEAD, REVIEWER, MARKETING, SHOPPER, LOCATION_MANAGER, EMPLOYEE)
EVERYONE = frozenset(ROLES)
# Staff: everyone but mystery shoppers, location managers and employees, who see only their own
# pages.
STAFF = frozenset({ADMIN, LEAD, REVIEWER, MARKETING})
SHOPPERS = frozenset({ADMIN, SHOPPER})
LOCATION_MANAGERS = frozenset({ADMIN, LOCATION_MANAGER})
EMPLOYEES = frozenset({ADMIN, EMPLOYEE})
# Features staff use on any call and an employee on their own calls only (checked per object).
STAFF_AND_EMPLOYEES = STAFF | {EMPLOYEE}
QA_TEAM = frozenset({ADMIN, LEAD, REVIEWER})
QA_LEADS = frozenset({ADMIN, LEAD})
MARKETERS = frozenset({ADMIN, MARKETING})
ADMINS = frozenset({ADMIN})
# Markers for the routes no session role decides.
PUBLIC = "public"  # anyone, logged in or not
API = "api"  # a bearer token only: session cookies never count

POLICY: dict[tuple[str, str], frozenset[str] | str] = {
    # Pay: plans, the team's statements, approval and payroll export are admins'; an employee
    # opens their own pay (the service shows them only their own approved statements).
    ("pay.index", "GET"): ADMINS,
    ("pay.calculate", "POST"): ADMINS,
    ("pay.export", "POST"): ADMINS,
    ("pay.plans", "GET"): ADMINS,
    ("pay.plans", "POST"): ADMINS,
    ("pay.approve", "POST"): ADMINS,
    ("pay.resolve", "POST"): ADMINS,
    ("pay.appointments", "GET"): ADMINS,
    ("pay.import_preview", "POST"): ADMINS,
    ("pay.import_confirm", "POST"): ADMINS,
    ("pay.mine", "GET"): EMPLOYEES,
    ("pay.statement", "GET"): EMPLOYEES,
    ("pay.sources", "GET"): EMPLOYEES,
    ("pay.dispute", "POST"): EMPLOYEES,
    ("home", "GET"): EVERYONE,
    ("static", "GET"): PUBLIC,
    ("bootstrap.static", "GET"): PUBLIC,
    ("auth.login", "GET"): PUBLIC,
    # Load balancers and monitors: liveness and readiness answer anyone.
    ("ops.healthz", "GET"): PUBLIC,
    ("ops.readyz", "GET"): PUBLIC,
    # No session decides: the client's address or a bearer token (tests/web/test_metrics.py).
    ("ops.metrics_page", "GET"): PUBLIC,
    ("auth.login", "POST"): PUBLIC,
    ("auth.logout", "POST"): EVERYONE,
    ("auth.account", "GET"): EVERYONE,
    ("auth.account", "POST"): EVERYONE,
    # Calls and transcripts: everyone reads, the QA team changes.
    ("calls.index", "GET"): STAFF,
    ("calls.detail", "GET"): STAFF,
    ("calls.status", "GET"): STAFF,
    ("calls.export", "GET"): STAFF,
    ("calls.recording", "GET"): STAFF,
    ("calls.segment", "GET"): STAFF,
    ("calls.segment", "POST"): QA_TEAM,
    ("calls.revert", "POST"): QA_TEAM,
    ("calls.split", "POST"): QA_TEAM,
    ("calls.merge", "POST"): QA_TEAM,
    ("calls.undo", "POST"): QA_TEAM,
    ("calls.assign_speakers", "POST"): QA_TEAM,
    ("calls.swap_roles", "POST"): QA_TEAM,
    ("calls.cancel", "POST"): QA_TEAM,
    ("calls.retry", "POST"): QA_TEAM,
    ("calls.upload", "GET"): QA_TEAM,
    ("calls.upload", "POST"): QA_TEAM,
    ("leads.link_call", "POST"): QA_TEAM,
    ("leads.unlink_call", "POST"): QA_TEAM,
    ("search.index", "GET"): STAFF,
    ("agents.index", "GET"): STAFF,
    ("agents.detail", "GET"): STAFF,
    ("agents.set_location", "POST"): QA_LEADS,
    # Employee accounts: an administrator invites agents and imports staff.
    ("agents.invite", "POST"): ADMINS,
    ("agents.import_preview", "POST"): ADMINS,
    ("agents.import_confirm", "POST"): ADMINS,
    # An employee's own work (an admin opens the pages too, and sees only their own).
    ("my_work.overview", "GET"): EMPLOYEES,
    ("my_work.call", "GET"): EMPLOYEES,
    ("my_work.recording", "GET"): EMPLOYEES,
    ("my_work.review", "GET"): EMPLOYEES,
    ("my_work.acknowledge", "POST"): EMPLOYEES,
    ("my_work.dispute", "POST"): EMPLOYEES,
    # Reviews: the QA team; sampling rules and scorecards: QA leads.
    ("reviews.index", "GET"): QA_TEAM,
    ("reviews.queue", "GET"): QA_TEAM,
    ("reviews.detail", "GET"): QA_TEAM,
    ("reviews.submit", "GET"): QA_TEAM,
    ("reviews.submit", "POST"): QA_TEAM,
    ("reviews.save_draft", "POST"): QA_TEAM,
    ("reviews.sampling", "GET"): QA_LEADS,
    ("reviews.sampling", "POST"): QA_LEADS,
    ("reviews.sampling_edit", "GET"): QA_LEADS,
    ("reviews.sampling_edit", "POST"): QA_LEADS,
    ("reviews.sampling_run_all", "POST"): QA_LEADS,
    ("reviews.sampling_run_rule", "POST"): QA_LEADS,
    ("scorecards.index", "GET"): QA_LEADS,
    ("scorecards.detail", "GET"): QA_LEADS,
    ("scorecards.new", "GET"): QA_LEADS,
    ("scorecards.new", "POST"): QA_LEADS,
    ("scorecards.edit", "GET"): QA_LEADS,
    ("scorecards.edit", "POST"): QA_LEADS,
    ("trackers.index", "GET"): QA_LEADS,
    ("trackers.new", "POST"): QA_LEADS,
    ("trackers.edit", "GET"): QA_LEADS,
    ("trackers.edit", "POST"): QA_LEADS,
    ("trackers.toggle", "POST"): QA_LEADS,
    ("trackers.glossary_new", "POST"): QA_LEADS,
    ("trackers.glossary_edit", "GET"): QA_LEADS,
    ("trackers.glossary_edit", "POST"): QA_LEADS,
    ("trackers.glossary_delete", "POST"): QA_LEADS,
    # Corrections of objection flags: the QA team marks, QA leads decide and export.
    ("corrections.mark_wrong", "POST"): QA_TEAM,
    ("corrections.mark_missed", "POST"): QA_TEAM,
    ("corrections.index", "GET"): QA_LEADS,
    ("corrections.decide", "POST"): QA_LEADS,
    ("corrections.export", "GET"): QA_LEADS,
    # Coaching: the QA team keeps examples and reads the library, QA leads assign them, an
    # employee sees their own (another's assignment is not found).
    ("coaching.new", "GET"): QA_TEAM,
    ("coaching.new", "POST"): QA_TEAM,
    ("coaching.library", "GET"): QA_TEAM,
    ("coaching.assign", "GET"): QA_LEADS,
    ("coaching.assign", "POST"): QA_LEADS,
    ("coaching.assignments", "GET"): QA_LEADS,
    ("coaching.mine", "GET"): EMPLOYEES,
    ("coaching.mine_detail", "GET"): EMPLOYEES,
    ("coaching.mine_recording", "GET"): EMPLOYEES,
    ("coaching.mark_seen", "POST"): EMPLOYEES,
    # Transcription jobs: QA leads watch the queue, cancel and retry.
    ("jobs.index", "GET"): QA_LEADS,
    ("jobs.cancel", "POST"): QA_LEADS,
    ("jobs.retry", "POST"): QA_LEADS,
    # Calibration: leads run sessions, those taking part score (here all of the QA team does).
    ("calibration.index", "GET"): QA_TEAM,
    ("calibration.detail", "GET"): QA_TEAM,
    ("calibration.report", "GET"): QA_TEAM,
    ("calibration.score", "GET"): QA_TEAM,
    ("calibration.score", "POST"): QA_TEAM,
    ("calibration.new", "GET"): QA_LEADS,
    ("calibration.new", "POST"): QA_LEADS,
    ("calibration.close", "POST"): QA_LEADS,
    # Marketing.
    ("ads.index", "GET"): MARKETERS,
    ("ads.new", "GET"): MARKETERS,
    ("ads.new", "POST"): MARKETERS,
    ("ads.check", "POST"): MARKETERS,
    ("ads.detail", "GET"): MARKETERS,
    ("ads.reaudit", "POST"): MARKETERS,
    ("ads.mark", "POST"): MARKETERS,
    ("ads.marks", "GET"): MARKETERS,
    ("ads.marks_export", "GET"): MARKETERS,
    ("ads.batch", "GET"): MARKETERS,
    ("ads.batch", "POST"): MARKETERS,
    ("ads.batch_results", "GET"): MARKETERS,
    ("ads.batch_download", "GET"): MARKETERS,
    ("ads.videos", "GET"): MARKETERS,
    ("ads.videos", "POST"): MARKETERS,
    ("ads.video_detail", "GET"): MARKETERS,
    ("ads.video_file", "GET"): MARKETERS,
    ("ads.video_thumbnail", "GET"): MARKETERS,
    ("ads.video_reaudit", "POST"): MARKETERS,
    ("ads.video_status", "GET"): MARKETERS,
    ("campaigns.index", "GET"): MARKETERS,
    ("campaigns.new", "GET"): MARKETERS,
    ("campaigns.new", "POST"): MARKETERS,
    ("campaigns.detail", "GET"): MARKETERS,
    ("campaigns.edit", "GET"): MARKETERS,
    ("campaigns.edit", "POST"): MARKETERS,
    ("campaigns.import_csv", "POST"): MARKETERS,
    ("leads.index", "GET"): MARKETERS,
    ("leads.import_preview", "POST"): MARKETERS,
    ("leads.import_confirm", "POST"): MARKETERS,
    ("dashboard.index", "GET"): MARKETERS,
    ("dashboard.drill", "GET"): MARKETERS,
    ("dashboard.export", "GET"): MARKETERS,
    # Administration.
    ("admin.users", "GET"): ADMINS,
    ("admin.user_new", "GET"): ADMINS,
    ("admin.user_new", "POST"): ADMINS,
    ("admin.user_edit", "GET"): ADMINS,
    ("admin.user_edit", "POST"): ADMINS,
    ("admin.settings", "GET"): ADMINS,
    ("admin.settings", "POST"): ADMINS,
    ("admin.api_tokens_page", "GET"): ADMINS,
    ("admin.api_tokens_page", "POST"): ADMINS,
    ("admin.api_token_revoke", "POST"): ADMINS,
    ("admin.audit", "GET"): ADMINS,
    ("admin.audit_export", "GET"): ADMINS,
    # Deleting personal data on request and its deletion records.
    ("admin.personal_data", "GET"): ADMINS,
    ("admin.personal_data", "POST"): ADMINS,
    ("admin.personal_data_delete", "POST"): ADMINS,
    ("admin.erasure_record", "GET"): ADMINS,
    ("admin.objection_models_page", "GET"): ADMINS,
    ("admin.objection_model_activate", "POST"): ADMINS,
    # Mystery shopping: QA leads set it up; shoppers and location managers see their own.
    ("locations.index", "GET"): QA_LEADS,
    ("locations.new", "GET"): QA_LEADS,
    ("locations.new", "POST"): QA_LEADS,
    ("locations.edit", "GET"): QA_LEADS,
    ("locations.edit", "POST"): QA_LEADS,
    ("locations.import_csv", "POST"): QA_LEADS,
    ("locations.managed", "GET"): LOCATION_MANAGERS,
    ("locations.shop", "GET"): LOCATION_MANAGERS,
    ("locations.shop_dispute", "POST"): LOCATION_MANAGERS,
    ("mystery.scenarios", "GET"): QA_LEADS,
    ("mystery.scenario_new", "GET"): QA_LEADS,
    ("mystery.scenario_new", "POST"): QA_LEADS,
    ("mystery.scenario_edit", "GET"): QA_LEADS,
    ("mystery.scenario_edit", "POST"): QA_LEADS,
    ("mystery.waves", "GET"): QA_LEADS,
    ("mystery.wave_new", "GET"): QA_LEADS,
    ("mystery.wave_new", "POST"): QA_LEADS,
    ("mystery.wave_detail", "GET"): QA_LEADS,
    ("mystery.assignment", "GET"): QA_LEADS,
    ("mystery.assignment_move", "POST"): QA_LEADS,
    ("mystery.assignment_scores", "POST"): QA_LEADS,
    ("mystery.evaluation_print", "GET"): QA_LEADS,
    ("mystery.reports", "GET"): QA_LEADS,
    ("mystery.reports_export", "GET"): QA_LEADS,
    ("mystery.league", "GET"): QA_LEADS,
    ("reviews.dispute_raise", "POST"): QA_LEADS,
    ("reviews.dispute_resolve", "POST"): QA_LEADS,
    ("shopping.mine", "GET"): SHOPPERS,
    ("shopping.start", "POST"): SHOPPERS,
    ("shopping.report", "GET"): SHOPPERS,
    ("shopping.report", "POST"): SHOPPERS,
    ("shopping.evidence_remove", "POST"): SHOPPERS,
    ("shopping.evidence_file", "GET"): SHOPPERS,
    ("mystery.evidence_file", "GET"): QA_LEADS,
    # Comments: whoever sees the call or review comments on it, staff by role and an employee
    # on their own (the per-object check answers 404 for anything else, never 403). Another
    # user's comment is not there for editing (404), so no role gets 403 for it.
    ("comments.on_call", "POST"): STAFF_AND_EMPLOYEES,
    ("comments.on_review", "POST"): STAFF_AND_EMPLOYEES,
    ("comments.reply", "POST"): STAFF_AND_EMPLOYEES,
    ("comments.edit", "POST"): STAFF_AND_EMPLOYEES,
    ("comments.delete", "POST"): STAFF_AND_EMPLOYEES,
    # Notifications: everyone has their own (someone else's is a 404).
    ("notifications.index", "GET"): EVERYONE,
    ("notifications.open_notice", "GET"): EVERYONE,
    ("notifications.read", "POST"): EVERYONE,
    ("notifications.read_all", "POST"): EVERYONE,
    # Integration API.
    ("api_docs.index", "GET"): STAFF,
    ("api_docs.spec_json", "GET"): STAFF,
    ("api.openapi", "GET"): API,
    ("api.campaigns", "GET"): API,
    ("api.call_detail", "GET"): API,
    ("api.push_recording", "POST"): API,
    ("api.push_leads", "POST"): API,
    ("api.push_appointments", "POST"): API,
    ("api.push_ad_video", "POST"): API,
    ("api.ad_video_detail", "GET"): API,
}

_MAP_APP = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
ROUTES = sorted(
    {
        (rule.endpoint, method): rule
        for rule in _MAP_APP.url_map.iter_rules()
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    }.items()
)


def test_every_route_is_in_the_policy_table() -> None:
    in_map = {key for key, _rule in ROUTES}
    assert sorted(in_map - POLICY.keys()) == [], "routes without an expected policy"
    assert sorted(POLICY.keys() - in_map) == [], "policy rows for routes that do not exist"


@pytest.fixture
def db_app(tmp_path: Path, database_server_url: str | None) -> Iterator[Flask]:
    app = isolated.make_isolated_app(tmp_path, database_server_url)
    yield app
    isolated.dispose(app, database_server_url)


def _client_for(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302, email
    return client


def _is_login_redirect(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def _arrange(app: Flask) -> dict[str, object]:
    with app.app_context():
        users = {r: factories.make_user(role=r, email=f"{r}@example.com") for r in ROLES}
        values = world.build(
            users[ADMIN].id, participants=[users[ADMIN], users[LEAD], users[REVIEWER]]
        )
        db.session.commit()
    return values


@pytest.mark.parametrize(
    ("key", "rule"), ROUTES, ids=[f"{endpoint}-{method}" for (endpoint, method), _ in ROUTES]
)
def test_route_allows_exactly_the_roles_in_the_table(db_app: Flask, key, rule) -> None:
    endpoint, method = key
    expected = POLICY[key]
    values = _arrange(db_app)
    url = world.url_for_rule(rule, values)
    if endpoint == "bootstrap.static":
        url = "/bootstrap/static/css/bootstrap.min.css"

    anonymous = db_app.test_client().open(url, method=method)
    if expected == PUBLIC:
        assert anonymous.status_code in (200, 302), url
    elif expected == API:
        assert anonymous.status_code == 401
    else:
        assert _is_login_redirect(anonymous), f"anonymous reached {method} {url}"

    for role in ROLES:
        response = _client_for(db_app, f"{role}@example.com").open(url, method=method)
        where = f"{role} {method} {url}"
        assert response.status_code < 500, where
        if expected == API:
            assert response.status_code == 401, f"a session cookie opened the API: {where}"
        elif expected == PUBLIC or role in expected:
            assert response.status_code != 403, f"refused: {where}"
            assert not _is_login_redirect(response) or endpoint == "auth.logout", where
        else:
            assert response.status_code == 403, f"allowed: {where}"


# Refusals change nothing.


def test_refused_cancel_leaves_the_job_queued(db_app: Flask) -> None:
    values = _arrange(db_app)
    marketing = _client_for(db_app, "marketing@example.com")
    response = marketing.post(f"/calls/{values['call_id']}/cancel")
    assert response.status_code == 403
    with db_app.app_context():
        job = db.session.scalar(db.select(TranscriptionJob))
        assert job.status == "queued"
        assert db.session.get(Call, values["call_id"]).status == "transcribed"
    # The same request from an allowed role does cancel it.
    _client_for(db_app, "reviewer@example.com").post(f"/calls/{values['call_id']}/cancel")
    with db_app.app_context():
        assert db.session.scalar(db.select(TranscriptionJob.status)) == "cancelled"


def test_refused_link_leaves_the_call_unlinked(db_app: Flask) -> None:
    values = _arrange(db_app)
    with db_app.app_context():
        lead = factories.make_lead(external_id="L1", phone="+79161234567")
        db.session.commit()
        lead_id = lead.id
    marketing = _client_for(db_app, "marketing@example.com")
    response = marketing.post(f"/leads/link-call/{values['call_id']}", data={"lead_id": lead_id})
    assert response.status_code == 403
    with db_app.app_context():
        assert db.session.get(Call, values["call_id"]).lead_id is None
    _client_for(db_app, "reviewer@example.com").post(
        f"/leads/link-call/{values['call_id']}", data={"lead_id": lead_id}
    )
    with db_app.app_context():
        assert db.session.get(Call, values["call_id"]).lead_id == lead_id


def test_refused_rule_run_runs_nothing(db_app: Flask) -> None:
    from qa.models import ReviewAssignment

    values = _arrange(db_app)
    for email in ("reviewer@example.com", "marketing@example.com"):
        client = _client_for(db_app, email)
        assert client.post(f"/reviews/sampling/{values['rule_id']}/run").status_code == 403
        assert client.post("/reviews/sampling/run").status_code == 403
    with db_app.app_context():
        assert db.session.get(SamplingRule, values["rule_id"]).last_run_at is None
        assert db.session.scalar(db.select(db.func.count()).select_from(ReviewAssignment)) == 0
    _client_for(db_app, "qa_lead@example.com").post(f"/reviews/sampling/{values['rule_id']}/run")
    with db_app.app_context():
        assert db.session.get(SamplingRule, values["rule_id"]).last_run_at is not None


def test_refused_self_promotion_changes_no_role(db_app: Flask) -> None:
    _arrange(db_app)
    with db_app.app_context():
        reviewer = db.session.scalar(db.select(User).where(User.email == "reviewer@example.com"))
        reviewer_id, name = reviewer.id, reviewer.name
    reviewer = _client_for(db_app, "reviewer@example.com")
    response = reviewer.post(
        f"/admin/users/{reviewer_id}",
        data={"edit-name": "Boss", "edit-role": "admin", "edit-active": "y", "edit-submit": "1"},
    )
    assert response.status_code == 403
    page = reviewer.get("/admin/users")
    assert page.status_code == 403
    assert "admin@example.com" not in page.get_data(as_text=True)
    with db_app.app_context():
        user = db.session.get(User, reviewer_id)
        assert (user.role, user.name) == ("reviewer", name)


def test_logged_out_session_is_refused_everywhere_it_was_allowed(db_app: Flask) -> None:
    values = _arrange(db_app)
    lead = _client_for(db_app, "qa_lead@example.com")
    cookies = {c.key: c.value for c in lead._cookies.values()}
    lead.post("/logout")
    replay = db_app.test_client()
    for name, value in cookies.items():
        replay.set_cookie(name, value)
    assert _is_login_redirect(replay.post(f"/calls/{values['call_id']}/cancel"))
    assert _is_login_redirect(replay.get("/scorecards/"))
    with db_app.app_context():
        assert db.session.scalar(db.select(TranscriptionJob.status)) == "queued"
