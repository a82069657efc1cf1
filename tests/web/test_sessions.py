"""A session ends for good: a replayed cookie after logout, other browsers after a password
change, deactivation or a role change."""

from __future__ import annotations

from flask import Flask

from qa.extensions import db
from qa.models import User
from tests.web import factories, isolated

db_app = isolated.db_app


def _make_user(app: Flask, **values: object) -> int:
    with app.app_context():
        user = factories.make_user(**values)
        db.session.commit()
        return user.id


def _user(app: Flask, user_id: int) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def _logged_in_client(app: Flask, email: str, *, remember: bool = False):  # type: ignore[no-untyped-def]
    client = app.test_client()
    data = {"email": email, "password": factories.PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302
    assert client.get("/calls/").status_code == 200
    return client


def _cookies(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {c.key: c.value for c in client._cookies.values()}


def _replay(app: Flask, cookies: dict[str, str]):  # type: ignore[no-untyped-def]
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def _is_login_redirect(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_old_cookie_replayed_after_logout_gets_the_login_page(db_app: Flask) -> None:
    app = db_app
    _make_user(app, email="rev@example.com")
    client = _logged_in_client(app, "rev@example.com", remember=True)
    stolen = _cookies(client)
    assert {"session", "remember_token"} <= set(stolen)
    client.post("/logout")
    assert _is_login_redirect(client.get("/calls/"))
    # The copied cookies (session and remember-me) no longer open anything.
    assert _is_login_redirect(_replay(app, stolen).get("/calls/"))
    assert _is_login_redirect(_replay(app, {"remember_token": stolen["remember_token"]}).get("/"))


def test_password_change_logs_out_other_clients_not_this_one(db_app: Flask) -> None:
    app = db_app
    _make_user(app, email="rev@example.com")
    laptop = _logged_in_client(app, "rev@example.com")
    phone = _logged_in_client(app, "rev@example.com", remember=True)
    response = laptop.post(
        "/account",
        data={
            "pw-current_password": factories.PASSWORD,
            "pw-new_password": "a much better secret",
            "pw-confirm": "a much better secret",
            "pw-submit": "1",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/calls/").status_code == 200
    assert _is_login_redirect(phone.get("/calls/"))


def test_admin_reset_deactivation_and_role_change_end_sessions(db_app: Flask) -> None:
    app = db_app
    target_id = _make_user(app, email="rev@example.com", role="reviewer")
    _make_user(app, email="boss@example.com", role="admin")
    admin = _logged_in_client(app, "boss@example.com")
    edit = {"edit-name": "Rev", "edit-language": "", "edit-submit": "1"}

    victim = _logged_in_client(app, "rev@example.com")
    admin.post(f"/admin/users/{target_id}", data={**edit, "edit-role": "qa_lead",
                                                          "edit-active": "y"})
    assert _user(app, target_id).role == "qa_lead"
    assert _is_login_redirect(victim.get("/calls/"))

    victim = _logged_in_client(app, "rev@example.com")
    admin.post(
        f"/admin/users/{target_id}",
        data={"reset-password": "another good secret", "reset-submit": "1"},
    )
    assert _is_login_redirect(victim.get("/calls/"))

    victim = app.test_client()
    assert victim.post(
        "/login", data={"email": "rev@example.com", "password": "another good secret"}
    ).status_code == 302
    admin.post(f"/admin/users/{target_id}", data={**edit, "edit-role": "qa_lead"})
    assert _user(app, target_id).is_active_user is False
    assert _is_login_redirect(victim.get("/calls/"))


def test_saving_a_user_without_access_changes_keeps_their_session(db_app: Flask) -> None:
    app = db_app
    target_id = _make_user(app, email="rev@example.com", role="reviewer")
    _make_user(app, email="boss@example.com", role="admin")
    admin = _logged_in_client(app, "boss@example.com")
    victim = _logged_in_client(app, "rev@example.com")
    admin.post(
        f"/admin/users/{target_id}",
        data={"edit-name": "New name", "edit-role": "reviewer", "edit-language": "en",
              "edit-active": "y", "edit-submit": "1"},
    )
    assert _user(app, target_id).name == "New name"
    assert victim.get("/calls/").status_code == 200


def test_admin_editing_themselves_stays_logged_in(db_app: Flask) -> None:
    admin_id = _make_user(db_app, email="boss@example.com", role="admin")
    admin = _logged_in_client(db_app, "boss@example.com")
    admin.post(
        f"/admin/users/{admin_id}",
        data={"reset-password": "another good secret", "reset-submit": "1"},
    )
    assert _user(db_app, admin_id).session_version == 2
    assert admin.get("/admin/users").status_code == 200
