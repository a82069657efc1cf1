"""An ad video in the browser: uploaded on the page, its queued audit polled until the verdict
shows, then clicking evidence seeks the player."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.test_coaching import _login
from tests.browser.waiting import wait_until

pytestmark = pytest.mark.browser

VIDEO = Path(__file__).resolve().parents[1] / "data" / "video" / "ru_both.mp4"


def _current_time(page: Page) -> float:
    return float(page.evaluate("document.getElementById('ad-video').currentTime"))


def test_clicking_evidence_seeks_the_video(page: Page, live_server: LiveServer) -> None:
    _login(page, "marketing@example.com")
    page.goto("/ads/videos")
    page.set_input_files("input[name=files]", str(VIDEO))
    page.click("#video-upload-form button[type=submit]")
    # The upload answers at once; the page polls the queued audit and shows the verdict itself.
    expect(page).to_have_url(re.compile(r"/ads/videos/\d+$"), timeout=30_000)
    expect(page.locator(".ad-video-state")).to_be_visible()
    expect(page.locator(".ad-video-verdict")).to_be_visible(timeout=180_000)
    expect(page.locator(".ad-video-state")).to_have_text("Audited")
    wait_until(page, "document.getElementById('ad-video').readyState >= 1", timeout=30_000)
    assert _current_time(page) == 0.0

    spoken = page.locator("tr[data-element=cta] .ad-video-evidence").first
    expect(spoken).to_contain_text("Speech")
    moment = float(spoken.get_attribute("data-seek") or "nan")
    assert 2.0 < moment < 5.0
    spoken.click()
    wait_until(page, f"Math.abs(document.getElementById('ad-video').currentTime - {moment}) < 0.3")

    shown = page.locator("tr[data-element=deadline] .ad-video-evidence").first
    expect(shown).to_contain_text("On screen")
    target = float(shown.get_attribute("data-seek") or "nan")
    shown.click()
    wait_until(page, f"Math.abs(document.getElementById('ad-video').currentTime - {target}) < 0.3")
    assert _current_time(page) == pytest.approx(target, abs=0.3)

    # The thumbnails of the strip are pictures of those moments, and seek too.
    thumbs = page.locator(".ad-video-thumb")
    assert thumbs.count() >= 2
    first = thumbs.nth(0)
    expect(first.locator("img")).to_have_js_property("complete", True)
    assert first.locator("img").evaluate("img => img.naturalWidth") == 240  # sharp at 2x
    thumbs.nth(thumbs.count() - 1).click()
    last = float(thumbs.nth(thumbs.count() - 1).get_attribute("data-seek") or "nan")
    wait_until(page, f"Math.abs(document.getElementById('ad-video').currentTime - {last}) < 0.3")
