"""Batch ad audit: CSV and XLSX uploads with bad rows, the results page and downloads."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from qa.extensions import db
from qa.models import AdAudit, AdText
from qa.services.tabular import read_table
from tests.web import factories

GOOD_RU = "Скидка 20% на все диваны до 31 марта! Звоните: 8 (495) 123-45-67"
NO_OFFER_RU = "Звоните до пятницы: 8 (495) 123-45-67"
GOOD_EN = "40% off all sofas this week only. Call 555-0100 now!"


def _login(login, role: str = "marketing"):  # type: ignore[no-untyped-def]
    """Log in with English pages, so the assertions do not depend on the catalogs."""
    user = login.as_role(role)
    user.language = "en"
    db.session.commit()
    return user


def _upload(client, content: bytes, name: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/ads/batch",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _results(client, response):  # type: ignore[no-untyped-def]
    """Follow the upload's redirect to its results page; return the page and its token."""
    assert response.status_code == 302
    location = response.headers["Location"]
    match = re.fullmatch(r"/ads/batch/([0-9a-f]{32})", location)
    assert match, location
    return client.get(location).get_data(as_text=True), match.group(1)


def _stored() -> list[AdText]:
    return list(db.session.scalars(select(AdText).order_by(AdText.id)))


def test_utf8_comma_csv_is_audited_stored_and_downloadable(client, login) -> None:
    user = _login(login)
    campaign = factories.make_campaign(name="Диваны")
    db.session.commit()
    csv_text = (
        "campaign,text,placement\n"
        f'Диваны,"{GOOD_RU}",search\n'
        f"диваны,{NO_OFFER_RU},banner\n"
        f",{GOOD_EN},sms\n"
    )

    page, token = _results(client, _upload(client, csv_text.encode("utf-8"), "spring.csv"))

    ads = _stored()
    assert [a.text for a in ads] == [GOOD_RU, NO_OFFER_RU, GOOD_EN]
    assert [a.campaign_id for a in ads] == [campaign.id, campaign.id, None]
    assert [a.extra for a in ads] == [{"placement": p} for p in ("search", "banner", "sms")]
    assert {a.created_by_id for a in ads} == {user.id}
    assert [(a.latest_audit.has_offer, a.latest_audit.passed) for a in ads] == [
        (True, True),
        (False, False),
        (True, True),
    ]
    assert "Audited and saved: 3. Rows refused: 0." in page
    assert all(f'href="/ads/{a.id}"' in page for a in ads)
    campaign_page = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    assert NO_OFFER_RU in campaign_page

    download = client.get(f"/ads/batch/{token}/results.csv")
    assert download.status_code == 200
    assert download.mimetype == "text/csv"
    assert "spring-audit.csv" in download.headers["Content-Disposition"]
    table = read_table(io.BytesIO(download.data), "results.csv")
    assert table.header == [
        "campaign", "text", "placement", "offer", "deadline", "cta", "expired", "suggestions",
        "error",
    ]  # fmt: skip
    rows = [r.values for r in table.rows]
    assert [r["text"] for r in rows] == [GOOD_RU, NO_OFFER_RU, GOOD_EN]
    assert [(r["offer"], r["deadline"], r["cta"], r["expired"]) for r in rows] == [
        ("yes", "yes", "yes", "no"),
        ("no", "yes", "yes", "no"),
        ("yes", "yes", "yes", "no"),
    ]
    assert rows[1]["suggestions"] == ads[1].latest_audit.result["offer"]["suggestion"]
    assert rows[0]["suggestions"] == rows[0]["error"] == ""

    book = load_workbook(io.BytesIO(client.get(f"/ads/batch/{token}/results.xlsx").data))
    values = list(book.active.iter_rows(values_only=True))
    assert values[0][:4] == ("campaign", "text", "placement", "offer")
    assert [v[1] for v in values[1:]] == [GOOD_RU, NO_OFFER_RU, GOOD_EN]
    assert [v[3] for v in values[1:]] == ["yes", "no", "yes"]

    # The downloaded results can be uploaded again: the verdict columns are not doubled.
    _results(client, _upload(client, download.data, "again.csv"))
    again = _stored()[3:]
    assert [a.text for a in again] == [GOOD_RU, NO_OFFER_RU, GOOD_EN]
    assert again[0].extra == {"placement": "search"}


