"""The scorecard editor offers the objection flags the page names (qa.vocabulary), in Russian."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from qa.extensions import db
from qa.models import User
from qa.services.admin.users import create_user
from tests.browser.conftest import PASSWORD, LiveServer

pytestmark = pytest.mark.browser


def test_suggestion_choices_are_the_named_objections(live_server: LiveServer, page: Page) -> None:
    with live_server.app.app_context():
        if db.session.scalar(select(User).where(User.email == "lead@example.com")) is None:
            create_user("lead@example.com", "Лена Лидова", PASSWORD, "qa_lead", "ru")
            db.session.commit()
    page.goto("/login")
    page.fill("input[name=email]", "lead@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    expect(page).to_have_url(re.compile(r"/calls/$"))
    page.goto("/scorecards/new")
    editor = page.locator("#scorecard-editor")
    expect(editor).to_be_visible()
    suggest = editor.locator("select:has(option[value='price'])").first
    expect(suggest.locator("option[value='price']")).to_have_text("Возражение о цене")
    expect(suggest.locator("option[value='assortment']")).to_have_text(
        "Возражение об ассортименте")
