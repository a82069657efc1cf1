"""In Chromium: an upload with the phone typed as people type it finds its lead; a double click
on the upload button stores the recording once."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select

from qa.extensions import db
from qa.models import Call, Lead
from tests.browser.conftest import PASSWORD, LiveServer
from tests.browser.waiting import wait_until
from tests.web.audio_bytes import wav_bytes


def _log_in(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/login")
    page.fill("input[name=email]", "reviewer@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    expect(page).to_have_url(f"{server.url}/calls/")


def test_browser_upload_with_a_formatted_phone_links_its_lead(
    live_server: LiveServer, page: Page, tmp_path: Path
) -> None:
    with live_server.app.app_context():
        lead = Lead(external_id="crm-browser-1", phone="+79161110001", channel="call",
                    status="qualified", created_at=datetime(2026, 4, 1, 6, 50))
        db.session.add(lead)
        db.session.commit()
        lead_id = lead.id
    recording = tmp_path / "browser-call.wav"
    recording.write_bytes(wav_bytes(2.0, freq=523))

    _log_in(page, live_server)
    page.goto(f"{live_server.url}/calls/upload")
    page.set_input_files("input[name=files]", str(recording))
    page.fill("input[name=phone]", "+7 916 111-00-01")
    page.fill("input[name=called_at]", "2026-04-01T10:15")
    page.click("text=Upload and transcribe")
    expect(page).to_have_url(re.compile(r"/calls/\d+$"))
    expect(page.locator(".alert-success")).to_contain_text("1 recording stored")
    call_id = int(page.url.rsplit("/", 1)[1])

    with live_server.app.app_context():
        call = db.session.scalar(select(Call).where(Call.id == call_id))
        assert call is not None
        assert (call.phone, call.called_at) == ("+79161110001", datetime(2026, 4, 1, 7, 15))
        assert (call.lead_id, call.lead_link) == (lead_id, "auto")

    # The player reads the recording served as audio/wav for download (nosniff, attachment).
    wait_until(page,
        "document.getElementById('player').readyState >= 1", timeout=30_000
    )
    duration = page.evaluate("document.getElementById('player').duration")
    assert abs(duration - 2.0) < 0.1


def test_a_second_click_while_uploading_sends_nothing(
    live_server: LiveServer, page: Page, tmp_path: Path
) -> None:
    """While a batch is being sent the button is disabled, so a double click sends it once."""
    recording = tmp_path / "double-click.wav"
    recording.write_bytes(wav_bytes(1.5, freq=587))
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/calls/upload")
    page.set_input_files("input[name=files]", str(recording))
    # Count submissions and keep the page here, as if the upload were still under way.
    page.evaluate(
        "() => { window.submissions = 0; document.getElementById('upload-form')"
        ".addEventListener('submit', (e) => { window.submissions += 1; e.preventDefault(); }); }"
    )
    button = page.locator("#upload-form button[type=submit]")
    button.click()
    expect(button).to_be_disabled()
    expect(button).to_have_text("Uploading…")
    button.click(force=True)  # a person's second click lands on the disabled button
    assert page.evaluate("window.submissions") == 1
