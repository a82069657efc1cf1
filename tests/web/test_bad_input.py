"""Every case in bad_input_cases.py: refused with its message, and stored rows untouched."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from qa.extensions import db
from qa.models import (
    AdAudit,
    AdText,
    CoachingAssignment,
    CoachingExample,
    Comment,
    Dispute,
    GlossaryTerm,
    Notification,
    ObjectionCorrection,
    SamplingRule,
    Tracker,
)
from qa.services.admin import api_tokens
from qa.services.admin.settings import company_settings
from qa.services.mystery.assignments import move
from qa.services.quality.reviews import save_review
from qa.services.quality.subjects import subject_for_call, subject_for_shop
from tests.web import factories, world
from tests.web.bad_input_cases import CASES, EMPLOYEE_EMAIL, MANAGER_EMAIL, Case


def seed() -> dict[str, Any]:
    """Known good rows of every kind the cases touch; returns their ids for the URLs."""
    user = factories.make_user(name="Оля", email="olya@example.com")
    reviewer1 = factories.make_user(name="Reviewer One")
    reviewer2 = factories.make_user(name="Reviewer Two")
    campaign = factories.make_campaign(
        name="Весна", spend=Decimal("1000.00"), views=5000, starts_on=date(2026, 3, 1)
    )
    lead = factories.make_lead(
        external_id="L-1", created_at=datetime(2026, 3, 2, 9), campaign=campaign,
        status="won", sale_amount=Decimal("1500.00"),
    )
    agent = factories.make_agent(name="Агент")
    call = factories.make_call(agent=agent, campaign=campaign, lead=lead, status="transcribed")
    segment = factories.make_segment(call, speaker="customer", text="Это дорого.")
    finding = factories.make_finding(call, segment_id=segment.id, text="дорого", start_char=4,
                                     end_char=10)
    other_call = factories.make_call(status="transcribed")
    other_segment = factories.make_segment(other_call, speaker="customer", text="Дорого.")
    other_finding = factories.make_finding(other_call, segment_id=other_segment.id)
    decided = ObjectionCorrection(
        call_id=call.id, segment_id=segment.id, finding_id=finding.id, kind="wrong",
        label="price", start_char=4, end_char=10, text="дорого", segment_text=segment.text,
        lang="ru", status="accepted", created_by_id=user.id, decided_by_id=user.id,
    )
    pending = ObjectionCorrection(
        call_id=call.id, segment_id=segment.id, kind="missed", label="assortment",
        start_char=0, end_char=3, text="Это", segment_text=segment.text, lang="ru",
        created_by_id=user.id,
    )
    template = factories.make_scorecard()
    tracker = Tracker(name="Дорого", label="price_talk", lang="ru", said_by="customer",
                      phrases=["дорого"])
    term = GlossaryTerm(term="Айфон", misheard="ай фон", kind="product")
    rule = SamplingRule(name="Daily", kind="random_per_agent", count=2, period="day")
    ad = AdText(text="Скидка 20% до 31 марта. Звоните!", lang="ru")
    audit = AdAudit(ad_text=ad, has_offer=True, has_deadline=True, has_cta=True)
    other_audit = AdAudit(ad_text=AdText(text="Диваны.", lang="ru"), has_offer=False,
                          has_deadline=False, has_cta=False)
    db.session.add_all([tracker, term, rule, decided, pending, audit, other_audit])
    shopper = factories.make_user(role="shopper", name="Пётр")
    location = factories.make_location(name="Тверская")
    factories.make_location(name="Склад")
    assignment = factories.make_assignment(shopper, location=location)
    scenario = assignment.wave.scenario
    factories.make_scenario(name="Второй сценарий")
    submitted = factories.make_assignment(shopper, state="submitted")
    # A published report at a location of the "manager" case role, with open and decided
    # disputes, and one at another manager's location.
    manager = factories.make_user(role="location_manager", name="Марк", email=MANAGER_EMAIL)
    lead = factories.make_user(role="qa_lead", name="Лида")
    published = factories.make_assignment(
        shopper, location=factories.make_location(name="Арбат", manager=manager),
        state="submitted")
    others = factories.make_assignment(
        shopper, state="submitted", location=factories.make_location(
            name="Садовая", manager=factories.make_user(role="location_manager")))
    shop_reviews = [
        save_review(subject_for_shop(shop), template.current, lead, comments={}, comment=None,
                    values={"greet": "yes", "needs": "4", "price": "yes"})
        for shop in (published, others)
    ]
    for shop in (published, others):
        move(shop, "approved", lead)
        move(shop, "published", lead)
    open_dispute = Dispute(review=shop_reviews[0], item_key="price", raised_by=manager,
                           reason="The seller offered a cheaper sofa.")
    decided_dispute = Dispute(review=shop_reviews[0], item_key="greet", raised_by=manager,
                              reason="The seller did greet us.", status="rejected",
                              resolved_by=lead, resolution_note="Not on the recording.")
    db.session.add_all([open_dispute, decided_dispute])
    # A coaching example assigned to an employee other than the one a case logs in as.
    example = CoachingExample(call=call, segment=segment, start_s=0.0, end_s=1.0, kind="good",
                              note="Послушай, как отработана цена", lang="ru")
    other_employee = factories.make_user(role="employee", name="Игорь")
    coaching = CoachingAssignment(example=example, assignee=other_employee)
    employee = factories.make_user(role="employee", name="Ольга")
    inactive_employee = factories.make_user(role="employee", is_active_user=False)
    db.session.add_all([example, coaching])
    # An employee linked to the seeded call's agent, with a review of that call.
    factories.make_user(role="employee", name="Ева", email=EMPLOYEE_EMAIL, agent_id=agent.id)
    spare_agent = factories.make_agent(name="Без аккаунта")
    own_review = save_review(subject_for_call(call), template.current, reviewer1, comments={},
                             comment=None, values={"greet": "yes", "needs": "2", "price": "no"})
    # Comments: one of Оля's on the call, an inactive user and a shopper to mention, a call
    # review to comment on, and a notification of Оля's.
    factories.make_user(email="gone@example.com", is_active_user=False)
    factories.make_user(email="shopper-seen@example.com", role="shopper")
    comment = Comment(call=call, segment=segment, time_start=0.0, time_end=1.0, author=user,
                      body="Послушайте приветствие.")
    call_review = save_review(subject_for_call(factories.make_call(status="transcribed")),
                              template.current, lead, comments={}, comment=None,
                              values={"greet": "yes", "needs": "4", "price": "yes"})
    notice = Notification(recipient=user, kind="comment.reply", params={}, link="/calls/")
    db.session.add_all([comment, notice])
    company_settings()  # the settings row exists, as after the first visit
    _row, token = api_tokens.create_token("CRM", None)
    video = world.store_ad_video(campaign.id)
    db.session.commit()
    return {
        "video": video.id,
        "user": user.id, "reviewer1": reviewer1.id, "reviewer2": reviewer2.id,
        "campaign": campaign.id, "lead": lead.id, "call": call.id, "segment": segment.id,
        "template": template.id, "version": template.versions[0].id, "tracker": tracker.id,
        "term": term.id, "rule": rule.id, "token": token, "finding": finding.id,
        "other_segment": other_segment.id, "other_finding": other_finding.id,
        "decided": decided.id, "pending": pending.id, "ad": ad.id, "audit": audit.id,
        "other_audit": other_audit.id, "shopper": shopper.id, "location": location.id,
        "assignment": assignment.id, "scenario": scenario.id, "submitted": submitted.id,
        "agent": agent.id, "published": published.id, "others": others.id,
        "open_dispute": open_dispute.id,
        "shop_review": shop_reviews[0].id, "decided_dispute": decided_dispute.id,
        "example": example.id, "coaching": coaching.id, "employee": employee.id,
        "other_employee": other_employee.id, "inactive_employee": inactive_employee.id,
        "own_review": own_review.id, "other_call": other_call.id, "employee_agent": agent.id,
        "spare_agent": spare_agent.id,
        "comment": comment.id, "call_review": call_review.id, "notice": notice.id,
    }


def snapshot(tables: tuple[str, ...]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of ``tables`` (login and token bookkeeping columns left out)."""
    skipped = {"last_login_at", "failed_logins", "locked_until", "last_used_at"}
    rows = {}
    for table in tables:
        columns = [c.name for c in db.metadata.tables[table].columns if c.name not in skipped]
        listed = ", ".join(f'"{c}"' for c in columns)
        query = text(f'SELECT {listed} FROM "{table}" ORDER BY 1')  # noqa: S608 - our names
        rows[table] = [tuple(row) for row in db.session.execute(query)]
    db.session.rollback()
    return rows


