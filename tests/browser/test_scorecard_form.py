"""The scorecard form in Chromium: answer keys fill it, and a draft saved as you go survives a
reload and shows on another device."""

from __future__ import annotations

import hashlib
import re
from itertools import count

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PASSWORD, LiveServer

_numbers = count(1)


def _call(server: LiveServer, title: str) -> int:
    """A transcribed Russian call without an agent (agents' averages stay as other tests left
    them); the seeded scorecard is the default for Russian calls."""
    from qa.extensions import db
    from qa.models import Call

    n = next(_numbers)
    with server.app.app_context():
        call = Call(
            title=title, original_filename=f"form-{n}.wav", recording_path=f"form/{n}.wav",
            sha256=hashlib.sha256(f"scorecard-form-{n}".encode()).hexdigest(), size_bytes=1000,
            status="transcribed", language="ru",
        )
        db.session.add(call)
        db.session.commit()
        return call.id


def _log_in(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/login")
    page.fill("input[name=email]", "reviewer@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    expect(page).to_have_url(f"{server.url}/calls/")


def _checked(page: Page, key: str) -> str | None:
    return page.evaluate(
        "key => { const r = document.querySelector(`input[name='answer-${key}']:checked`);"
        " return r ? r.value : null; }",
        key,
    )


def test_answer_keys_fill_the_scorecard(live_server: LiveServer, page: Page) -> None:
    call_id = _call(live_server, "Клавиши")
    _log_in(page, live_server)
    page.goto(f"{live_server.url}/calls/{call_id}")
    scorecard = page.locator("#scorecard")
    expect(scorecard.locator(".scorecard-item")).to_have_count(5)
    # Typing in a comment is text, not answers.
    comment = scorecard.locator("textarea[name=comment-greeting]")
    comment.fill("")
    comment.press_sequentially("yna 2")
    expect(comment).to_have_value("yna 2")
    assert _checked(page, "greeting") is None
    page.locator("h1").first.click()  # leave the text field
    # greeting: Y, needs (0..3): 2, objection: A (N/A), next step: N, rudeness: Y.
    for key in ("y", "2", "a", "n", "y"):
        page.keyboard.press(key)
    assert [_checked(page, k) for k in ("greeting", "needs", "objection", "next_step",
                                        "rudeness")] == ["yes", "2", "na", "no", "yes"]
    # The preview follows the answers:
    # (1 + 2/3*2 + 0 + 1) / (1 + 2 + 2 + 1) = 56%.
    expect(scorecard.locator("[data-score-preview] strong")).to_have_text("56%")
    scorecard.get_by_role("button", name="Submit review").click()
    expect(page.locator(".alert-success")).to_contain_text("56%")


def test_an_autosaved_draft_survives_a_reload_and_another_device(
    live_server: LiveServer, page: Page, browser: Browser
) -> None:
    call_id = _call(live_server, "Черновик")
    _log_in(page, live_server)
    url = f"{live_server.url}/calls/{call_id}"
    page.goto(url)
    scorecard = page.locator("#scorecard")
    scorecard.locator("label[for=answer-greeting-no]").click()
    scorecard.locator("label[for=answer-needs-3]").click()
    scorecard.locator("#review-comment").fill("Не успел дослушать")
    expect(scorecard.locator("[data-draft-status]")).to_contain_text(
        re.compile("Draft saved at"), timeout=10_000
    )
    page.reload()
    expect(page.locator("#scorecard-draft-restored")).to_be_visible()
    assert _checked(page, "greeting") == "no"
    assert _checked(page, "needs") == "3"
    assert _checked(page, "objection") is None
    expect(page.locator("#review-comment")).to_have_value("Не успел дослушать")

    other = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US")
    try:
        laptop = other.new_page()
        _log_in(laptop, live_server)
        laptop.goto(url)
        assert _checked(laptop, "greeting") == "no"
        assert _checked(laptop, "needs") == "3"
        expect(laptop.locator("#review-comment")).to_have_value("Не успел дослушать")
    finally:
        other.close()
