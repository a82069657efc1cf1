"""Ad audit pages: one text pasted and audited, re-audit, live check, list filters, access."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from qa import create_app
from qa.extensions import db
from qa.models import AdAudit, AdText
from qa.services.admin.settings import company_settings
from qa.services.marketing import ads as ad_service
from qa.timefmt import forget_company_zone, local_today
from tests.web import factories
from tests.web.databases import fresh_database_url, leave_empty
from tests.web.test_access import RULES, _method, _url

FULL_RU = "Скидка 20% на все диваны до 31 марта! Звоните: 8 (495) 123-45-67"
VAGUE_RU = "Лучшие цены на диваны в городе. Большой выбор моделей."


def _login(login, role: str):  # type: ignore[no-untyped-def]
    """Log in with English pages, so the assertions do not depend on the catalogs."""
    user = login.as_role(role)
    user.language = "en"
    db.session.commit()
    return user


def _marked(page: str, kind: str) -> list[str]:
    """Texts inside the verdict's <mark> elements of one kind (offer, deadline, cta, vague)."""
    pattern = rf'<mark class="ad-mark [^"]*\bad-{kind}\b[^"]*"[^>]*>(.*?)</mark>'
    return re.findall(pattern, page, flags=re.S)


def test_single_text_is_audited_stored_and_highlighted(client, login) -> None:
    user = _login(login, "marketing")
    campaign = factories.make_campaign(name="Диваны — весна")
    db.session.commit()
    assert client.get("/ads/new").status_code == 200

    response = client.post(
        "/ads/new", data={"text": FULL_RU, "campaign_id": campaign.id, "lang": ""}
    )

    assert response.status_code == 302
    ad = db.session.scalar(select(AdText))
    assert response.headers["Location"] == f"/ads/{ad.id}"
    assert (ad.text, ad.campaign_id, ad.created_by_id, ad.lang) == (
        FULL_RU,
        campaign.id,
        user.id,
        None,
    )
    audit = ad.latest_audit
    assert (audit.has_offer, audit.has_deadline, audit.has_cta, audit.passed) == (
        True,
        True,
        True,
        True,
    )
    assert audit.audited_by_id == user.id
    assert audit.created_at is not None
    assert audit.result["lang"] == "ru"
    assert audit.result["deadline"]["evidence"]

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    for kind in ("offer", "deadline", "cta"):
        spans = [e["text"] for e in audit.result[kind]["evidence"]]
        assert _marked(page, kind) == [str(escape(text)) for text in spans]
    assert "Passed" in page
    assert "over by 8 characters" in page


def test_missing_elements_get_their_suggestion_and_vague_claims_are_marked(client, login) -> None:
    _login(login, "marketing")
    response = client.post("/ads/new", data={"text": VAGUE_RU, "campaign_id": 0, "lang": "ru"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    audit = db.session.scalar(select(AdAudit))

    assert (audit.has_offer, audit.has_deadline, audit.has_cta, audit.passed) == (
        False,
        False,
        False,
        False,
    )
    assert audit.ad_text.lang == "ru"
    assert audit.ad_text.campaign_id is None
    for kind in ("offer", "deadline", "cta"):
        suggestion = audit.result[kind]["suggestion"]
        assert suggestion
        assert str(escape(suggestion)) in page
    assert audit.result["vague_claims"]
    assert _marked(page, "vague") == [str(escape(c["text"])) for c in audit.result["vague_claims"]]
    assert "Not passed" in page


def test_hostile_text_is_escaped_everywhere(client, login) -> None:
    _login(login, "admin")
    hostile = (
        '<script>alert("x")</script> Скидка 50% до 31 марта! Звоните <img src=x onerror=alert(1)>'
    )
    response = client.post("/ads/new", data={"text": hostile, "campaign_id": 0, "lang": "ru"})
    ad = db.session.scalar(select(AdText))
    assert ad.text == hostile

    for url in (response.headers["Location"], "/ads/"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;" in page
    page = client.get(f"/ads/{ad.id}").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert _marked(page, "offer") == ["Скидка 50%"]
    assert _marked(page, "cta") == ["Звоните"]


def test_expired_deadline_is_shown_and_fails_the_audit(client, login) -> None:
    _login(login, "marketing")
    response = client.post(
        "/ads/new", data={"text": "Скидка 10% до 31.12.2020. Звоните!", "campaign_id": 0}
    )
    audit = db.session.scalar(select(AdAudit))
    assert audit.has_deadline
    assert audit.deadline_expired
    assert not audit.passed
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r"Deadline:\s+expired", page)
    assert str(escape(audit.result["deadline"]["suggestion"])) in page


def test_deadline_is_judged_on_the_company_day_not_the_servers(app) -> None:
    """Kiritimati (UTC+14) is always at least a day ahead of Pago Pago (UTC-11), whatever the
    server's clock says: yesterday there is still today or later here."""
    settings = company_settings()
    settings.timezone = "Pacific/Kiritimati"
    db.session.flush()
    yesterday = local_today() - timedelta(days=1)
    text = f"Скидка 10% до {yesterday:%d.%m.%Y}. Звоните!"
    assert ad_service.check_text(text, "ru").deadline.expired
    settings.timezone = "Pacific/Pago_Pago"
    db.session.flush()
    forget_company_zone()  # as the settings form does
    assert not ad_service.check_text(text, "ru").deadline.expired


def test_refused_texts_are_not_stored(client, login) -> None:
    _login(login, "marketing")
    page = client.post("/ads/new", data={"text": "Скидка! " * 700, "campaign_id": 0})
    assert page.status_code == 400
    assert "the limit is 5000" in page.get_data(as_text=True)
    page = client.post("/ads/new", data={"text": "   ", "campaign_id": 0})
    assert "This field is required" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(AdText.id))) == 0


