"""Employee accounts: one-click invitation from the agents list, and the staff import."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from qa.extensions import db
from qa.models import Agent, User
from tests.web import factories


def _upload(client, content: bytes, name: str = "staff.csv"):  # type: ignore[no-untyped-def]
    return client.post(
        "/agents/import",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def _confirm(client, preview_page: str):  # type: ignore[no-untyped-def]
    token = re.search(r'name="token"[^>]*value="([^"]+)"', preview_page)
    assert token, preview_page
    return client.post(
        "/agents/import/confirm", data={"token": token.group(1)}, follow_redirects=True
    )


def _password(page: str) -> list[str]:
    return re.findall(r'<code class="temporary-password">([^<]+)</code>', page)


def test_invite_creates_a_linked_employee_with_a_one_time_password(client, login) -> None:
    agent = factories.make_agent(name="Ольга", email="Olga@Example.com")
    db.session.commit()
    login.as_role("admin")
    listing = client.get("/agents/").get_data(as_text=True)
    assert f"/agents/{agent.id}/invite" in listing
    response = client.post(f"/agents/{agent.id}/invite")
    assert response.status_code == 200
    passwords = _password(response.get_data(as_text=True))
    assert len(passwords) == 1
    user = db.session.scalar(select(User).where(User.agent_id == agent.id))
    assert (user.email, user.role, user.name) == ("olga@example.com", "employee", "Ольга")
    assert user.check_password(passwords[0])
    # The list no longer offers an invitation and never shows the password again.
    listing = client.get("/agents/").get_data(as_text=True)
    assert f"/agents/{agent.id}/invite" not in listing
    assert passwords[0] not in listing
    again = client.post(f"/agents/{agent.id}/invite", follow_redirects=True)
    assert "already has a user account" in again.get_data(as_text=True)
    assert (
        db.session.scalar(select(func.count()).select_from(User).where(User.role == "employee"))
        == 1
    )
    # The new employee logs in with it and lands on their own pages.
    login.logout()
    login.as_user(user.email, passwords[0])
    assert client.get("/").headers["Location"].endswith("/me/")


def test_invite_asks_for_an_email_where_the_agent_has_none(client, login) -> None:
    agent = factories.make_agent(name="Без почты")
    taken = factories.make_user(role="reviewer", email="taken@example.com")
    db.session.commit()
    login.as_role("admin")
    assert 'name="email"' in client.get("/agents/").get_data(as_text=True)
    page = client.post(f"/agents/{agent.id}/invite", follow_redirects=True).get_data(as_text=True)
    assert "no e-mail address" in page
    page = client.post(
        f"/agents/{agent.id}/invite", data={"email": taken.email}, follow_redirects=True
    ).get_data(as_text=True)
    assert "already exists" in page
    response = client.post(f"/agents/{agent.id}/invite", data={"email": "new@example.com"})
    assert response.status_code == 200
    db.session.refresh(agent)
    assert agent.email == "new@example.com"
    assert (
        db.session.scalar(select(User.agent_id).where(User.email == "new@example.com")) == agent.id
    )


def test_staff_import_previews_then_upserts_by_email(client, login) -> None:
    known = factories.make_agent(name="Old name", email="anna@example.com", team="A")
    factories.make_user(role="reviewer", email="boss@example.com")
    db.session.commit()
    login.as_role("admin")
    content = (
        "name,email,team,extra\n"
        "Анна Новая,ANNA@example.com,Продажи,x\n"
        "Борис,boris@example.com,Записи,y\n"
        "Борис дубль,boris@example.com,Записи,y\n"
        ",noname@example.com,A,\n"
        "Плохая почта,not-an-email,A,\n"
        "Начальник,boss@example.com,A,\n"
    ).encode()
    preview = _upload(client, content).get_data(as_text=True)
    assert "extra" in preview  # the ignored column is named
    for line in (4, 5, 6, 7):
        assert f"Line {line}:" in preview
    assert "repeats in this file" in preview
    assert "belongs to another user" in preview
    # Nothing is stored by the preview.
    assert db.session.scalar(select(func.count()).select_from(Agent)) == 1
    done = _confirm(client, preview).get_data(as_text=True)
    assert len(_password(done)) == 2
    db.session.expire_all()
    assert (known.name, known.team) == ("Анна Новая", "Продажи")
    boris = db.session.scalar(select(Agent).where(Agent.email == "boris@example.com"))
    assert boris is not None
    assert boris.team == "Записи"
    users = {u.email: u for u in db.session.scalars(select(User).where(User.role == "employee"))}
    assert users["anna@example.com"].agent_id == known.id
    assert users["boris@example.com"].agent_id == boris.id
    # A second import of the same file updates and invites nobody twice.
    again = _confirm(client, _upload(client, content).get_data(as_text=True))
    assert _password(again.get_data(as_text=True)) == []
    assert db.session.scalar(select(func.count()).select_from(Agent)) == 2
    assert (
        db.session.scalar(select(func.count()).select_from(User).where(User.role == "employee"))
        == 2
    )


def test_staff_import_needs_name_and_email_columns(client, login) -> None:
    login.as_role("admin")
    page = _upload(client, b"fullname,mail_address\nA,a@example.com\n").get_data(as_text=True)
    assert "needs name and email columns" in page
    assert db.session.scalar(select(func.count()).select_from(Agent)) == 0
