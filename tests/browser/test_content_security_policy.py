"""The main pages run under the strict Content-Security-Policy without a single violation, and
their scripts still work (player, charts, live ad check, scorecard form, menus)."""

from __future__ import annotations

import re
import struct
import wave
from datetime import date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from qa.extensions import db
from qa.models import Call, Campaign, Finding, Lead, TranscriptSegment, User
from tests.browser.conftest import PASSWORD, LiveServer
from tests.browser.waiting import wait_until

pytestmark = pytest.mark.browser

ADMIN_EMAIL = "csp-admin@example.com"
# Reported to the page by the browser for every blocked script, style, image, frame ...
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
"""


class Violations:
    """CSP reports from the console and from securitypolicyviolation events, and page errors."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        self.errors: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _on_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def assert_none(self, where: str) -> None:
        events = self.page.evaluate("window.__cspViolations || []")
        assert (self.console, events, self.errors) == ([], [], []), where


def _write_wav(path: Path, seconds: float = 3.0, rate: int = 8000) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        tone = (int(8000 * ((i // 20) % 2 * 2 - 1)) for i in range(int(seconds * rate)))
        out.writeframes(b"".join(struct.pack("<h", v) for v in tone))


def _seed(server: LiveServer) -> tuple[int, int]:
    """An admin, a transcribed call with its recording and a flag, a campaign with leads."""
    from qa.services.admin.users import create_user

    with server.app.app_context():
        if db.session.scalar(db.select(User).where(User.email == ADMIN_EMAIL)) is None:
            create_user(ADMIN_EMAIL, "Ada Admin", PASSWORD, "admin", "en")
        call = Call(
            original_filename="csp.wav",
            recording_path="csp/csp.wav",
            sha256="c5" * 32,
            status="transcribed",
            title="CSP call",
            duration=3.0,
            channels=1,
        )
        db.session.add(call)
        db.session.flush()
        for position, (start, speaker, text) in enumerate(
            [(0.0, "agent", "Good morning, how can I help?"),
             (1.5, "customer", "It is too expensive for us.")]
        ):
            db.session.add(
                TranscriptSegment(call=call, position=position, speaker=speaker, start=start,
                                  end=start + 1.4, text=text, machine_text=text)
            )
        db.session.add(Finding(call=call, label="price", text="too expensive",
                               time_start=1.6, time_end=2.4))
        # Dated, so that other tests' periods stay free of it.
        campaign = Campaign(name="CSP campaign", kind="mass", views=100,
                            starts_on=date(2023, 3, 1), ends_on=date(2023, 3, 31))
        db.session.add(campaign)
        db.session.flush()
        for i in range(4):
            db.session.add(Lead(external_id=f"csp-{i}", created_at=datetime(2023, 3, 3 + 7 * i),
                                campaign_id=campaign.id, channel="call", status="won"))
        db.session.commit()
        _write_wav(Path(server.app.config["RECORDINGS_DIR"]) / call.recording_path)
        return call.id, campaign.id


def test_main_pages_have_no_csp_violations_and_their_scripts_work(
    live_server: LiveServer, page: Page
) -> None:
    call_id, campaign_id = _seed(live_server)
    watch = Violations(page)

    page.goto("/login")
    expect(page.locator("input[name=email]")).to_be_visible()
    watch.assert_none("login")
    page.fill("input[name=email]", ADMIN_EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login"))

    page.goto("/calls/")
    expect(page.locator(f"tr[data-call-id='{call_id}']")).to_be_visible()
    watch.assert_none("calls list")

    # Call page: the player loads the recording and the turn buttons move through it.
    page.goto(f"/calls/{call_id}")
    wait_until(page,
        "document.getElementById('player').readyState >= 1", timeout=10_000
    )
    page.click("#next-turn")
    expect(page.locator("#current-time")).to_have_text("0:02")
    # Server-computed geometry is applied by script, not style attributes.
    assert page.locator(".timeline-marker").evaluate("el => el.style.left").startswith("53.3")
    assert page.locator(".timeline-turn").first.evaluate("el => el.style.width").endswith("%")
    watch.assert_none("call page")

    # Review form: the scorecard script computes the score as items are answered.
    page.goto(f"/reviews/call/{call_id}")
    expect(page.locator("#scorecard-form")).to_be_visible()
    watch.assert_none("review form")

    # Dashboard: Chart.js draws the charts from the JSON block.
    page.goto(f"/dashboard/?from=2023-03-01&to=2023-03-31&campaign={campaign_id}")
    wait_until(page, "window.Chart && Chart.getChart('chart-leads') !== undefined")
    assert page.evaluate("Chart.getChart('chart-funnel').data.datasets[0].data.length") > 0
    watch.assert_none("dashboard")

    # Ad audit: the live check posts the text and shows the rendered verdict.
    page.goto("/ads/new")
    page.fill("textarea[name=text]", "Скидка 20% до 31 декабря. Звоните!")
    expect(page.locator("#ad-live-result")).not_to_contain_text("Start typing", timeout=10_000)
    watch.assert_none("ad audit")

    # Administration, and the Bootstrap menu (its script opens the dropdown).
    page.goto("/admin/users")
    expect(page.get_by_text(ADMIN_EMAIL)).to_be_visible()
    page.locator("#main-nav .dropdown-toggle").click()
    expect(page.locator(".dropdown-menu.show")).to_be_visible()
    watch.assert_none("admin users")


def test_an_inline_script_would_be_reported(live_server: LiveServer, page: Page) -> None:
    """The watch itself works: an inline script injected into a page is blocked and reported."""
    watch = Violations(page)
    page.goto("/login")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.appendChild(s); }"
    )
    wait_until(page, "window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran === undefined")
    with pytest.raises(AssertionError):
        watch.assert_none("login with an injected script")
