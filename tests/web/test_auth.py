"""Logging in and out, lockout, own password and language."""

from __future__ import annotations

from qa.extensions import db
from qa.models import User
from tests.web import factories


def test_login_and_logout(client) -> None:
    factories.make_user(email="rev@example.com", role="reviewer")
    db.session.commit()
    response = client.post(
        "/login", data={"email": "REV@example.com ", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/calls/").status_code == 200
    client.post("/logout")
    assert client.get("/calls/").status_code == 302


def test_wrong_password_is_refused_and_locks_after_limit(app, client) -> None:
    factories.make_user(email="rev@example.com")
    db.session.commit()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        response = client.post("/login", data={"email": "rev@example.com", "password": "nope"})
        assert response.status_code == 401
    # Locked now: even the right password is refused until the lock expires.
    response = client.post(
        "/login", data={"email": "rev@example.com", "password": factories.PASSWORD}
    )
    assert response.status_code == 429
    assert db.session.scalar(db.select(User.locked_until)) is not None


def test_deactivated_user_cannot_log_in(client) -> None:
    factories.make_user(email="gone@example.com", is_active_user=False)
    db.session.commit()
    response = client.post(
        "/login", data={"email": "gone@example.com", "password": factories.PASSWORD}
    )
    assert response.status_code == 401


def test_next_parameter_cannot_redirect_off_site(client) -> None:
    factories.make_user(email="rev@example.com")
    db.session.commit()
    response = client.post(
        "/login?next=//evil.example/x",
        data={"email": "rev@example.com", "password": factories.PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_change_own_password(client, login) -> None:
    user = login.as_role("marketing")
    response = client.post(
        "/account",
        data={
            "pw-current_password": factories.PASSWORD,
            "pw-new_password": "a much better secret",
            "pw-confirm": "a much better secret",
            "pw-submit": "1",
        },
    )
    assert response.status_code == 302
    assert db.session.get(User, user.id).check_password("a much better secret")


def test_change_password_needs_current_one(client, login) -> None:
    user = login.as_role("reviewer")
    response = client.post(
        "/account",
        data={
            "pw-current_password": "wrong",
            "pw-new_password": "a much better secret",
            "pw-confirm": "a much better secret",
            "pw-submit": "1",
        },
    )
    assert response.status_code == 400
    assert db.session.get(User, user.id).check_password(factories.PASSWORD)


def test_language_follows_user_then_browser(client, login) -> None:
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Log in" in page.get_data(as_text=True)
    page = client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert "Войти" in page.get_data(as_text=True)
    login.as_role("reviewer")
    client.post("/account", data={"lang-language": "en", "lang-submit": "1"})
    page = client.get("/account", headers={"Accept-Language": "ru"})
    assert "Change password" in page.get_data(as_text=True)
