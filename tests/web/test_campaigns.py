"""Campaigns: create, edit, CSV import with bad rows."""

from __future__ import annotations

import io
from decimal import Decimal

from sqlalchemy import select

from qa.extensions import db
from qa.models import Campaign
from tests.web import factories, import_files


def _upload(client, url: str, content: bytes, name: str = "campaigns.csv"):  # type: ignore[no-untyped-def]
    return client.post(url, data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def test_create_and_edit_campaign(client, login) -> None:
    login.as_role("marketing")
    response = client.post("/campaigns/new", data={
        "name": "Диваны — поиск", "kind": "mass", "channel": "search", "spend": "1500.50",
        "views": "30000", "utm_campaign": "sofas"})
    assert response.status_code == 302
    campaign = db.session.scalar(select(Campaign))
    assert (campaign.name, campaign.spend, campaign.views) == (
        "Диваны — поиск", Decimal("1500.50"), 30000
    )
    assert client.get(response.headers["Location"]).status_code == 200
    response = client.post(f"/campaigns/{campaign.id}/edit", data={
        "name": "Диваны — поиск", "kind": "targeted", "spend": "2000", "views": "1000"})
    assert response.status_code == 302
    db.session.refresh(campaign)
    assert campaign.kind == "targeted"


def test_duplicate_name_and_bad_period_refused(client, login) -> None:
    login.as_role("admin")
    factories.make_campaign(name="Spring")
    db.session.commit()
    page = client.post("/campaigns/new", data={"name": "spring", "kind": "mass"})
    assert "already exists" in page.get_data(as_text=True)
    page = client.post("/campaigns/new", data={
        "name": "Autumn", "kind": "mass", "starts_on": "2026-10-10", "ends_on": "2026-10-01"})
    assert "ends before it starts" in page.get_data(as_text=True)
    assert db.session.scalar(select(Campaign).where(Campaign.name == "Autumn")) is None


def test_csv_import_semicolon_cp1251_with_bad_row(client, login) -> None:
    login.as_role("marketing")
    factories.make_campaign(name="Кухни", views=10)
    db.session.commit()
    csv_text = (
        "name;kind;spend;views;utm_campaign\n"
        "Кухни;targeted;1 200,50;5000;kitchens\n"
        "Шкафы;mass;abc;100;\n"
        "Стулья;mass;300;2000;chairs\n"
    )
    page = _upload(client, "/campaigns/import", csv_text.encode("cp1251")).get_data(as_text=True)
    assert "1 created, 1 updated" in page
    assert "Line 3" in page
    assert "Line 3: spend: expected a number." in page
    kitchens = db.session.scalar(select(Campaign).where(Campaign.name == "Кухни"))
    assert (kitchens.kind, kitchens.spend, kitchens.views) == ("targeted", Decimal("1200.50"), 5000)
    assert db.session.scalar(select(Campaign).where(Campaign.name == "Шкафы")) is None


def test_import_garbage_gets_clear_message(client, login) -> None:
    login.as_role("marketing")
    page = _upload(client, "/campaigns/import", b"\x00\x01\x02garbage", "x.csv").get_data(
        as_text=True
    )
    assert "does not look like a CSV" in page
    page = _upload(client, "/campaigns/import", b"not a zip", "x.xlsx").get_data(as_text=True)
    assert "not a readable XLSX" in page
    page = _upload(client, "/campaigns/import", b"title,views\nA,1\n").get_data(as_text=True)
    assert "needs a &#39;name&#39; column" in page


def test_channels_and_kinds_come_from_the_vocabulary(client, login) -> None:
    login.as_role("marketing")
    old = factories.make_campaign(name="Радио", channel="радио FM")  # named before the list
    db.session.commit()
    form = client.get(f"/campaigns/{old.id}/edit").get_data(as_text=True)
    assert '<option value="social">Social networks</option>' in form
    assert '<option selected value="радио FM">радио FM</option>' in form
    csv_text = ("name,channel,kind\n"
                "Диваны,Соцсети,Таргетированная\n"
                "Кухни,Search ads,mass\n"
                "Стулья,билборды,mass\n")
    _upload(client, "/campaigns/import", csv_text.encode())
    found = {c.name: (c.channel, c.kind) for c in db.session.scalars(select(Campaign))}
    assert found["Диваны"] == ("social", "targeted")
    assert found["Кухни"] == ("search", "mass")
    assert found["Стулья"] == ("билборды", "mass")


def test_import_sets_the_owner_by_email_or_name_and_refuses_anyone_else(client, login) -> None:
    login.as_role("marketing")
    mira = factories.make_agent(name="Мира Маркетолог", email="mira@example.com",
                                pay_role="marketer")
    oleg = factories.make_agent(name="Олег", pay_role="marketer")
    factories.make_agent(name="Продавец Пётр", email="petr@example.com", pay_role="seller")
    kept = factories.make_campaign(name="Кухни", owner_id=oleg.id)
    db.session.commit()
    csv_text = (
        "name,views,owner\n"
        "Диваны,10,MIRA@example.com\n"
        "Шкафы,10,Олег\n"
        "Кухни,20,\n"
        "Стулья,10,petr@example.com\n"
        "Столы,10,Никто\n"
        "Полки,10,bad\x00owner\n"
        f"Кресла,10,{'x' * 5000}\n"
    )
    page = _upload(client, "/campaigns/import", csv_text.encode()).get_data(as_text=True)
    assert "2 created, 1 updated" in page
    assert "Line 5: owner: petr@example.com is not a marketer." in page
    assert "Line 6: owner: no employee Никто." in page
    assert "Line 7" in page
    assert "Line 8" in page
    owners = {c.name: c.owner_id for c in db.session.scalars(select(Campaign))}
    assert owners == {"Диваны": mira.id, "Шкафы": oleg.id, "Кухни": oleg.id}
    db.session.refresh(kept)
    assert kept.views == 20  # an empty owner cell leaves the owner as it was


def test_xlsx_import_owner_of_the_wrong_type_is_a_row_error(client, login) -> None:
    login.as_role("marketing")
    mira = factories.make_agent(name="Мира", email="mira@example.com", pay_role="marketer")
    db.session.commit()
    content = import_files.xlsx(
        [["name", "owner"], ["Диваны", "mira@example.com"], ["Шкафы", 12345], ["Полки", 1.5]]
    )
    page = _upload(client, "/campaigns/import", content, "c.xlsx").get_data(as_text=True)
    assert "1 created" in page
    assert "Line 3: owner: no employee 12345." in page
    assert "Line 4" in page
    owners = {c.name: c.owner_id for c in db.session.scalars(select(Campaign))}
    assert owners == {"Диваны": mira.id}
