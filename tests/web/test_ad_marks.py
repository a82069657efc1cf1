"""Marks on ad audits: a wrong element verdict or a missed element, listed and exported."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from qa.extensions import db
from qa.models import AdAuditMark
from qa.services.marketing import ads as ad_service
from tests.web import factories


def _ad(text: str = "Диваны со скидкой 20% до 31 марта. Звоните! Реклама. erid: 2VtzqwXyZ1"):
    user = factories.make_user(role="marketing")
    ad = ad_service.audit_text(text, campaign_id=None, lang="ru", user=user, today=date(2026, 3, 1))
    db.session.commit()
    return ad


def _marks() -> list[AdAuditMark]:
    return list(db.session.scalars(select(AdAuditMark).order_by(AdAuditMark.id)))


def test_marketer_marks_an_element_and_sees_it_listed(client, login) -> None:
    ad = _ad()
    audit = ad.latest_audit
    user = login.as_role("marketing")
    url = f"/ads/{ad.id}/audits/{audit.id}/marks"
    response = client.post(
        url, data={"element": "deadline", "kind": "wrong", "note": "«до 31 марта» — <b>срок</b>"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#audit-marks")
    client.post(url, data={"element": "erid", "kind": "missed", "note": ""})
    first, second = _marks()
    assert (first.audit_id, first.element, first.kind, first.created_by_id) == (
        audit.id,
        "deadline",
        "wrong",
        user.id,
    )
    assert (second.element, second.note) == ("erid", None)
    page = client.get(f"/ads/{ad.id}").get_data(as_text=True)
    assert 'id="audit-marks"' in page
    assert "Verdict is wrong" in page
    assert "ERID token" in page
    assert "&lt;b&gt;срок&lt;/b&gt;" in page
    assert "<b>срок</b>" not in page
    listing = client.get("/ads/marks").get_data(as_text=True)
    assert f'id="ad-mark-{first.id}"' in listing
    assert f'id="ad-mark-{second.id}"' in listing
    # The same mark twice is refused.
    again = client.post(url, data={"element": "erid", "kind": "missed"}, follow_redirects=True)
    assert "already marked" in again.get_data(as_text=True)
    assert len(_marks()) == 2


def test_marks_export_as_json_lines(client, login) -> None:
    ad = _ad()
    login.as_role("admin")
    client.post(
        f"/ads/{ad.id}/audits/{ad.latest_audit.id}/marks",
        data={"element": "advertiser", "kind": "missed", "note": "ООО «Диван»"},
    )
    response = client.get("/ads/marks.jsonl")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    [row] = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert row["element"] == "advertiser"
    assert row["kind"] == "missed"
    assert row["note"] == "ООО «Диван»"
    assert row["text"] == ad.text
    assert row["lang"] == "ru"
    assert row["audit_id"] == ad.latest_audit.id
    assert row["id"].startswith("admark-")
    assert set(row["verdict"]) == {"offer", "deadline", "cta", "deadline_expired"}


def test_bad_marks_are_refused(client, login) -> None:
    ad, other = _ad(), _ad("Лучшие диваны.")
    login.as_role("marketing")
    url = f"/ads/{ad.id}/audits/{ad.latest_audit.id}/marks"
    for form, message in (
        ({"element": "price", "kind": "wrong"}, "Unknown ad element"),
        ({"element": "offer", "kind": "maybe"}, "wrong or the element was missed"),
        ({"element": "offer", "kind": "wrong", "note": "a\x00b"}, "control characters"),
        ({"element": "offer", "kind": "wrong", "note": "x" * 5000}, "1000"),
    ):
        response = client.post(url, data=form, follow_redirects=True)
        assert message in response.get_data(as_text=True), form
    foreign = f"/ads/{ad.id}/audits/{other.latest_audit.id}/marks"
    assert client.post(foreign, data={"element": "offer", "kind": "wrong"}).status_code == 404
    assert _marks() == []
    login.logout()
    login.as_role("reviewer")
    assert client.post(url, data={"element": "offer", "kind": "wrong"}).status_code == 403
    assert client.get("/ads/marks").status_code == 403
    assert client.get("/ads/marks.jsonl").status_code == 403
    assert _marks() == []
