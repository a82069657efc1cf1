"""Browser checks of the page scripts that need no transcription: live job status, mono roles."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from qa.extensions import db
from qa.models import Call, TranscriptionJob, TranscriptSegment
from tests.browser.conftest import PASSWORD, LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture
def reviewer(live_server: LiveServer, page: Page) -> Page:
    page.goto("/login")
    page.fill("input[name=email]", "reviewer@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    expect(page).to_have_url(re.compile(r"/calls/$"))
    return page


def _add_call(server: LiveServer, **values: object) -> int:
    with server.app.app_context():
        call = Call(
            original_filename="seeded.wav",
            recording_path="00/seeded.wav",
            sha256=f"{values.get('title', '')}".encode().hex().ljust(64, "0")[:64],
            **values,
        )
        db.session.add(call)
        db.session.commit()
        return call.id


def test_list_follows_job_status_without_reloading(live_server: LiveServer, reviewer: Page) -> None:
    call_id = _add_call(live_server, title="Очередь", status="queued")
    with live_server.app.app_context():
        db.session.add(TranscriptionJob(call_id=call_id, status="running", progress=0.4))
        db.session.get(Call, call_id).status = "transcribing"  # type: ignore[union-attr]
        db.session.commit()
    reviewer.goto("/calls/?q=Очередь")
    row = reviewer.locator(f"tr[data-call-id='{call_id}']")
    expect(row.locator(".call-status")).to_have_text("Transcribing")
    reviewer.evaluate("window.notReloaded = true")

    # The worker finishes: the badge changes in place, the page is not reloaded.
    with live_server.app.app_context():
        job = db.session.query(TranscriptionJob).filter_by(call_id=call_id).one()
        job.status, job.progress = "done", 1.0
        db.session.get(Call, call_id).status = "transcribed"  # type: ignore[union-attr]
        db.session.commit()
    expect(row.locator(".call-status")).to_have_text("Transcribed", timeout=10_000)
    # Name and colour both come from the page's status list (qa.vocabulary.CALL_STATUS).
    expect(row.locator(".call-status")).to_have_class(re.compile(r"\btext-bg-success\b"))
    assert reviewer.evaluate("window.notReloaded") is True
    expect(row.locator(".call-progress")).to_be_hidden()


def test_cancel_from_the_list(live_server: LiveServer, reviewer: Page) -> None:
    call_id = _add_call(live_server, title="Отмена", status="queued")
    with live_server.app.app_context():
        db.session.add(TranscriptionJob(call_id=call_id, status="queued"))
        db.session.commit()
    reviewer.goto("/calls/?q=Отмена")
    row = reviewer.locator(f"tr[data-call-id='{call_id}']")
    row.get_by_role("button", name="Cancel").click()
    expect(reviewer.locator(".alert-success")).to_contain_text("Transcription cancelled.")
    expect(row.locator(".call-status")).to_have_text("Cancelled")
    expect(row.get_by_role("button", name="Retry")).to_be_visible()


def test_mono_call_roles_for_a_run_of_lines(live_server: LiveServer, reviewer: Page) -> None:
    call_id = _add_call(
        live_server,
        title="Моно",
        status="transcribed",
        channels=1,
        agent_channel="none",
        duration=20.0,
        language="ru",
    )
    texts = ["Алло, добрый день.", "Здравствуйте.", "Сколько стоит доставка?", "Дороговато."]
    with live_server.app.app_context():
        for n, text in enumerate(texts):
            db.session.add(
                TranscriptSegment(
                    call_id=call_id,
                    position=n,
                    speaker="unknown",
                    start=n * 4.0,
                    end=n * 4.0 + 3,
                    text=text,
                    machine_text=text,
                )
            )
        db.session.commit()
    reviewer.goto(f"/calls/{call_id}")
    boxes = reviewer.locator(".line-select")
    boxes.nth(1).click()
    boxes.nth(3).click(modifiers=["Shift"])  # ticks lines 2..4
    expect(reviewer.locator("#selected-count")).to_have_text("3")
    reviewer.locator("#speaker-form button[value=customer]").click()
    expect(reviewer.locator(".alert-success")).to_contain_text("Speaker set on 3 lines")
    lines = reviewer.locator("#transcript .transcript-line")
    expect(lines.nth(0)).to_have_class(re.compile("speaker-unknown"))
    for n in (1, 2, 3):
        expect(lines.nth(n)).to_have_class(re.compile("speaker-customer"))
    # The customer's "too pricey" is now an objection, flagged on the page.
    expect(reviewer.locator("#flag-list .flag-price")).to_be_visible()
