"""Lead import: preview, bad rows with line numbers, re-import by external id, linking."""

from __future__ import annotations

import io
import re
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook
from sqlalchemy import func, select

from qa.extensions import db
from qa.models import Lead
from tests.web import factories

CSV = """external_id,created_at,phone,channel,campaign,status,sale_amount,customer_id
A-1,2026-11-02 10:00,8 (916) 123-45-67,call,Sofas,won,25000,c1
A-2,02.11.2026 11:30,+7 916 765 43 21,site,,new,,c2
A-3,2026-11-03 12:00,12345,call,Sofas,new,,c3
A-4,yesterday,+79161112233,call,Sofas,new,,c4
A-5,2026-11-04 09:00,,store_visit,Nope,new,,c5
"""


def _preview(client, content: bytes, name: str = "leads.csv"):  # type: ignore[no-untyped-def]
    return client.post("/leads/import", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def _confirm(client, page: str):  # type: ignore[no-untyped-def]
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post("/leads/import/confirm", data={"token": token}, follow_redirects=True)


def test_preview_stores_nothing_then_import_keeps_good_rows(client, login) -> None:
    login.as_role("marketing")
    factories.make_campaign(name="Sofas")
    db.session.commit()
    response = _preview(client, CSV.encode())
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Line 4" in page
    assert "12345" in page  # invalid phone
    assert "Line 5" in page
    assert "yesterday" in page  # bad date
    assert "Line 6" in page
    assert "Nope" in page  # unknown campaign
    assert db.session.scalar(select(func.count()).select_from(Lead)) == 0

    done = _confirm(client, page).get_data(as_text=True)
    assert "2 created, 0 updated" in done
    first = db.session.scalar(select(Lead).where(Lead.external_id == "A-1"))
    assert first.phone == "+79161234567"
    assert first.sale_amount == Decimal("25000")
    assert first.campaign.name == "Sofas"
    # Naive times are read in the company zone (Europe/Moscow, UTC+3) and stored as UTC.
    assert first.created_at == datetime(2026, 11, 2, 7, 0)
    second = db.session.scalar(select(Lead).where(Lead.external_id == "A-2"))
    assert second.channel == "site_request"


def test_reimport_updates_by_external_id(client, login) -> None:
    login.as_role("marketing")
    factories.make_campaign(name="Sofas")
    db.session.commit()
    _confirm(client, _preview(client, CSV.encode()).get_data(as_text=True))
    again = "external_id;created_at;status;sale_amount\nA-2;2026-11-02 11:30;won;9900\n"
    done = _confirm(client, _preview(client, again.encode()).get_data(as_text=True))
    assert "0 created, 1 updated" in done.get_data(as_text=True)
    lead = db.session.scalar(select(Lead).where(Lead.external_id == "A-2"))
    assert (lead.status, lead.sale_amount) == ("won", Decimal("9900"))
    assert db.session.scalar(select(func.count()).select_from(Lead)) == 2


def test_xlsx_import(client, login) -> None:
    login.as_role("admin")
    book = Workbook()
    sheet = book.active
    sheet.append(["external_id", "created_at", "phone", "status"])
    sheet.append(["X-1", "2026-11-05 10:00", "+7 916 000 11 22", "qualified"])
    buffer = io.BytesIO()
    book.save(buffer)
    page = _preview(client, buffer.getvalue(), "leads.xlsx").get_data(as_text=True)
    assert "1 created" in _confirm(client, page).get_data(as_text=True)
    assert db.session.scalar(select(Lead.status)) == "qualified"


def test_missing_columns_and_expired_token(client, login) -> None:
    login.as_role("marketing")
    response = _preview(client, b"phone,status\n1,new\n")
    assert response.headers["Location"] == "/leads/"
    page = client.get("/leads/").get_data(as_text=True)
    assert "The file needs external_id and created_at columns." in page
    response = client.post("/leads/import/confirm", data={"token": "0" * 32 + ".csv"},
                           follow_redirects=True)
    assert "expired" in response.get_data(as_text=True)
    response = client.post("/leads/import/confirm", data={"token": "../../etc/passwd"},
                           follow_redirects=True)
    assert "expired" in response.get_data(as_text=True)


def test_statuses_and_channels_by_their_names_in_either_language(client, login) -> None:
    login.as_role("marketing")
    rows = ("external_id,created_at,channel,status\n"
            "N-1,2026-11-02 10:00,Заявка с сайта,Продажа\n"
            "N-2,2026-11-02 10:00,Store visit,Qualified\n"
            "N-3,2026-11-02 10:00,call,сделка\n")
    page = _preview(client, rows.encode()).get_data(as_text=True)
    # The unknown status is named, with the values that would do.
    assert "Line 4" in page
    assert "сделка (use new, qualified, won, lost)" in page
    _confirm(client, page)
    leads = db.session.scalars(select(Lead).order_by(Lead.external_id)).all()
    assert [(lead.channel, lead.status) for lead in leads] == [
        ("site_request", "won"), ("store_visit", "qualified")
    ]
