"""Browser check of splitting a mixed mono line at a clicked word, undoing it, and merging."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from qa.extensions import db
from qa.models import Call, TranscriptSegment
from tests.browser.conftest import PASSWORD, LiveServer

pytestmark = pytest.mark.browser

MIXED = ["Добрый", "день,", "слушаю", "вас.", "Это", "слишком", "дорого", "для", "меня."]
STARTS = [0.0, 0.4, 0.8, 1.3, 2.4, 2.6, 3.1, 3.7, 3.9]


def _mono_call(server: LiveServer) -> int:
    with server.app.app_context():
        call = Call(
            original_filename="mixed.wav",
            recording_path="00/mixed.wav",
            sha256="ab" * 32,
            title="Смешанная строка",
            status="transcribed",
            channels=1,
            agent_channel="none",
            duration=10.0,
            language="ru",
        )
        db.session.add(call)
        db.session.flush()
        words = [
            {"start": s, "end": s + 0.3, "word": " " + w, "probability": 0.9}
            for s, w in zip(STARTS, MIXED, strict=True)
        ]
        text = " ".join(MIXED)
        db.session.add_all(
            [
                TranscriptSegment(
                    call_id=call.id,
                    position=0,
                    speaker="unknown",
                    start=0.0,
                    end=4.5,
                    text=text,
                    machine_text=text,
                    words=words,
                ),
                TranscriptSegment(
                    call_id=call.id,
                    position=1,
                    speaker="unknown",
                    start=5.0,
                    end=7.0,
                    text="Могу предложить рассрочку.",
                    machine_text="Могу предложить рассрочку.",
                ),
            ]
        )
        db.session.commit()
        return call.id


def test_split_at_a_clicked_word_undo_and_merge(live_server: LiveServer, page: Page) -> None:
    call_id = _mono_call(live_server)
    page.goto("/login")
    page.fill("input[name=email]", "reviewer@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.goto(f"/calls/{call_id}")

    first = page.locator("#transcript .transcript-line").first
    first.get_by_role("button", name="Split or merge").click()
    panel = first.locator(".line-structure")
    expect(panel).to_have_class(re.compile(r"\bshow\b"))
    # Each word is offered with its start time.
    expect(panel.locator("select.split-word option").nth(3)).to_have_text("Это · 0:02")
    # A click on "Это" in the line chooses it; the preview shows the two lines.
    box = page.evaluate(
        """(segment) => {
            const words = document.querySelector(`#seg-${segment} .line-words`);
            const node = words.firstChild;
            const at = node.textContent.indexOf("Это");
            const range = document.createRange();
            range.setStart(node, at + 1);
            range.setEnd(node, at + 2);
            const r = range.getBoundingClientRect();
            return {x: r.x + r.width / 2, y: r.y + r.height / 2};
        }""",
        first.get_attribute("data-segment-id"),
    )
    page.mouse.click(box["x"], box["y"])
    expect(panel.locator("select.split-word")).to_have_value("4")
    expect(panel.locator(".split-preview")).to_have_text(
        "«Добрый день, слушаю вас.» | «Это слишком дорого для меня.»"
    )
    panel.get_by_role("button", name="Split line").click()

    expect(page.locator(".alert-success")).to_contain_text("Line split at the word")
    lines = page.locator("#transcript .transcript-line")
    expect(lines).to_have_count(3)
    expect(lines.nth(1).locator(".line-words")).to_have_text("Это слишком дорого для меня.")
    expect(lines.nth(1)).to_have_attribute("data-start", "2.4")
    # The customer's words, now a line of their own, are flagged.
    expect(lines.nth(1).locator("mark.flag-price")).to_be_visible()

    # The history of the first line holds the split, which can be undone.
    lines.nth(0).get_by_role("link", name="history").click()
    expect(page.locator("#history")).to_contain_text("Line split")
    page.get_by_role("button", name="Undo the split").click()
    expect(page.locator(".alert-success")).to_contain_text("Undone")
    expect(lines).to_have_count(2)
    expect(lines.nth(0).locator(".line-words")).to_have_text(" ".join(MIXED))

    # Merge the two lines under the customer.
    lines.nth(0).get_by_role("button", name="Split or merge").click()
    merge = lines.nth(0).locator(".merge-form")
    merge.locator("select[name=speaker]").select_option("customer")
    merge.get_by_role("button", name="Merge lines").click()
    expect(page.locator(".alert-success")).to_contain_text("Lines merged")
    expect(lines).to_have_count(1)
    expect(lines.nth(0)).to_have_class(re.compile("speaker-customer"))
    expect(lines.nth(0).locator(".line-words")).to_contain_text("Могу предложить рассрочку.")
