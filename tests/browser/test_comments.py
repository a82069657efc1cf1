"""Comments in Chromium: a comment on a transcript line shows on the player's timeline, and
clicking it (the marker or the comment itself) seeks the player, under the strict CSP; an
employee does the same on their own call's page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from qa.extensions import db
from qa.models import Agent, Call, TranscriptSegment
from qa.services.admin.users import create_user
from tests.browser.conftest import PASSWORD, LiveServer
from tests.browser.test_content_security_policy import Violations
from tests.browser.waiting import wait_until
from tests.web.audio_bytes import wav_bytes

pytestmark = pytest.mark.browser

LINES = [
    (0.0, "agent", "Good morning, furniture store."),
    (6.0, "customer", "The sofa is too expensive for us."),
    (14.0, "agent", "We have a cheaper one in grey."),
]


def _call_with_recording(server: LiveServer) -> int:
    with server.app.app_context():
        call = Call(
            original_filename="comments.wav",
            recording_path="comments/comments.wav",
            sha256="cc" * 32,
            status="transcribed",
            title="Comment call",
            duration=20.0,
            channels=1,
            audio_format="wav",
        )
        db.session.add(call)
        db.session.flush()
        for position, (start, speaker, text) in enumerate(LINES):
            db.session.add(
                TranscriptSegment(
                    call=call,
                    position=position,
                    speaker=speaker,
                    start=start,
                    end=start + 4.0,
                    text=text,
                    machine_text=text,
                )
            )
        db.session.commit()
        path = Path(server.app.config["RECORDINGS_DIR"]) / call.recording_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(wav_bytes(20.0, channels=1))
        return call.id


def _player_time(page: Page) -> float:
    return float(page.evaluate("document.getElementById('player').currentTime"))


def _rewind(page: Page) -> None:
    page.evaluate("const p = document.getElementById('player'); p.pause(); p.currentTime = 0")
    wait_until(page, "document.getElementById('player').currentTime < 0.5")


def test_line_comment_shows_on_the_timeline_and_seeks_the_player(
    live_server: LiveServer, page: Page
) -> None:
    call_id = _call_with_recording(live_server)
    watch = Violations(page)
    page.goto("/login")
    page.fill("input[name=email]", "reviewer@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    expect(page).to_have_url(re.compile(r"/calls/$"))

    page.goto(f"/calls/{call_id}")
    line = page.locator("#transcript .transcript-line").nth(2)
    line.locator("summary", has_text="Comment on this line").click()
    line.locator(".line-comment-form textarea").fill("Offer the grey sofa earlier <b>here</b>")
    line.locator(".line-comment-form button[type=submit]").click()

    expect(page.locator(".alert-success")).to_contain_text("Comment saved.")
    marker = page.locator("#timeline .timeline-comment")
    expect(marker).to_have_count(1)
    expect(marker).to_have_attribute("data-time", "14.0")
    # Placed by the layout script over the line, 14 s to 18 s of 20 s: from 70 % for 20 %. A click
    # on its middle lands at 16 s of the timeline; the comment's moment is 14 s.
    box, timeline = marker.bounding_box(), page.locator("#timeline").bounding_box()
    assert box is not None
    assert timeline is not None
    assert abs((box["x"] - timeline["x"]) / timeline["width"] - 0.7) < 0.02
    assert abs(box["width"] / timeline["width"] - 0.2) < 0.02
    thread = page.locator("#transcript .transcript-line").nth(2).locator(".comment-thread")
    expect(thread).to_contain_text("Offer the grey sofa earlier <b>here</b>")
    wait_until(page, "document.getElementById('player').readyState >= 1")

    _rewind(page)
    marker.click()
    wait_until(page, "Math.abs(document.getElementById('player').currentTime - 14) < 0.5")

    _rewind(page)
    page.locator("#comment-list .comment-text").first.click()
    wait_until(page, "Math.abs(document.getElementById('player').currentTime - 14) < 0.5")
    assert abs(_player_time(page) - 14.0) < 0.5
    watch.assert_none("call page with a comment")


def test_employee_comments_on_their_own_call_and_the_marker_seeks(
    live_server: LiveServer, page: Page
) -> None:
    call_id = _call_with_recording(live_server)
    with live_server.app.app_context():
        agent = Agent(name="Ева")
        db.session.add(agent)
        db.session.flush()
        db.session.get(Call, call_id).agent_id = agent.id
        employee = create_user("eva.comments@example.com", "Eva", PASSWORD, "employee", "en")
        employee.agent_id = agent.id
        db.session.commit()
    watch = Violations(page)
    page.goto("/login")
    page.fill("input[name=email]", "eva.comments@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    expect(page).to_have_url(re.compile(r"/me/$"))

    page.goto(f"/me/calls/{call_id}")
    line = page.locator("#transcript .transcript-line").nth(1)
    line.locator("summary", has_text="Comment on this line").click()
    line.locator(".line-comment-form textarea").fill("I offered the grey sofa right away")
    line.locator(".line-comment-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/me/calls/{call_id}\?t=6#comment-\d+$"))
    expect(page.locator(".alert-success")).to_contain_text("Comment saved.")
    marker = page.locator("#timeline .timeline-comment")
    expect(marker).to_have_count(1)
    expect(page.locator("#comment-list")).to_contain_text("I offered the grey sofa right away")
    wait_until(page, "document.getElementById('player').readyState >= 1")
    _rewind(page)
    marker.click()
    wait_until(page, "Math.abs(document.getElementById('player').currentTime - 6) < 0.5")
    watch.assert_none("an employee's own call page with a comment")