def fill(value: Any, ids: dict[str, Any]) -> Any:
    """``value`` with ``{name}`` placeholders replaced by seeded ids."""
    if isinstance(value, str):
        for key, id_ in ids.items():
            value = value.replace("{" + key + "}", str(id_))
        return value
    if isinstance(value, dict):
        return {fill(k, ids): fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    return value


def send(client, case: Case, ids: dict[str, Any]):  # type: ignore[no-untyped-def]
    headers = {"Accept-Language": case.lang}
    kwargs: dict[str, Any] = {"headers": headers, "query_string": fill(case.query, ids)}
    if case.role == "api":
        headers["Authorization"] = f"Bearer {ids['token']}"
    if case.form is not None:
        data = fill(case.form, ids)
        if case.url.endswith("/recordings"):
            data["file"] = (io.BytesIO(b"RIFF-not-really-audio" * 20), "call.wav")
        elif isinstance(data.get("file"), tuple):
            content, filename = data["file"]
            data["file"] = (io.BytesIO(content), filename)
        if isinstance(data.get("files"), list):
            data["files"] = [(io.BytesIO(content), name) for content, name in data["files"]]
        kwargs["data"] = data
    elif case.json is not None:
        kwargs["data"] = json.dumps(fill(case.json, ids))
        kwargs["content_type"] = "application/json"
    elif case.body is not None:
        kwargs["data"] = case.body
        kwargs["content_type"] = "application/json"
    return client.open(fill(case.url, ids), method=case.method, **kwargs)


def shown_text(response) -> str:  # type: ignore[no-untyped-def]
    """What the user reads: the HTML, or the JSON with its Unicode unescaped."""
    if response.is_json:
        return json.dumps(response.get_json(), ensure_ascii=False)
    return response.get_data(as_text=True)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_is_refused_and_stored_data_kept(client, login, case: Case) -> None:
    # What a user would get: an unhandled error becomes a 500 page, not a test-time exception.
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    ids = seed()
    if case.role == "manager":
        login.as_user(MANAGER_EMAIL)
    elif case.role == "employee":
        login.as_user(EMPLOYEE_EMAIL)
    elif case.role != "api":
        login.as_role(case.role)
    before = snapshot(case.intact)

    response = send(client, case, ids)

    assert response.status_code == case.status, shown_text(response)[:3000]
    page = response
    if case.status == 302:
        page = client.get(response.headers["Location"], headers={"Accept-Language": case.lang})
    assert case.message in shown_text(page), shown_text(page)[:3000]
    assert "Traceback" not in shown_text(page)
    db.session.rollback()
    assert snapshot(case.intact) == before


def test_corpus_is_large_and_names_are_unique() -> None:
    assert len(CASES) >= 80
    assert len({case.name for case in CASES}) == len(CASES)
