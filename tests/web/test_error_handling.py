"""qa.errors: a dead database, a value the database refuses, and the shapes of the answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from qa import create_app
from qa.extensions import db
from qa.models import Campaign
from qa.services.admin import api_tokens
from tests.web import factories
from tests.web.app_config import app_settings

DEAD_DATABASES = {
    # Nothing listens on port 1; the driver fails at connect time, no server is needed.
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/qa?connect_timeout=2",
    "sqlite": "sqlite:////nonexistent-directory/for/qa.sqlite3",
}


def _app_on(uri: str, tmp_path: Path) -> Flask:
    # The app's own login limits, as a user meets them.
    app = create_app(app_settings(tmp_path, uri, RATELIMIT_ENABLED=True))
    # What a user gets: errors are answered by the handlers, not raised into the test.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.mark.parametrize("kind", sorted(DEAD_DATABASES))
def test_dead_database_is_a_503_page_and_json(app, client, login, tmp_path, kind) -> None:
    login.as_role("admin")
    _row, token = api_tokens.create_token("CRM", None)
    db.session.commit()
    session_cookie = client.get_cookie("session")
    assert session_cookie is not None
    dead = _app_on(DEAD_DATABASES[kind], tmp_path)
    dead_client = dead.test_client()
    # The same signed session, now answered by an app whose database is gone.
    dead_client.set_cookie("session", session_cookie.value)

    page = dead_client.get("/calls/", headers={"Accept-Language": "en"})
    assert page.status_code == 503
    html = page.get_data(as_text=True)
    assert "The database is not available right now. Try again in a minute." in html
    assert "Traceback" not in html
    assert "OperationalError" not in html

    russian = dead_client.get("/campaigns/", headers={"Accept-Language": "ru"})
    assert russian.status_code == 503
    assert "База данных сейчас недоступна" in russian.get_data(as_text=True)

    api = dead_client.get("/api/v1/campaigns", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 503
    assert api.get_json() == {
        "error": "Service Unavailable",
        "message": "The database is not available right now. Try again in a minute.",
    }


def test_value_the_database_refuses_is_a_400_and_nothing_is_stored(app, client, login) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.post("/test-only/refused")
    def refused():  # type: ignore[no-untyped-def]
        db.session.add(Campaign(name="Kept only if committed"))
        db.session.flush()
        db.session.add(Campaign(name=None))  # NOT NULL: the database refuses it
        db.session.flush()
        db.session.commit()
        return "stored"

    login.as_role("admin")
    response = client.post("/test-only/refused", headers={"Referer": "http://localhost/campaigns/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/campaigns/"
    shown = client.get("/campaigns/").get_data(as_text=True)
    assert "The database refused a value in this request; nothing was saved." in shown
    assert db.session.scalar(select(func.count(Campaign.id))) == 0


def test_not_found_from_a_service_is_a_404_page_with_its_message(client, login) -> None:
    call = factories.make_call()
    factories.make_segment(call)
    db.session.commit()
    login.as_role("reviewer")
    response = client.get(f"/calls/{call.id}/transcript.doc")
    assert response.status_code == 404
    assert "Unknown export format doc." in response.get_data(as_text=True)


def test_json_posts_from_pages_get_the_message_in_error(client, login) -> None:
    """The live ad check's script shows ``error``; the API keeps its status name there."""
    login.as_role("marketing")
    response = client.post("/ads/check", json={"text": "Скидка", "lang": "de"})
    assert response.status_code == 400
    assert response.get_json()["error"] == "Unknown language de: use ru or en."


def test_a_button_post_that_fails_returns_to_its_page_with_the_message(client, login) -> None:
    call = factories.make_call()
    factories.make_segment(call, speaker="unknown")
    db.session.commit()
    login.as_role("reviewer")
    response = client.post(f"/calls/{call.id}/swap-roles")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/calls/{call.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "No segment has an agent or customer role to swap." in page
