"""Admin pages: users, company settings, API tokens."""

from __future__ import annotations

from sqlalchemy import select

from qa.extensions import db
from qa.models import ApiToken, CompanySettings, User
from tests.web import factories


def test_admin_creates_edits_and_deactivates_user(client, login) -> None:
    login.as_role("admin")
    response = client.post(
        "/admin/users/new",
        data={
            "email": "New.Person@example.com",
            "name": "New Person",
            "role": "qa_lead",
            "language": "en",
            "password": "long enough pw",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new.person@example.com"))
    assert user is not None
    assert user.role == "qa_lead"
    assert user.check_password("long enough pw")

    response = client.post(
        f"/admin/users/{user.id}",
        data={
            "edit-name": "Renamed", "edit-role": "reviewer", "edit-language": "", "edit-submit": "1"
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.name, user.role, user.is_active_user) == ("Renamed", "reviewer", False)


def test_duplicate_email_gets_message(client, login) -> None:
    login.as_role("admin")
    factories.make_user(email="taken@example.com")
    db.session.commit()
    response = client.post(
        "/admin/users/new",
        data={"email": "taken@example.com", "name": "X", "role": "reviewer", "language": "",
              "password": "long enough pw"},
    )
    assert response.status_code == 400
    assert "already exists" in response.get_data(as_text=True)


def test_last_admin_cannot_demote_themselves(client, login) -> None:
    admin = login.as_role("admin")
    response = client.post(
        f"/admin/users/{admin.id}",
        data={"edit-name": "Me", "edit-role": "reviewer", "edit-active": "y", "edit-submit": "1"},
    )
    assert response.status_code == 400
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_reset_password(client, login) -> None:
    login.as_role("admin")
    user = factories.make_user()
    db.session.commit()
    response = client.post(
        f"/admin/users/{user.id}", data={"reset-password": "brand new secret", "reset-submit": "1"}
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.check_password("brand new secret")


def test_company_settings_validated_and_saved(client, login) -> None:
    login.as_role("admin")
    bad = client.post(
        "/admin/settings",
        data={"name": "Acme", "timezone": "Mars/Base", "currency": "RUB", "phone_region": "RU",
              "lead_link_window_hours": "24"},
    )
    assert "Mars/Base" in bad.get_data(as_text=True)
    good = client.post(
        "/admin/settings",
        data={"name": "Acme", "timezone": "Asia/Yekaterinburg", "currency": "eur",
              "phone_region": "kz", "lead_link_window_hours": "48"},
    )
    assert good.status_code == 302
    settings = db.session.get(CompanySettings, 1)
    assert (settings.timezone, settings.currency, settings.phone_region) == (
        "Asia/Yekaterinburg", "EUR", "KZ")
    assert settings.lead_link_window_hours == 48


def test_target_bands_validated_and_saved(client, login) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    login.as_role("admin")
    base = {"name": "Acme", "timezone": "Europe/Moscow", "currency": "RUB", "phone_region": "RU",
            "lead_link_window_hours": "24"}
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'name="lead_sale_green_above"' in page
    assert 'value="70.0"' in page
    crossed = client.post("/admin/settings", data={**base, "mass_view_lead_red": "12",
                                                     "mass_view_lead_green": "8"})
    assert crossed.status_code == 400
    assert "must not exceed the green limit" in crossed.get_data(as_text=True)
    assert db.session.get(CompanySettings, 1).mass_view_lead_red == 5.0
    saved = client.post("/admin/settings", data={
        **base, "mass_view_lead_red": "3", "mass_view_lead_green": "7.5",
        "targeted_view_lead_red": "15", "targeted_view_lead_green": "25",
        "lead_sale_red": "50", "lead_sale_green_above": "65"})
    assert saved.status_code == 302
    settings = db.session.get(CompanySettings, 1)
    db.session.refresh(settings)
    assert (settings.mass_view_lead_red, settings.mass_view_lead_green,
            settings.targeted_view_lead_red, settings.targeted_view_lead_green,
            settings.lead_sale_red, settings.lead_sale_green_above) == (3, 7.5, 15, 25, 50, 65)
    # Bands left out of a post keep their values.
    client.post("/admin/settings", data=base)
    db.session.refresh(settings)
    assert (settings.mass_view_lead_green, settings.lead_sale_green_above) == (7.5, 65)


def test_api_token_shown_once_stored_hashed_and_revocable(client, login) -> None:
    login.as_role("admin")
    page = client.post("/admin/api-tokens", data={"name": "PBX"}).get_data(as_text=True)
    token = db.session.scalar(select(ApiToken))
    plain = page.split('id="new-token">')[1].split("<")[0]
    assert plain.startswith("qar_")
    assert plain not in token.token_hash
    bearer = {"Authorization": f"Bearer {plain}"}
    assert client.get("/api/v1/calls/1", headers=bearer).status_code == 404
    client.post(f"/admin/api-tokens/{token.id}/revoke")
    assert client.get("/api/v1/calls/1", headers=bearer).status_code == 401


def test_user_input_is_escaped(client, login) -> None:
    login.as_role("admin")
    factories.make_user(name="<script>alert(1)</script>")
    db.session.commit()
    html = client.get("/admin/users").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
