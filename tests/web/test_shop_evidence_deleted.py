"""A mystery shop's recording deleted later (retention, a request): every page that shows the
report says when and why, and the evidence routes answer 410 Gone instead of a broken link."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from qa.extensions import db
from qa.models import Call, ShopEvidence
from qa.services.admin.settings import company_settings
from qa.services.privacy import erasure, retention
from qa.timefmt import format_day
from tests.web.test_shop_reports import _report, submit_with_recording


@pytest.fixture(autouse=True)
def english(client, app):  # type: ignore[no-untyped-def]
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    app.config["WHISPER_ENGINE"] = "fake"  # these tests are about the report, not speech


def submitted_shop(client, login, app: Flask):  # type: ignore[no-untyped-def]
    """A submitted report with a recording (taken in as a transcribed call)."""
    shopper, assignment, _page = submit_with_recording(client, login, 320)
    login.logout()
    report = _report(assignment)
    (item,) = report.evidence_of("recording")
    call = db.session.get(Call, report.call_id)
    path = Path(app.config["RECORDINGS_DIR"]) / call.recording_path
    assert path.exists()
    return shopper, assignment, item, call, path


def by_retention(call: Call) -> None:
    """The call (made on 3 March 2026) is past a 30-day recording period on 1 May."""
    company_settings().timezone = "UTC"
    retention.update_retention({"recording": 30})
    db.session.commit()
    run = retention.run_retention(today=date(2026, 5, 1))
    db.session.commit()
    assert call.id in run.recordings


def on_request(call: Call) -> None:
    erasure.erase(erasure.plan(call_id=str(call.id)), requested_by="Покупатель по телефону")
    db.session.commit()


def pages_of(client, login, shopper, assignment, item: ShopEvidence):  # type: ignore[no-untyped-def]
    """(role, report page, evidence answer) for each role that sees the report."""
    seen = []
    for who, page, evidence in (
        ("admin", f"/mystery/assignments/{assignment.id}", f"/mystery/evidence/{item.id}"),
        ("qa_lead", f"/mystery/assignments/{assignment.id}", f"/mystery/evidence/{item.id}"),
        (shopper.email, f"/shopping/{assignment.id}/report", f"/shopping/evidence/{item.id}"),
    ):
        if "@" in who:
            login.as_user(who)
        else:
            login.as_role(who)
        seen.append((who, client.get(page), client.get(evidence)))
        login.logout()
    return seen


@pytest.mark.parametrize(
    ("delete", "why"),
    [(by_retention, "under retention"), (on_request, "on request")],
    ids=["retention", "request"],
)
def test_a_deleted_recording_is_noted_on_the_report_and_its_evidence_is_gone(
    app: Flask, client, login, delete, why: str
) -> None:
    shopper, assignment, item, call, path = submitted_shop(client, login, app)
    delete(call)
    assert not path.exists()
    note = f"Recording deleted on {format_day(call.recording_deleted_at, locale='en')} {why}."
    for who, page, evidence in pages_of(client, login, shopper, assignment, item):
        html = page.get_data(as_text=True)
        assert page.status_code == 200, who
        assert f'<span class="recording-deleted" data-evidence-id="{item.id}">{note}</span>' in html
        assert 'id="player"' not in html
        assert evidence.status_code == 410, who
        assert note in evidence.get_data(as_text=True)
    # The staff page says it beside the report's call too (whose page says it was deleted).
    login.as_role("qa_lead")
    html = client.get(f"/mystery/assignments/{assignment.id}").get_data(as_text=True)
    assert html.count(note) == 2


def test_a_kept_recording_shows_no_note_and_its_evidence_route_is_unchanged(
    app: Flask, client, login
) -> None:
    shopper, assignment, item, _call, _path = submitted_shop(client, login, app)
    for who, page, evidence in pages_of(client, login, shopper, assignment, item):
        assert page.status_code == 200, who
        assert "recording-deleted" not in page.get_data(as_text=True)
        assert evidence.status_code == 404, who  # a recording is played on its call's page


def test_the_note_and_the_gone_answer_are_translated(app: Flask, client, login) -> None:
    shopper, assignment, item, call, _path = submitted_shop(client, login, app)
    on_request(call)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru"
    login.as_role("qa_lead")
    html = client.get(f"/mystery/assignments/{assignment.id}").get_data(as_text=True)
    assert "Запись удалена" in html
    gone = client.get(f"/mystery/evidence/{item.id}")
    assert gone.status_code == 410
    assert "по запросу" in gone.get_data(as_text=True)