def test_windows_1251_semicolon_csv_reports_bad_rows_by_line(client, login) -> None:
    _login(login)
    factories.make_campaign(name="Кухни")
    db.session.commit()
    csv_text = (
        "Кампания;Текст;Регион\n"
        f"Кухни;{GOOD_RU};Москва\n"
        f"Шкафы-купе;{GOOD_RU};Москва\n"
        "Кухни;;Казань\n"
        f"Кухни;{NO_OFFER_RU};Казань\n"
    )

    page, _token = _results(client, _upload(client, csv_text.encode("cp1251"), "кухни.csv"))

    assert [(a.text, a.extra) for a in _stored()] == [
        (GOOD_RU, {"регион": "Москва"}),
        (NO_OFFER_RU, {"регион": "Казань"}),
    ]
    assert "Audited and saved: 2. Rows refused: 2." in page
    assert "Line 3: Unknown campaign Шкафы-купе." in page
    assert "Line 4: The ad text is empty." in page


def test_xlsx_with_malformed_rows_keeps_the_good_ones(client, login) -> None:
    _login(login, "admin")
    factories.make_campaign(name="Spring sale")
    db.session.commit()
    content = _xlsx(
        [
            ["Campaign", "Text", "Lang", "Owner"],
            ["Spring sale", GOOD_EN, "en", "Ann"],
            ["Spring sale", None, "en", "Bob"],
            ["Spring sale", GOOD_EN, "de", "Cid"],
            ["Autumn", GOOD_EN, "", "Dan"],
            ["spring SALE", "Best prices in town! Visit us.", None, 42],
        ]
    )

    page, token = _results(client, _upload(client, content, "ads.xlsx"))

    ads = _stored()
    assert [(a.lang, a.extra) for a in ads] == [("en", {"owner": "Ann"}), (None, {"owner": "42"})]
    assert not ads[1].latest_audit.has_offer
    assert "Line 3: The ad text is empty." in page
    assert "Line 4: Unknown language de: use ru or en." in page
    assert "Line 5: Unknown campaign Autumn." in page
    table = read_table(io.BytesIO(client.get(f"/ads/batch/{token}/results.csv").data), "r.csv")
    assert [(r.line, r.values["offer"], r.values["error"]) for r in table.rows] == [
        (2, "yes", ""),
        (3, "", "The ad text is empty."),
        (4, "", "Unknown language de: use ru or en."),
        (5, "", "Unknown campaign Autumn."),
        (6, "no", ""),
    ]


def test_malformed_files_get_a_message_and_store_nothing(client, login) -> None:
    _login(login)
    cases = [
        (b"campaign;body\nX;Sale 20% today\n", "a.csv", "The file needs a &#39;text&#39; column"),
        (b"not a workbook at all", "a.xlsx", "This is not a readable XLSX file."),
        (b"text\n", "a.csv", "The file has no rows below its header."),
        (b"", "a.csv", "The file is empty."),
        (b"text\nSale\n", "a.pdf", "CSV or XLSX only."),
    ]
    for content, name, message in cases:
        response = _upload(client, content, name)
        assert response.status_code == 302
        assert response.headers["Location"] == "/ads/batch"
        assert message in client.get("/ads/batch").get_data(as_text=True), name
    assert db.session.scalar(select(func.count(AdText.id))) == 0


def test_hostile_rows_are_escaped_or_refused(client, login) -> None:
    _login(login)
    script = "<script>alert(1)</script> Скидка 30% до пятницы! Звоните"
    formula = '=HYPERLINK("http://evil.example","Скидка 30%")'
    quoted_formula = formula.replace('"', '""')
    csv_text = f'text,note\n"{script}",<b>x</b>\n{"A" * 5001},long\n"{quoted_formula}",f\n'

    page, token = _results(client, _upload(client, csv_text.encode(), "hostile.csv"))

    assert "<script>alert(1)" not in page
    assert "<b>x</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Line 3: The ad text is 5001 characters long; the limit is 5000." in page
    assert [a.text for a in _stored()] == [script, formula]
    detail = client.get(f"/ads/{_stored()[0].id}").get_data(as_text=True)
    assert "<script>alert(1)" not in detail
    assert "&lt;b&gt;x&lt;/b&gt;" in detail

    csv_rows = client.get(f"/ads/batch/{token}/results.csv").get_data(as_text=True).splitlines()
    assert csv_rows[3].startswith("\"'=HYPERLINK(")  # shown as text, not run as a formula
    sheet = load_workbook(io.BytesIO(client.get(f"/ads/batch/{token}/results.xlsx").data)).active
    assert sheet["A4"].value == "'" + formula  # neutralised in XLSX too, and stored as text
    assert sheet["A4"].data_type == "s"