def test_reaudit_adds_an_audit_and_keeps_history(client, login) -> None:
    first_user = _login(login, "marketing")
    response = client.post("/ads/new", data={"text": FULL_RU, "campaign_id": 0})
    ad_id = int(response.headers["Location"].rsplit("/", 1)[1])
    login.logout()
    second_user = _login(login, "admin")

    response = client.post(f"/ads/{ad_id}/reaudit")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/ads/{ad_id}"
    audits = db.session.scalars(select(AdAudit).order_by(AdAudit.id)).all()
    assert [a.audited_by_id for a in audits] == [first_user.id, second_user.id]
    assert audits[0].result == audits[1].result
    page = client.get(f"/ads/{ad_id}").get_data(as_text=True)
    history = page.split("Audit history", 1)[1]
    assert history.count("<tr") == 3  # header and two audits
    earlier = client.get(f"/ads/{ad_id}?audit={audits[0].id}").get_data(as_text=True)
    assert "earlier audit" in earlier
    assert client.post("/ads/999999/reaudit").status_code == 404


def test_live_check_returns_escaped_verdict_and_stores_nothing(client, login) -> None:
    _login(login, "marketing")
    response = client.post(
        "/ads/check", json={"text": "<i>Sale</i> 40% off this week only. Call now!", "lang": "en"}
    )
    assert response.status_code == 200
    data = response.get_json()
    assert data["result"]["offer"]["present"]
    assert data["result"]["cta"]["present"]
    assert "&lt;i&gt;" in data["html"]
    assert "<i>" not in data["html"]
    assert client.post("/ads/check", json={"text": "x" * 5001}).status_code == 400
    assert client.post("/ads/check", json={"text": "Скидка", "lang": "de"}).status_code == 400
    assert client.post("/ads/check", data="not json").status_code == 400
    assert client.post("/ads/check", json={"text": "  "}).get_json()["html"] == ""
    assert db.session.scalar(select(func.count(AdText.id))) == 0


@pytest.mark.db
def test_live_check_needs_the_csrf_header(tmp_path: Path, database_server_url: str | None) -> None:
    uri = fresh_database_url(tmp_path, database_server_url, "csrf.sqlite3")
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        db.create_all()
        try:
            factories.make_user(email="m@example.com", role="marketing")
            db.session.commit()
            client = app.test_client()
            login_page = client.get("/login").get_data(as_text=True)
            hidden_input = r'name="csrf_token" type="hidden" value="([^"]+)"'
            token = re.search(hidden_input, login_page).group(1)
            client.post(
                "/login",
                data={
                    "email": "m@example.com",
                    "password": factories.PASSWORD,
                    "csrf_token": token,
                },
            )
            page = client.get("/ads/new").get_data(as_text=True)
            header_token = re.search(r'data-csrf="([^"]+)"', page).group(1)
            payload = {"text": "Скидка 20% до пятницы. Звоните!"}
            assert client.post("/ads/check", json=payload).status_code == 400
            response = client.post(
                "/ads/check", json=payload, headers={"X-CSRFToken": header_token}
            )
            assert response.status_code == 200
            assert response.get_json()["result"]["cta"]["present"]
        finally:
            db.session.remove()
            leave_empty(db, database_server_url)
            db.engine.dispose()


