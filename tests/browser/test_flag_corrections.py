"""Marking a missed objection by selecting words in a customer line, and a flag as wrong."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from qa.extensions import db
from qa.models import Call, ObjectionCorrection, TranscriptSegment
from qa.services.calls.objections import analyse_call
from tests.browser.conftest import PASSWORD, LiveServer

pytestmark = pytest.mark.browser

AGENT = "Понятно, записываю."  # gives the detector no context
PRICE = "Ой, это слишком дорого для меня."  # price by rule evidence
NEUTRAL = "Да, доставка в субботу подойдёт."  # no objection: where words are marked
WORD = "субботу"


@pytest.fixture
def reviewer(live_server: LiveServer, page: Page) -> Page:
    page.goto("/login")
    page.fill("input[name=email]", "reviewer@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    expect(page).to_have_url(re.compile(r"/calls/$"))
    return page


def _call(server: LiveServer) -> tuple[int, int]:
    with server.app.app_context():
        call = Call(
            original_filename="flags.wav",
            recording_path="00/flags.wav",
            sha256="f1a9" * 16,
            status="transcribed",
            language="ru",
            duration=12.0,
            title="Флаги",
        )
        db.session.add(call)
        for n, (speaker, text) in enumerate(
            (("agent", AGENT), ("customer", PRICE), ("agent", AGENT), ("customer", NEUTRAL))
        ):
            db.session.add(
                TranscriptSegment(
                    call=call,
                    position=n,
                    speaker=speaker,
                    start=n * 4.0,
                    end=n * 4.0 + 3,
                    text=text,
                    machine_text=text,
                )
            )
        db.session.flush()
        analyse_call(call)
        db.session.commit()
        flags = {(f.segment.text, f.label, f.rule_id is not None) for f in call.findings}
        assert flags == {(PRICE, "price", True)}, f"premise: one price rule flag only: {flags}"
        return call.id, call.segments[3].id


def test_select_words_to_mark_a_missed_objection(live_server: LiveServer, reviewer: Page) -> None:
    call_id, segment_id = _call(live_server)
    reviewer.goto(f"/calls/{call_id}")
    line = reviewer.locator(f"#seg-{segment_id}")
    details = line.locator("details.missed-mark")
    expect(details).not_to_have_attribute("open", "")
    # Double-click selects the word with the mouse; the script fills the form from it.
    word = line.locator(".line-words")
    box = reviewer.evaluate(
        """([id, wanted]) => {
             const words = document.querySelector(`#seg-${id} .line-words`);
             const node = words.firstChild;
             const start = node.textContent.indexOf(wanted);
             const range = document.createRange();
             range.setStart(node, start);
             range.setEnd(node, start + wanted.length);
             const r = range.getBoundingClientRect();
             return {x: r.x + r.width / 2, y: r.y + r.height / 2};
           }""",
        [segment_id, WORD],
    )
    expect(word).to_be_visible()
    reviewer.mouse.dblclick(box["x"], box["y"])
    expect(details).to_have_attribute("open", "")
    expect(line.locator(".missed-words")).to_have_value(WORD)
    start = NEUTRAL.index(WORD)
    expect(line.locator(".missed-start")).to_have_value(str(start))
    line.get_by_role("button", name="Missed: Price").click()

    expect(reviewer.locator(".alert-success")).to_contain_text("Marked: Missed objection (Price)")
    item = reviewer.locator("#correction-list .correction-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Missed objection")
    expect(item).to_contain_text(f"«{WORD}»")
    expect(item).to_contain_text("Pending")
    with live_server.app.app_context():
        row = db.session.query(ObjectionCorrection).filter_by(segment_id=segment_id).one()
        assert (row.kind, row.label, row.text) == ("missed", "price", WORD)
        assert (row.start_char, row.end_char) == (start, start + len(WORD))

    # The price flag on the line before is marked wrong from the flag list.
    flag = reviewer.locator("#flag-list .flag-item").filter(has_text="дорого")
    expect(flag.locator(".model-version")).to_contain_text("model")
    flag.get_by_role("button", name="Wrong flag").click()
    expect(reviewer.locator(".alert-success")).to_contain_text("Marked: Wrong flag (Price)")
    expect(reviewer.locator("#correction-list .correction-item")).to_have_count(2)
    # The missed objection is not a flag: the line it is in carries none.
    expect(line.locator(".flag, .flag-badge")).to_have_count(0)
