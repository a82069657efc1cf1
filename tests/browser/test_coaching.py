"""Coaching in the browser: the call page's button opens the example form at the selected
line or lines, and an employee's assigned example plays from its moment."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from qa.extensions import db
from qa.models import Call, CoachingAssignment, CoachingExample, TranscriptSegment
from qa.services.admin.users import create_user
from tests.browser.conftest import PASSWORD, LiveServer
from tests.web.audio_bytes import wav_bytes

pytestmark = pytest.mark.browser

LINES = (
    ("agent", "Добрый день, салон мебели."),
    ("customer", "Сколько стоит диван?"),
    ("agent", "Сорок тысяч, есть рассрочка."),
    ("customer", "Дороговато."),
)


def _call(server: LiveServer, recording: str = "00/coaching.wav") -> tuple[int, list[int]]:
    with server.app.app_context():
        call = Call(
            original_filename="coaching.wav",
            recording_path=recording,
            sha256=uuid.uuid4().hex * 2,
            status="transcribed",
            language="ru",
            duration=20.0,
            title="Коучинг",
        )
        db.session.add(call)
        for n, (speaker, text) in enumerate(LINES):
            db.session.add(
                TranscriptSegment(
                    call=call,
                    position=n,
                    speaker=speaker,
                    start=n * 5.0,
                    end=n * 5.0 + 4,
                    text=text,
                    machine_text=text,
                )
            )
        db.session.commit()
        return call.id, [s.id for s in call.segments]


def _login(page: Page, email: str) -> None:
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login"))


def _select(page: Page, first: int, last: int) -> None:
    page.evaluate(
        """([first, last]) => {
             const range = document.createRange();
             range.setStart(document.querySelector(`#seg-${first} .line-words`).firstChild, 0);
             const end = document.querySelector(`#seg-${last} .line-words`).firstChild;
             range.setEnd(end, end.textContent.length);
             const selection = window.getSelection();
             selection.removeAllRanges();
             selection.addRange(range);
           }""",
        [first, last],
    )


def test_selected_lines_prefill_the_example_form(live_server: LiveServer, page: Page) -> None:
    call_id, ids = _call(live_server)
    _login(page, "reviewer@example.com")
    page.goto(f"/calls/{call_id}")
    # Several lines: their time range.
    _select(page, ids[1], ids[2])
    page.click("#coaching-new")
    expect(page).to_have_url(re.compile(rf"/coaching/calls/{call_id}/new\?"))
    expect(page.locator("input[name=start]")).to_have_value("0:05.0")
    expect(page.locator("input[name=end]")).to_have_value("0:14.0")
    expect(page.locator("input[name=segment]")).to_have_value("")
    # One line: that line.
    page.goto(f"/calls/{call_id}")
    _select(page, ids[3], ids[3])
    page.click("#coaching-new")
    expect(page.locator("input[name=segment]")).to_have_value(str(ids[3]))
    expect(page.locator("input[name=start]")).to_have_value("0:15.0")
    page.check("input[name=kind][value=bad]")
    page.fill("textarea[name=note]", "Не отработал цену")
    page.click("button[type=submit].btn-primary")
    expect(page).to_have_url(re.compile(rf"/calls/{call_id}\?t=15\.0#seg-{ids[3]}$"))
    expect(page.locator("#coaching-list")).to_contain_text("Не отработал цену")


def test_assigned_example_plays_from_its_moment(live_server: LiveServer, page: Page) -> None:
    folder = Path(live_server.app.config["RECORDINGS_DIR"]) / "co"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "moment.wav").write_bytes(wav_bytes(20.0, channels=1))
    call_id, ids = _call(live_server, recording="co/moment.wav")
    email = f"employee-{uuid.uuid4().hex[:6]}@example.com"
    with live_server.app.app_context():
        employee = create_user(email, "Елена", PASSWORD, "employee", "ru")
        example = CoachingExample(
            call_id=call_id,
            segment_id=ids[3],
            start_s=15.0,
            end_s=19.0,
            kind="bad",
            note="Послушай",
            lang="ru",
        )
        row = CoachingAssignment(example=example, assignee=employee)
        db.session.add_all([example, row])
        db.session.commit()
        row_id = row.id
    _login(page, email)
    page.goto(f"/coaching/mine/{row_id}")
    expect(page.locator(".coaching-excerpt")).to_contain_text("Дороговато.")
    player = page.locator("#coaching-player")
    player.evaluate(
        "audio => audio.readyState >= 1 || new Promise(r => audio.addEventListener("
        "'loadedmetadata', r, {once: true}))"
    )
    assert player.evaluate("audio => audio.currentTime") == pytest.approx(15.0, abs=0.5)
    page.click(".seen-form button")
    expect(page.locator(".seen-at")).to_be_visible()