def test_unknown_batch_and_format_are_404(client, login) -> None:
    _login(login)
    assert client.get("/ads/batch").status_code == 200
    assert client.get("/ads/batch/" + "0" * 32).status_code == 404
    assert client.get("/ads/batch/../../etc/passwd").status_code == 404
    response = _upload(client, f"text\n{GOOD_EN}\n".encode(), "a.csv")
    token = response.headers["Location"].rsplit("/", 1)[1]
    assert client.get(f"/ads/batch/{token}/results.pdf").status_code == 404
    assert db.session.scalar(select(func.count(AdAudit.id))) == 1


MARKED_RU = "Скидка 20% на диваны до 31 марта! Звоните. Реклама. ООО «Ромашка», erid: 2VtzqwXYZ1"


def _upload_online(client, content: bytes, name: str, online: str | None = "y"):  # type: ignore[no-untyped-def]
    data: dict[str, object] = {"file": (io.BytesIO(content), name)}
    if online is not None:
        data["online"] = online
    return client.post("/ads/batch", data=data, content_type="multipart/form-data")


def test_a_file_of_online_ads_has_each_rows_marking_checked(client, login) -> None:
    _login(login)
    csv_text = f'text,lang\n"{MARKED_RU}",ru\n{GOOD_RU},ru\n'.encode()
    assert 'name="online"' in client.get("/ads/batch").get_data(as_text=True)

    page, token = _results(client, _upload_online(client, csv_text, "online.csv"))
    marked, unmarked = _stored()
    assert all(ad.extra.get("__online") == "yes" for ad in (marked, unmarked))
    states = [
        {name: verdict["present"] for name, verdict in ad.latest_audit.result["marking"].items()}
        for ad in (marked, unmarked)
    ]
    assert states == [
        {"label": True, "advertiser": True, "erid": True},
        {"label": False, "advertiser": False, "erid": False},
    ]
    # The missing marking is among the row's fixes, on the page and in the download.
    assert "Добавьте пометку «Реклама»" in page
    table = read_table(io.BytesIO(client.get(f"/ads/batch/{token}/results.csv").data), "r.csv")
    fixes = [row.values["suggestions"] for row in table.rows]
    assert "Реклама" not in fixes[0]
    assert "Добавьте пометку «Реклама»" in fixes[1]
    # A re-audit keeps checking the marking, as for an ad typed in the form.
    client.post(f"/ads/{unmarked.id}/reaudit", data={})
    db.session.refresh(unmarked)
    assert unmarked.audits[-1].result["marking"]["erid"]["present"] is False

    # The same file again without the box is a new batch with no marking checked, not the
    # results of the online one (a repeated click is recognised by file and options together).
    response = _upload_online(client, csv_text, "online.csv", online=None)
    _page, plain_token = _results(client, response)
    assert plain_token != token
    plain = _stored()[2:]
    assert [ad.extra.get("__online") for ad in plain] == [None, None]
    assert all(ad.latest_audit.result.get("marking") is None for ad in plain)


def test_hostile_online_batches_are_refused_or_escaped(client, login) -> None:
    _login(login)
    # A flag value that is markup or a NUL is only a ticked box, never shown or stored.
    for number, value in enumerate(("<script>alert(1)</script>", "\x00", "y" * 10_000)):
        content = f"text,n\n{GOOD_RU},{number}\n".encode()
        page, _token = _results(client, _upload_online(client, content, "flag.csv", online=value))
        assert "<script>alert(1)</script>" not in page
        assert "\x00" not in page
    assert [ad.extra for ad in _stored()] == [{"n": str(n), "__online": "yes"} for n in range(3)]
    # A row cannot smuggle the flag in as a column, nor turn it off: "__" keys are not columns.
    page, _token = _results(
        client,
        _upload_online(client, f"text,__online\n{GOOD_EN},no\n".encode(), "smuggle.csv", None),
    )
    assert _stored()[-1].extra.get("__online") is None
    assert _stored()[-1].latest_audit.result.get("marking") is None
    # Bad rows of an online file are refused by line, the good ones stored; nothing is 500.
    script = "<script>alert(1)</script> Скидка 30% до пятницы! Звоните"
    content = f'text\n"{script}"\n{"A" * 5001}\nSale\x00 20%\n'.encode()
    page, _token = _results(client, _upload_online(client, content, "hostile.csv"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page
    assert "contains a NUL byte" in page
    assert _stored()[-1].extra == {"__online": "yes"}
    # An empty or malformed file is refused whatever the flag.
    for content, name, message in [
        (b"", "a.csv", "The file is empty."),
        (b"not a workbook at all", "a.xlsx", "This is not a readable XLSX file."),
    ]:
        response = _upload_online(client, content, name)
        assert response.headers["Location"] == "/ads/batch"
        assert message in client.get("/ads/batch").get_data(as_text=True)
