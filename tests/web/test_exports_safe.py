"""Every CSV and XLSX download, fed hostile names, holds no cell a spreadsheet would run.

A cell that starts with = + - @, a tab or a carriage return is a formula to Excel and
LibreOffice; numbers are the one exception (they are written as numbers). XLSX cells must also
not be stored as formulas. The role tests check that only marketing and admin reach the import
and export routes, and that a refused request changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from qa.extensions import db
from qa.models import AdText, Campaign, Lead
from qa.services import exports
from tests.web import dashboard_data
from tests.web.import_files import GOOD_AD

HOSTILE = [
    '=HYPERLINK("http://evil.example","Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]
DANGEROUS = tuple(exports.FORMULA_START)
NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")
PERIOD_ARGS = "from=2026-03-01&to=2026-03-30"


def _unsafe_csv_cells(body: bytes) -> list[str]:
    text = body.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert cells
    return [c for c in cells if c.startswith(DANGEROUS) and not NUMBER.match(c)]


def _unsafe_xlsx_cells(body: bytes) -> list[object]:
    sheet = load_workbook(io.BytesIO(body)).active
    bad = []
    for row in sheet.iter_rows():
        for cell in row:
            text = cell.value if isinstance(cell.value, str) else ""
            if cell.data_type == "f" or text.startswith(DANGEROUS):
                bad.append(cell.value)
    return bad


def _login(login, role: str = "marketing"):  # type: ignore[no-untyped-def]
    user = login.as_role(role)
    user.language = "en"
    db.session.commit()
    return user


def test_writer_neutralises_every_text_cell_and_keeps_numbers() -> None:
    header = ["=name", "amount"]
    rows = [[text, Decimal("-12.50")] for text in HOSTILE] + [["ok", float("nan")]]
    csv_body = exports.csv_bytes(header, rows)
    assert _unsafe_csv_cells(csv_body) == []
    assert "-12.50" in csv_body.decode("utf-8-sig")  # a number stays a number
    xlsx_body = exports.xlsx_bytes(header, rows, title="t")
    assert _unsafe_xlsx_cells(xlsx_body) == []
    sheet = load_workbook(io.BytesIO(xlsx_body)).active
    assert sheet["A1"].value == "'=name"
    assert (sheet["B2"].value, sheet["B2"].data_type) == (-12.5, "n")
    assert sheet["B8"].value is None  # NaN is no value, not a broken cell


def test_dashboard_export_with_hostile_campaign_names(client, login, app) -> None:
    scenario = dashboard_data.build()
    scenario.spring.name = HOSTILE[0]
    scenario.retarget.name = HOSTILE[3]
    db.session.commit()
    _login(login)
    response = client.get(f"/dashboard/export.csv?{PERIOD_ARGS}")
    assert response.status_code == 200
    assert _unsafe_csv_cells(response.data) == []
    text = response.data.decode("utf-8-sig")
    assert "'" + HOSTILE[0].replace('"', '""') in text
    assert "'" + HOSTILE[3] in text


def _batch(client, content: bytes, name: str = "ads.csv") -> str:  # type: ignore[no-untyped-def]
    response = client.post("/ads/batch", data={"file": (io.BytesIO(content), name)},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    token = re.fullmatch(r"/ads/batch/([0-9a-f]{32})", response.headers["Location"])
    assert token, response.headers["Location"]
    return token.group(1)


def test_ad_batch_downloads_with_hostile_header_and_cells(client, login) -> None:
    _login(login)
    out = io.StringIO()
    writer = csv.writer(out)
    # Header names are the user's too: they come back in the download's header row.
    writer.writerow(["text", "=cmd", "@note", "+x", "-y"])
    writer.writerow([GOOD_AD, *HOSTILE[:4]])
    for text in HOSTILE:
        writer.writerow([text + " Скидка 20% до пятницы! Звоните", "a", "b", "c", "d"])
    token = _batch(client, out.getvalue().encode())

    csv_body = client.get(f"/ads/batch/{token}/results.csv").data
    assert _unsafe_csv_cells(csv_body) == []
    xlsx_body = client.get(f"/ads/batch/{token}/results.xlsx").data
    assert _unsafe_xlsx_cells(xlsx_body) == []
    header = [c.value for c in next(load_workbook(io.BytesIO(xlsx_body)).active.iter_rows())]
    assert header[:5] == ["text", "'=cmd", "'@note", "'+x", "_y"]

    # Our own download uploaded again is read back to the original texts, not doubled quotes.
    stored = db.session.scalar(select(func.count(AdText.id)))
    _batch(client, xlsx_body, "again.xlsx")
    texts = list(db.session.scalars(select(AdText.text).order_by(AdText.id.desc()).limit(6)))
    assert db.session.scalar(select(func.count(AdText.id))) == stored * 2
    assert HOSTILE[0] + " Скидка 20% до пятницы! Звоните" in texts


# --- who may import and export --------------------------------------------------------------

LEADS_CSV = b"external_id,created_at\nR-1,2026-11-02 10:00\n"
CAMPAIGNS_CSV = b"name,spend\nRoles,5\n"
ADS_CSV = f"text\n{GOOD_AD}\n".encode()


def _counts() -> tuple[int, int, int]:
    return (
        db.session.scalar(select(func.count(Lead.id))),
        db.session.scalar(select(func.count(Campaign.id))),
        db.session.scalar(select(func.count(AdText.id))),
    )


def _post_file(client, url: str, content: bytes):  # type: ignore[no-untyped-def]
    return client.post(url, data={"file": (io.BytesIO(content), "f.csv")},
                       content_type="multipart/form-data")


@pytest.mark.parametrize("role", ["admin", "marketing"])
def test_marketing_and_admin_may_import_and_export(client, login, role: str) -> None:
    _login(login, role)
    assert _post_file(client, "/campaigns/import", CAMPAIGNS_CSV).status_code == 302
    page = _post_file(client, "/leads/import", LEADS_CSV).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/leads/import/confirm", data={"token": token}).status_code == 302
    batch = _batch(client, ADS_CSV)
    assert _counts() == (1, 1, 1)
    for url in (f"/ads/batch/{batch}/results.csv", f"/ads/batch/{batch}/results.xlsx",
                f"/dashboard/export.csv?{PERIOD_ARGS}"):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["reviewer", "qa_lead"])
def test_other_roles_are_refused_and_nothing_changes(client, login, role: str) -> None:
    # A marketer stages a lead file and makes a batch; the other role then tries every door.
    _login(login, "marketing")
    page = _post_file(client, "/leads/import", LEADS_CSV).get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    batch = _batch(client, ADS_CSV)
    login.logout()
    before = _counts()

    _login(login, role)
    assert _post_file(client, "/campaigns/import", CAMPAIGNS_CSV).status_code == 403
    assert _post_file(client, "/leads/import", LEADS_CSV).status_code == 403
    assert client.post("/leads/import/confirm", data={"token": token}).status_code == 403
    assert _post_file(client, "/ads/batch", ADS_CSV).status_code == 403
    for url in (f"/ads/batch/{batch}/results.csv", f"/ads/batch/{batch}/results.xlsx",
                f"/dashboard/export.csv?{PERIOD_ARGS}"):
        assert client.get(url).status_code == 403, url
    assert _counts() == before
    login.logout()

    # The refused confirm did not use up the staged file.
    _login(login, "marketing")
    done = client.post("/leads/import/confirm", data={"token": token}, follow_redirects=True)
    assert "1 created" in done.get_data(as_text=True)