def test_list_filters_by_campaign_status_and_missing_element(client, login) -> None:
    user = _login(login, "marketing")
    spring, autumn = factories.make_campaign(name="Spring"), factories.make_campaign(name="Autumn")
    passed = ad_service.audit_text(FULL_RU, campaign_id=spring.id, user=user)
    no_offer = ad_service.audit_text(
        "Звоните до пятницы: 8 (495) 123-45-67", campaign_id=spring.id, user=user
    )
    vague = ad_service.audit_text(VAGUE_RU, campaign_id=autumn.id, user=user)
    db.session.commit()

    def listed(query: str) -> set[int]:
        page = client.get(f"/ads/{query}").get_data(as_text=True)
        return {int(i) for i in re.findall(r'href="/ads/(\d+)"', page)}

    assert listed("") == {passed.id, no_offer.id, vague.id}
    assert listed(f"?campaign={spring.id}") == {passed.id, no_offer.id}
    assert listed("?status=passed") == {passed.id}
    assert listed("?status=failed") == {no_offer.id, vague.id}
    assert listed(f"?campaign={spring.id}&missing=offer") == {no_offer.id}
    assert listed("?missing=cta") == {vague.id}
    assert listed("?status=bogus") == {passed.id, no_offer.id, vague.id}  # bad filter ignored
    campaign_page = client.get(f"/campaigns/{spring.id}").get_data(as_text=True)
    assert str(escape(FULL_RU)) in campaign_page


ADS_RULES = [r for r in RULES if r.endpoint.startswith("ads.")]


@pytest.mark.parametrize("role", ["reviewer", "qa_lead"])
def test_roles_outside_marketing_get_403_on_every_ads_page(client, login, role: str) -> None:
    user = factories.make_user(role="marketing")
    ad = ad_service.audit_text(FULL_RU, user=user)
    db.session.commit()
    login.as_role(role)
    assert {r.endpoint for r in ADS_RULES} >= {
        "ads.index",
        "ads.new",
        "ads.check",
        "ads.detail",
        "ads.reaudit",
        "ads.batch",
        "ads.batch_results",
        "ads.batch_download",
    }
    for rule in ADS_RULES:
        url = _url(rule).replace("999999", str(ad.id))
        assert client.open(url, method=_method(rule)).status_code == 403, url
    assert client.get(f"/ads/{ad.id}").status_code == 403
    assert client.post("/ads/new", data={"text": FULL_RU}).status_code == 403
    assert db.session.scalar(select(func.count(AdText.id))) == 1


def test_a_date_without_year_is_read_in_the_campaign_period(app) -> None:
    """An ad of a campaign planned for next November is not expired by this November."""
    from datetime import date

    text = "Скидка 20% на все диваны до 30 ноября. Звоните: 8 (495) 123-45-67"
    audit_day = date(2026, 12, 6)
    planned = factories.make_campaign(starts_on=date(2027, 11, 1), ends_on=date(2027, 11, 30))
    undated = factories.make_campaign()
    in_plan = ad_service.audit_text(text, campaign_id=planned.id, today=audit_day)
    loose = ad_service.audit_text(text, campaign_id=undated.id, today=audit_day)
    alone = ad_service.audit_text(text, today=audit_day)
    db.session.commit()

    assert in_plan.latest_audit.deadline_expired is False
    assert in_plan.latest_audit.result["deadline"]["ends_on"] == "2027-11-30"
    # Without campaign dates the nearest 30 November is the one just past.
    for ad in (loose, alone):
        assert ad.latest_audit.deadline_expired is True
        assert ad.latest_audit.result["deadline"]["ends_on"] == "2026-11-30"
    # A re-audit reads the date in the campaign period too.
    assert ad_service.reaudit(in_plan, None, today=audit_day).deadline_expired is False


def test_live_check_reads_dates_in_the_chosen_campaign(client, login) -> None:
    from datetime import date

    _login(login, "marketing")
    planned = factories.make_campaign(starts_on=date(2099, 11, 1), ends_on=date(2099, 11, 30))
    db.session.commit()
    text = "Скидка 20% до 30 ноября. Звоните: 8 (495) 123-45-67"

    def ends_on(campaign_id: object) -> str:
        response = client.post(
            "/ads/check", json={"text": text, "lang": "ru", "campaign_id": campaign_id}
        )
        assert response.status_code == 200
        return response.get_json()["result"]["deadline"]["ends_on"]

    assert ends_on(planned.id) == "2099-11-30"
    # No campaign, an unknown one or a malformed number: the audit day decides.
    plain = ends_on(None)
    assert plain != "2099-11-30"
    for bad in (999_999, "1", True, -1, 2**70, [planned.id], {"id": planned.id}):
        assert ends_on(bad) == plain
