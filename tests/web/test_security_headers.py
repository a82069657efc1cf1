"""Security headers on every page, and the content type of every download."""

from __future__ import annotations

import pytest
from flask import Flask

from qa.extensions import db
from tests.web import world
from tests.web.audio_bytes import wav_bytes

EXPECTED = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _check_headers(response, url: str) -> None:  # type: ignore[no-untyped-def]
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
    assert directives.get("default-src") == "default-src 'self'", url
    assert directives.get("script-src") == "script-src 'self'", url
    assert "unsafe" not in directives.get("style-src", "unsafe"), url
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'", url
    assert directives.get("object-src") == "object-src 'none'", url
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (url, name)


def test_headers_on_every_get_route_as_admin(app: Flask, client, login) -> None:
    admin = login.as_role("admin")
    values = world.build(admin.id)
    db.session.commit()
    checked = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()):
            continue
        url = world.url_for_rule(rule, values)
        if rule.endpoint == "bootstrap.static":
            url = "/bootstrap/static/css/bootstrap.min.css"
        response = client.get(url)
        assert response.status_code < 500, url
        _check_headers(response, url)
        checked[rule.endpoint] = response.status_code
    # The walk really saw the pages (not only redirects and 404s).
    for endpoint in ("calls.detail", "calls.index", "reviews.detail", "dashboard.index",
                     "ads.detail", "admin.users", "admin.user_edit", "calibration.detail",
                     "scorecards.edit", "trackers.glossary_edit", "reviews.sampling_edit"):
        assert checked[endpoint] == 200, endpoint


def test_headers_on_login_errors_and_posts(client, login) -> None:
    _check_headers(client.get("/login"), "/login")
    _check_headers(client.get("/no-such-page"), "404")
    _check_headers(client.get("/calls/"), "redirect to login")
    login.as_role("marketing")
    _check_headers(client.get("/admin/users"), "403")
    _check_headers(client.post("/logout"), "logout")


def test_session_cookies_are_httponly_and_samesite(app: Flask, client) -> None:
    from tests.web import factories

    factories.make_user(email="rem@example.com")
    db.session.commit()
    response = client.post(
        "/login",
        data={"email": "rem@example.com", "password": factories.PASSWORD, "remember": "y"},
    )
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        assert "HttpOnly" in cookies[name], name
        assert "SameSite=Lax" in cookies[name], name


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("txt", "text/plain; charset=utf-8"),
        ("srt", "application/x-subrip; charset=utf-8"),
        ("vtt", "text/vtt; charset=utf-8"),
        ("json", "application/json"),
    ],
)
def test_transcript_downloads_have_their_content_type(client, login, fmt, content_type) -> None:
    admin = login.as_role("admin")
    values = world.build(admin.id)
    db.session.commit()
    response = client.get(f"/calls/{values['call_id']}/transcript.{fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_dashboard_export_is_csv(client, login) -> None:
    login.as_role("marketing")
    response = client.get("/dashboard/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_ad_batch_downloads_have_their_content_type(app: Flask, client, login) -> None:
    import io

    login.as_role("marketing")
    csv_text = "campaign;text\nВесна;Скидка 20% до 31 марта. Звоните!\n"
    response = client.post(
        "/ads/batch",
        data={"file": (io.BytesIO(csv_text.encode()), "ads.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    results_url = response.headers["Location"]
    for fmt, content_type in (
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ):
        download = client.get(f"{results_url}/results.{fmt}")
        assert download.status_code == 200, fmt
        assert download.headers["Content-Type"] == content_type
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert download.headers["Content-Disposition"].startswith("attachment")


def test_recording_download_is_audio_with_nosniff(app: Flask, client, login) -> None:
    import os

    admin = login.as_role("admin")
    values = world.build(admin.id)
    call = db.session.get(__import__("qa.models", fromlist=["Call"]).Call, values["call_id"])
    path = os.path.join(app.config["RECORDINGS_DIR"], call.recording_path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(wav_bytes(0.2))  # served by what its content is, so it must be real audio
    db.session.commit()
    response = client.get(f"/calls/{call.id}/recording")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("audio/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
