"""No route that takes a ``next`` target sends the user off the site, however it is spelled."""

from __future__ import annotations

import pytest

from qa.extensions import db
from qa.models import TranscriptionJob
from qa.urls import safe_next
from tests.web import factories

# Each one leaves the site in some browser (slashes and backslashes are read alike, tabs and
# newlines dropped, percent-escapes decoded by a proxy or a second redirect).
OFF_SITE = [
    "//evil.example/phish",
    "////evil.example/phish",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "/%252F%252Fevil.example",
    "/%5Cevil.example",
    "https://evil.example/",
    "https:evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\t/evil.example",
    "/\n/evil.example",
    "/%09/evil.example",
    "/%0d%0a/evil.example",
    " //evil.example",
    "\x00//evil.example",
    "/\u200b/evil.example",
    "evil.example",
]
ON_SITE = ["/calls/", "/calls/7?page=2", "/reviews/queue#top", "/search/?q=%D0%B4%D0%BE"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_safe_next_refuses(target: str) -> None:
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ON_SITE)
def test_safe_next_keeps_paths_on_this_site(target: str) -> None:
    assert safe_next(target) == target


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_next_stays_on_site(client, target: str) -> None:
    factories.make_user(email="rev@example.com")
    db.session.commit()
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "rev@example.com", "password": factories.PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_next_on_site_is_followed(client) -> None:
    factories.make_user(email="rev@example.com")
    db.session.commit()
    response = client.post(
        "/login",
        query_string={"next": "/calls/?page=2"},
        data={"email": "rev@example.com", "password": factories.PASSWORD},
    )
    assert response.headers["Location"] == "/calls/?page=2"


@pytest.mark.parametrize("action", ["cancel", "retry"])
@pytest.mark.parametrize("target", OFF_SITE)
def test_job_buttons_next_stays_on_site(client, login, action: str, target: str) -> None:
    login.as_role("reviewer")
    call = factories.make_call(status="failed" if action == "retry" else "queued")
    db.session.add(TranscriptionJob(call=call, status=call.status))
    db.session.commit()
    response = client.post(f"/calls/{call.id}/{action}", data={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/calls/{call.id}"


@pytest.mark.parametrize("target", OFF_SITE)
def test_review_form_next_stays_on_site(client, login, target: str) -> None:
    login.as_role("reviewer")
    call = factories.make_call(status="transcribed")
    template = factories.make_scorecard()
    db.session.commit()
    page = client.get(f"/reviews/call/{call.id}", query_string={"next": target})
    assert page.status_code == 200
    assert 'name="next"' not in page.get_data(as_text=True)
    answers = {"answer-greet": "yes", "answer-needs": "3", "answer-price": "yes"}
    response = client.post(
        f"/reviews/call/{call.id}",
        data={"scorecard_version_id": str(template.current.id), "next": target, **answers},
    )
    assert response.status_code == 302
    assert not response.headers["Location"].lstrip("/").startswith(("/", "\\"))
    assert "evil" not in response.headers["Location"]
