"""End to end in Chromium: upload a real recording, listen with the transcript, score the call."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, LiveServer
from tests.browser.waiting import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RECORDING = Path(__file__).resolve().parents[1] / "data" / "audio" / "ru_call_stereo.ogg"
TRANSCRIPT_TIMEOUT_MS = 300_000


def _player_time(page: Page) -> float:
    return float(page.evaluate("document.getElementById('player').currentTime"))


def _log_in(page: Page, server: LiveServer, email: str) -> None:
    page.goto(f"{server.url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    expect(page).to_have_url(f"{server.url}/calls/")


def test_upload_listen_and_score_a_real_call(
    live_server: LiveServer, page: Page, artifacts: Path
) -> None:
    assert RECORDING.exists(), f"missing fixture {RECORDING}"
    _log_in(page, live_server, "reviewer@example.com")

    page.click("text=Upload recordings")
    page.set_input_files("input[name=files]", str(RECORDING))
    page.select_option("select[name=agent]", label="Ольга")
    page.select_option("select[name=agent_channel]", "left")
    page.select_option("select[name=language]", "ru")
    page.fill("input[name=phone]", "+7 916 123-45-67")
    page.click("text=Upload and transcribe")
    expect(page).to_have_url(re.compile(r"/calls/\d+$"))
    call_url = page.url
    expect(page.locator(".alert-success")).to_contain_text("1 recording stored")

    # The page follows the job by itself and shows the transcript once Whisper is done.
    lines = page.locator("#transcript .transcript-line")
    expect(lines.first).to_be_visible(timeout=TRANSCRIPT_TIMEOUT_MS)
    assert lines.count() >= 4
    expect(page.locator("#transcript")).to_contain_text("диван")
    expect(page.locator(".transcript-line.speaker-customer").first).to_be_visible()

    # The customer's price objection is highlighted inline, on the timeline and in the panel.
    flag = page.locator("#transcript mark.flag-price").first
    expect(flag).to_be_visible()
    expect(flag).to_contain_text(re.compile("дорог", re.IGNORECASE))
    expect(page.locator(".timeline-marker.flag-price").first).to_be_attached()

    # Clicking a line plays from its start, and that line becomes the current one.
    target = lines.nth(2)
    start = float(target.get_attribute("data-start") or 0)
    assert start > 1.0
    target.locator(".line-text").click()
    wait_until(page,
        f"Math.abs(document.getElementById('player').currentTime - {start}) < 1.5"
    )
    expect(target).to_have_class(re.compile("is-current"))
    page.locator("#play-button").click()  # pause (it was playing)
    page.select_option("#speed", "1.5")
    assert page.evaluate("document.getElementById('player').playbackRate") == 1.5

    # The side panel jumps to the flag; the F key goes to the next flag from the start.
    item = page.locator(".flag-item").first
    flag_time = float(item.get_attribute("data-time") or 0)
    item.click()
    wait_until(page,
        f"Math.abs(document.getElementById('player').currentTime - {flag_time}) < 1.0"
    )
    page.evaluate(
        "document.getElementById('player').pause(); "
        "document.getElementById('player').currentTime = 0"
    )
    page.locator("body").press("f")
    wait_until(page,
        f"Math.abs(document.getElementById('player').currentTime - {flag_time}) < 1.0"
    )
    page.evaluate("document.getElementById('player').pause()")
    expect(page.locator("#conversation-facts .fact-talk-ratio")).to_have_text(
        re.compile(r"^\d+ : \d+$")
    )
    page.screenshot(path=str(artifacts / "call-page.png"), full_page=True)

    # Search finds another form of the word and opens the call at that moment.
    page.goto(f"{live_server.url}/search/?text=дорогой&said_by=customer")
    hit = page.locator("#search-results .search-hit a.font-monospace").first
    expect(hit).to_be_visible()
    hit.click()
    expect(page).to_have_url(re.compile(r"\?t=[\d.]+#seg-\d+$"))
    wanted = float(re.search(r"t=([\d.]+)", page.url).group(1))  # type: ignore[union-attr]
    wait_until(page,
        f"Math.abs(document.getElementById('player').currentTime - {wanted}) < 0.5"
    )

    # Score the call with the scorecard beside the transcript.
    page.goto(call_url)
    scorecard = page.locator("#scorecard")
    for answer in ("greeting-yes", "needs-2", "objection-yes", "next_step-no", "rudeness-yes"):
        scorecard.locator(f"label[for=answer-{answer}]").click()
    scorecard.locator("#review-comment").fill("Хорошо отработал возражение по цене.")
    scorecard.screenshot(path=str(artifacts / "scorecard.png"))
    scorecard.get_by_role("button", name="Submit review").click()
    # Weights 1, 2, 3, 2, 1: (1 + 2/3*2 + 3 + 0 + 1) / 9 = 70%.
    expect(page.locator(".alert-success")).to_contain_text("70%")

    page.click(".call-meta a[href^='/agents/']")
    expect(page.locator("[data-agent-average]")).to_have_text("70%")
