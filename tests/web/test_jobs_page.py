"""The jobs page: counts by state, throughput today, failed reasons, cancel, retry, filter."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from qa.extensions import db
from qa.models import TranscriptionJob
from qa.models._base import utcnow
from qa.services.calls.jobs import enqueue_transcription
from tests.web import factories


@pytest.fixture(autouse=True)
def english(client):  # type: ignore[no-untyped-def]
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _job(status: str, *, duration: float = 60.0, minutes: float = 0, error: str | None = None):  # type: ignore[no-untyped-def]
    """A job in ``status``; a finished one took ``minutes`` and ended a minute ago."""
    call = factories.make_call(status="uploaded", duration=duration)
    job = enqueue_transcription(call, dispatch=False)
    job.status = status
    job.error = error
    if status in ("done", "failed"):
        job.finished_at = utcnow() - timedelta(minutes=1)
        job.started_at = job.finished_at - timedelta(minutes=minutes)
    if status == "running":
        job.started_at, job.worker = utcnow(), "host:1"
    db.session.flush()
    return job


def _count(page: str, status: str) -> int:
    found = re.search(rf'id="count-{status}".*?<span class="h4 mb-0">(\d+)</span>', page, re.S)
    assert found, status
    return int(found.group(1))


def test_counts_throughput_and_reasons_from_stored_jobs(client, login) -> None:
    login.as_role("qa_lead")
    for _ in range(3):
        _job("queued")
    _job("running")
    # Two calls of 2 and 4 minutes transcribed in 0.5 and 1.5 minutes: RTF 2/6 = 0.33.
    _job("done", duration=120.0, minutes=0.5)
    _job("done", duration=240.0, minutes=1.5)
    _job("failed", error="corrupt.ogg is not a readable audio file")
    db.session.commit()

    response = client.get("/jobs/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    counts = {s: _count(page, s) for s in ("queued", "running", "done", "failed", "cancelled")}
    assert counts == {"queued": 3, "running": 1, "done": 2, "failed": 1, "cancelled": 0}
    assert "Today: 2 jobs done" in page
    assert "1 failed" in page
    assert "Real-time factor 0.33" in page
    assert "corrupt.ogg is not a readable audio file" in page

    failed = client.get("/jobs/?status=failed").get_data(as_text=True)
    assert failed.count('class="job-row"') == 1
    assert 'data-status="failed"' in failed
    assert 'data-status="queued"' not in failed


def test_cancel_and_retry_through_the_page(client, login) -> None:
    login.as_role("qa_lead")
    queued = _job("queued")
    failed = _job("failed", error="boom")
    running = _job("running")
    db.session.commit()

    assert (
        client.post(f"/jobs/{queued.id}/cancel", data={"next": "/jobs/?status=queued"}).headers[
            "Location"
        ]
        == "/jobs/?status=queued"
    )
    db.session.expire_all()
    assert queued.status == "cancelled"
    assert queued.call.status == "cancelled"

    response = client.post(f"/jobs/{failed.id}/retry", follow_redirects=True)
    assert "queued to run the call again" in response.get_data(as_text=True)
    again = db.session.scalars(
        select(TranscriptionJob)
        .where(TranscriptionJob.call_id == failed.call_id)
        .order_by(TranscriptionJob.id)
    ).all()
    assert [j.status for j in again] == ["failed", "queued"]

    # A running job cannot be retried, and a finished one cannot be cancelled: a message, no 500.
    refused = client.post(f"/jobs/{running.id}/retry", follow_redirects=True)
    assert "is running on host:1" in refused.get_data(as_text=True)
    refused = client.post(f"/jobs/{failed.id}/cancel", follow_redirects=True)
    assert "no longer queued or running" in refused.get_data(as_text=True)
    assert client.post("/jobs/999999/cancel").status_code == 404


def test_filter_refuses_unknown_states_and_pages(client, login) -> None:
    login.as_role("admin")
    for _ in range(55):
        _job("queued")
    db.session.commit()
    first = client.get("/jobs/").get_data(as_text=True)
    assert first.count('class="job-row"') == 50
    second = client.get("/jobs/?page=2").get_data(as_text=True)
    assert second.count('class="job-row"') == 5
    for bad in ("bogus", "queued\x00", "x" * 5000, "['done']"):
        response = client.get("/jobs/", query_string={"status": bad})
        assert response.status_code == 400, bad
        assert "Not a valid choice" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "role", ["reviewer", "marketing", "shopper", "location_manager", "employee"]
)
def test_only_leads_and_admins_see_jobs(client, login, role: str) -> None:
    login.as_role(role)
    job = _job("failed")
    db.session.commit()
    assert client.get("/jobs/").status_code == 403
    assert client.post(f"/jobs/{job.id}/retry").status_code == 403
