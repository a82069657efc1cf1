"""Disputes: one mechanism for call reviews, mystery-shop reports and pay statements' lines; who
raises, the window, one open dispute per item, the notifications, the decision and what an
upheld one records (a review's revision, a statement's correcting version)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from qa.extensions import db
from qa.models import Agent, Dispute, Notification, PayStatement, Review, ShopAssignment, User
from qa.models._base import utcnow
from qa.services.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from qa.services.mystery.assignments import move
from qa.services.notifications import inbox, targets
from qa.services.pay import statements
from qa.services.quality import disputes
from qa.services.quality.reviews import save_review
from qa.services.quality.subjects import subject_for_call, subject_for_shop
from tests.web import factories, pay_scenario, pay_world
from tests.web.test_my_work import employee_with_review

ALL_YES = {"greet": "yes", "needs": "4", "price": "yes"}
REASON = "The seller did offer a cheaper sofa; listen at 02:10."


def published_shop(state: str = "published") -> tuple[ShopAssignment, Review, object]:
    """A shop with a reviewed report, moved through the editor's steps to ``state``."""
    lead = factories.make_user(role="qa_lead", name="Лида")
    manager = factories.make_user(role="location_manager", name="Марк")
    shopper = factories.make_user(role="shopper")
    template = factories.make_scorecard()
    shop = factories.make_assignment(
        shopper, location=factories.make_location(manager=manager), state="submitted"
    )
    review = save_review(
        subject_for_shop(shop), template.current, lead, values=ALL_YES, comments={}, comment="ok"
    )
    for step in ("approved", "published"):
        if state == "submitted":
            break
        move(shop, step, lead)
    db.session.commit()
    return shop, review, manager


def test_manager_disputes_an_item_of_a_published_report(app) -> None:
    shop, review, manager = published_shop()
    dispute = disputes.raise_dispute(review, "price", REASON, manager)
    db.session.commit()
    assert (dispute.status, dispute.item_key, dispute.raised_by_id) == ("open", "price", manager.id)
    assert shop.state == "disputed"
    assert shop.events[-1].comment == REASON


def test_dispute_window_counts_from_publication(app) -> None:
    shop, review, manager = published_shop()
    settings = disputes.company_settings()
    settings.dispute_window_days = 3
    published = disputes.final_since(review)
    assert published is not None
    inside = published + timedelta(days=3) - timedelta(minutes=1)
    assert disputes.can_raise(review, manager, now=inside)
    with pytest.raises(Conflict, match="over"):
        disputes.raise_dispute(
            review, "price", REASON, manager, now=published + timedelta(days=3, minutes=1)
        )
    assert db.session.scalar(select(Dispute)) is None
    disputes.raise_dispute(review, "price", REASON, manager, now=inside)


def test_one_open_dispute_per_item(app) -> None:
    shop, review, manager = published_shop()
    disputes.raise_dispute(review, "price", REASON, manager)
    with pytest.raises(Conflict, match="already disputed"):
        disputes.raise_dispute(review, "price", REASON + " again", manager)
    other = disputes.raise_dispute(review, "greet", REASON, manager)  # another item is fine
    db.session.commit()
    assert other.status == "open"
    assert len(disputes.open_disputes(review)) == 2


def test_only_the_locations_manager_disputes_published_reports(app) -> None:
    shop, review, manager = published_shop()
    stranger = factories.make_user(role="location_manager")
    reviewer = factories.make_user(role="reviewer")
    lead = factories.make_user(role="qa_lead")
    for outsider in (stranger, reviewer):  # they must not learn the report exists
        with pytest.raises(NotFound):
            disputes.raise_dispute(review, "price", REASON, outsider)
    with pytest.raises(NotAllowed):
        disputes.raise_dispute(review, "price", REASON, lead)
    with pytest.raises(NotAllowed):
        disputes.raise_dispute(review, "price", REASON, shop.shopper)


def test_unpublished_reports_cannot_be_disputed(app) -> None:
    shop, review, manager = published_shop(state="submitted")
    with pytest.raises(NotAllowed):
        disputes.raise_dispute(review, "price", REASON, manager)
    assert shop.state == "submitted"


@pytest.mark.parametrize(
    ("key", "reason", "message"),
    [
        ("nope", REASON, "Unknown scorecard item"),
        ("price", "", "Reason"),
        ("price", "short", "at least"),
        ("price", "x" * 2001, "Reason"),
        ("price", "bad\x00reason text", "Reason"),
    ],
)
def test_bad_disputes_are_refused(app, key, reason, message) -> None:
    shop, review, manager = published_shop()
    with pytest.raises(ValidationFailed, match=message):
        disputes.raise_dispute(review, key, reason, manager)
    assert shop.state == "published"


def test_upheld_with_a_score_change_records_a_revision(app) -> None:
    shop, review, manager = published_shop()
    lead = factories.make_user(role="qa_lead", name="Решала")
    dispute = disputes.raise_dispute(review, "needs", REASON, manager)
    before = review.score
    revisions = len(review.revisions)
    disputes.resolve(dispute, "upheld", "Agreed: needs were asked.", lead, changes={"needs": "2"})
    db.session.commit()
    assert review.score < before
    assert len(review.revisions) == revisions + 1
    assert (review.revisions[-1].user_id, dispute.revision_id) == (lead.id, review.revisions[-1].id)
    assert review.answers["needs"]["value"] == 2
    assert (dispute.status, dispute.resolved_by_id) == ("upheld", lead.id)
    assert shop.state == "resolved"
    assert [e.to_state for e in shop.events][-2:] == ["disputed", "resolved"]


def test_rejected_leaves_the_review_alone_and_cannot_be_decided_twice(app) -> None:
    shop, review, manager = published_shop()
    lead = factories.make_user(role="qa_lead")
    dispute = disputes.raise_dispute(review, "price", REASON, manager)
    before = (review.score, len(review.revisions))
    with pytest.raises(ValidationFailed):
        disputes.resolve(dispute, "rejected", "No.", lead, changes={"price": "no"})
    disputes.resolve(dispute, "rejected", "The recording shows no offer.", lead)
    db.session.commit()
    assert (review.score, len(review.revisions)) == before
    assert dispute.status == "rejected"
    with pytest.raises(Conflict, match="already decided"):
        disputes.resolve(dispute, "upheld", "Changed my mind.", lead)


def test_shop_stays_disputed_while_another_item_is_open(app) -> None:
    shop, review, manager = published_shop()
    lead = factories.make_user(role="qa_lead")
    first = disputes.raise_dispute(review, "price", REASON, manager)
    disputes.raise_dispute(review, "greet", REASON, manager)
    disputes.resolve(first, "rejected", "No.", lead)
    assert shop.state == "disputed"


def test_only_qa_leads_decide(app) -> None:
    shop, review, manager = published_shop()
    dispute = disputes.raise_dispute(review, "price", REASON, manager)
    for role in ("reviewer", "location_manager", "shopper"):
        with pytest.raises(NotAllowed):
            disputes.resolve(dispute, "upheld", "Yes.", factories.make_user(role=role))
    with pytest.raises(NotAllowed):
        disputes.resolve(dispute, "upheld", "Yes.", manager)


def test_call_reviews_are_disputed_on_the_agents_behalf(app) -> None:
    lead = factories.make_user(role="qa_lead")
    reviewer = factories.make_user(role="reviewer")
    template = factories.make_scorecard()
    call = factories.make_call()
    review = save_review(
        subject_for_call(call),
        template.current,
        reviewer,
        values=ALL_YES,
        comments={},
        comment=None,
    )
    with pytest.raises(NotAllowed):
        disputes.raise_dispute(review, None, REASON, reviewer)
    dispute = disputes.raise_dispute(review, None, REASON, lead)
    assert dispute.about_whole_review
    settings = disputes.company_settings()
    with pytest.raises(Conflict):
        disputes.raise_dispute(
            review,
            "price",
            REASON,
            lead,
            now=utcnow() + timedelta(days=settings.dispute_window_days + 1),
        )
    disputes.resolve(dispute, "upheld", "Fixed.", lead, changes={"price": "no"})
    assert review.failed_critical


def test_admin_sets_the_dispute_window(client, login) -> None:
    login.as_role("admin")
    base = {
        "name": "Acme",
        "timezone": "Europe/Moscow",
        "currency": "RUB",
        "phone_region": "RU",
        "lead_link_window_hours": "24",
    }
    assert (
        client.post("/admin/settings", data={**base, "dispute_window_days": "91"}).status_code
        == 400
    )
    assert (
        client.post("/admin/settings", data={**base, "dispute_window_days": "14"}).status_code
        == 302
    )
    assert disputes.company_settings().dispute_window_days == 14
    assert client.post("/admin/settings", data=base).status_code == 302  # empty keeps it
    assert disputes.company_settings().dispute_window_days == 14


# --- pages --------------------------------------------------------------------------------------


def test_manager_disputes_from_their_page_and_lead_resolves(client, login) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    shop, review, manager = published_shop()
    login.as_user(manager.email)
    page = client.get(f"/locations/mine/shops/{shop.id}").get_data(as_text=True)
    assert "Handles the price objection" in page
    assert 'name="reason"' in page
    answer = client.post(
        f"/locations/mine/shops/{shop.id}/disputes", data={"item_key": "price", "reason": REASON}
    )
    assert answer.status_code == 302
    dispute = db.session.scalar(select(Dispute))
    assert (dispute.item_key, shop.state) == ("price", "disputed")
    again = client.post(
        f"/locations/mine/shops/{shop.id}/disputes",
        data={"item_key": "price", "reason": REASON},
        follow_redirects=True,
    )
    assert "already disputed" in again.get_data(as_text=True)
    assert (
        client.post(
            f"/reviews/disputes/{dispute.id}/resolve", data={"outcome": "upheld", "note": "x"}
        ).status_code
        == 403
    )
    login.logout()
    login.as_role("qa_lead")
    staff_page = client.get(f"/mystery/assignments/{shop.id}").get_data(as_text=True)
    assert REASON in staff_page
    assert "Upheld" in staff_page
    assert (
        client.post(
            f"/reviews/disputes/{dispute.id}/resolve",
            data={"outcome": "rejected", "note": "Heard the recording."},
        ).status_code
        == 302
    )
    db.session.refresh(dispute)
    assert (dispute.status, dispute.resolution_note) == ("rejected", "Heard the recording.")
    db.session.refresh(shop)
    assert shop.state == "resolved"
    twice = client.post(
        f"/reviews/disputes/{dispute.id}/resolve",
        data={"outcome": "upheld", "note": "again"},
        follow_redirects=True,
    )
    assert "already decided" in twice.get_data(as_text=True)
    review_page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "Heard the recording." in review_page
    assert "Rejected" in review_page


def test_other_managers_get_404(client, login) -> None:
    shop, review, manager = published_shop()
    login.as_role("location_manager")
    assert client.get(f"/locations/mine/shops/{shop.id}").status_code == 404
    assert (
        client.post(
            f"/locations/mine/shops/{shop.id}/disputes",
            data={"item_key": "price", "reason": REASON},
        ).status_code
        == 404
    )
    assert db.session.scalar(select(Dispute)) is None


def test_unpublished_report_is_hidden_from_the_manager(client, login) -> None:
    shop, review, manager = published_shop(state="submitted")
    login.as_user(manager.email)
    assert "Handles the price" not in client.get(f"/locations/mine/shops/{shop.id}").get_data(
        as_text=True
    )
    assert (
        client.post(
            f"/locations/mine/shops/{shop.id}/disputes",
            data={"item_key": "price", "reason": REASON},
        ).status_code
        == 404
    )


def test_editor_corrects_returns_approves_and_publishes(client, login) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    shop, review, manager = published_shop(state="submitted")
    editor = login.as_role("qa_lead")
    url = f"/mystery/assignments/{shop.id}"
    fixed = client.post(
        f"{url}/scores",
        data={
            "scorecard_version_id": review.scorecard_version_id,
            "version": review.version,
            "answer-greet": "no",
            "answer-needs": "4",
            "answer-price": "yes",
            "comment": "fixed",
        },
    )
    assert fixed.status_code == 302
    db.session.refresh(review)
    assert review.answers["greet"]["value"] == "no"
    assert (len(review.revisions), review.revisions[-1].user_id) == (2, editor.id)
    no_date = client.post(
        f"{url}/move", data={"to_state": "returned", "comment": "Add photos"}, follow_redirects=True
    )
    assert "new deadline" in no_date.get_data(as_text=True)
    assert (
        client.post(
            f"{url}/move",
            data={"to_state": "returned", "comment": "Add photos", "due_on": "2099-01-31"},
        ).status_code
        == 302
    )
    db.session.refresh(shop)
    assert (shop.state, str(shop.due_on)) == ("returned", "2099-01-31")
    shop.state = "submitted"  # the shopper hands it in again (their own page)
    db.session.commit()
    for step in ("approved", "published"):
        assert client.post(f"{url}/move", data={"to_state": step}).status_code == 302
    db.session.refresh(shop)
    assert [e.to_state for e in shop.events][-3:] == ["returned", "approved", "published"]
    assert all(e.user_id == editor.id for e in shop.events[-3:])
    late = client.post(
        f"{url}/scores",
        data={
            "scorecard_version_id": review.scorecard_version_id,
            "version": review.version,
            "answer-greet": "yes",
            "answer-needs": "4",
            "answer-price": "yes",
        },
        follow_redirects=True,
    )
    assert "only before the report is published" in late.get_data(as_text=True)
    printable = client.get(f"{url}/print")
    assert printable.status_code == 200
    assert "print.css" in printable.get_data(as_text=True)
    assert "<style" not in printable.get_data(as_text=True)


def test_lead_disputes_a_call_review_and_upholds_it(client, login) -> None:
    lead = login.as_role("qa_lead")
    template = factories.make_scorecard()
    review = save_review(
        subject_for_call(factories.make_call()),
        template.current,
        lead,
        values=ALL_YES,
        comments={},
        comment=None,
    )
    db.session.commit()
    assert (
        client.post(
            f"/reviews/{review.id}/disputes", data={"item_key": "price", "reason": REASON}
        ).status_code
        == 302
    )
    dispute = db.session.scalar(select(Dispute))
    assert (
        client.post(
            f"/reviews/disputes/{dispute.id}/resolve",
            data={"outcome": "upheld", "note": "Agreed.", "new_answer": "no"},
        ).status_code
        == 302
    )
    db.session.refresh(review)
    assert review.failed_critical
    assert len(review.revisions) == 2


# --- The same rules for every subject: a call review, a shop's report, a pay statement's line --


@dataclass
class Case:
    """One disputable subject with who raises it, who decides and where each reads of it."""

    target: object
    raiser: User
    decider: User
    bystander: User  # staff who decide nothing about this subject
    key: str
    other_key: str
    raiser_link: str
    decider_link: str


def _call_case() -> Case:
    eva, call, review = employee_with_review("Ева")
    lead = factories.make_user(role="qa_lead", name="Лида")
    admin = factories.make_user(role="admin", name="Алла")
    return Case(
        review,
        eva,
        lead,
        admin,
        "price",
        "greet",
        f"/me/reviews/{review.id}#disputes",
        f"/reviews/{review.id}#disputes",
    )


def _shop_case() -> Case:
    shop, review, manager = published_shop()
    lead = db.session.scalar(select(User).where(User.role == "qa_lead"))
    admin = factories.make_user(role="admin", name="Алла")
    return Case(
        review,
        manager,
        lead,
        admin,
        "price",
        "greet",
        f"/locations/mine/shops/{shop.id}",
        f"/reviews/{review.id}#disputes",
    )


def _pay_case() -> Case:
    admin = factories.make_user(role="admin", name="Алла")
    pay_world.build(admin)
    statements.calculate_month(pay_scenario.MONTH)
    agent = db.session.scalar(select(Agent).where(Agent.name == "Сотрудник S3"))
    employee = factories.make_user(role="employee", name="Сима", agent_id=agent.id)
    statement = db.session.scalar(select(PayStatement).where(PayStatement.agent_id == agent.id))
    statements.approve(statement, admin)
    lead = factories.make_user(role="qa_lead", name="Лида")
    db.session.commit()
    link = f"/pay/statements/{statement.id}#disputes"
    return Case(statement, employee, admin, lead, "lead_sale", "fixed", link, link)


CASES = {"call": _call_case, "shop": _shop_case, "pay": _pay_case}


@pytest.fixture(params=sorted(CASES))
def case(request, app) -> Case:  # type: ignore[no-untyped-def]
    return CASES[request.param]()


def _notices(user: User) -> list[Notification]:
    return list(
        db.session.scalars(select(Notification).where(Notification.recipient_id == user.id))
    )


def test_every_subject_is_disputed_within_its_window_only(case: Case) -> None:
    disputes.company_settings().dispute_window_days = 3
    final = disputes.final_since(case.target)  # type: ignore[arg-type]
    assert final is not None
    inside, late = final + timedelta(days=3, minutes=-1), final + timedelta(days=3, minutes=1)
    assert disputes.can_raise(case.target, case.raiser, now=inside)  # type: ignore[arg-type]
    assert not disputes.can_raise(case.target, case.raiser, now=late)  # type: ignore[arg-type]
    with pytest.raises(Conflict, match="over"):
        disputes.raise_dispute(case.target, case.key, REASON, case.raiser, now=late)  # type: ignore[arg-type]
    assert db.session.scalar(select(Dispute)) is None
    dispute = disputes.raise_dispute(case.target, case.key, REASON, case.raiser, now=inside)  # type: ignore[arg-type]
    assert (dispute.status, dispute.item_key, dispute.raised_by_id) == (
        "open",
        case.key,
        case.raiser.id,
    )


def test_every_subject_refuses_a_second_open_dispute_and_bad_reasons(case: Case) -> None:
    target = case.target
    disputes.raise_dispute(target, case.key, REASON, case.raiser)  # type: ignore[arg-type]
    with pytest.raises(Conflict, match="already disputed"):
        disputes.raise_dispute(target, case.key, REASON + " again", case.raiser)  # type: ignore[arg-type]
    for reason in ("", "short", "x" * 2001, "bad\x00reason text"):
        with pytest.raises(ValidationFailed):
            disputes.raise_dispute(target, case.other_key, reason, case.raiser)  # type: ignore[arg-type]
    with pytest.raises(ValidationFailed):
        disputes.raise_dispute(target, "no-such-item", REASON, case.raiser)  # type: ignore[arg-type]
    disputes.raise_dispute(target, case.other_key, REASON, case.raiser)  # type: ignore[arg-type]
    assert len(disputes.open_disputes(target)) == 2  # type: ignore[arg-type]


def test_every_subject_tells_its_deciders_then_the_raiser(case: Case) -> None:
    dispute = disputes.raise_dispute(case.target, case.key, REASON, case.raiser)  # type: ignore[arg-type]
    db.session.commit()
    raised = _notices(case.decider)
    assert [(n.kind, n.link) for n in raised] == [("dispute.raised", case.decider_link)]
    assert case.raiser.name in inbox.text_of(raised[0])
    assert targets.open_notice(raised[0], case.decider) == case.decider_link  # access checked
    assert _notices(case.raiser) == []
    # Staff who do not decide this subject (an admin decides reviews too; a QA lead not pay).
    decides_too = case.bystander.role in disputes.subject_of(case.target).deciders  # type: ignore[arg-type]
    assert bool(_notices(case.bystander)) == decides_too
    with pytest.raises(NotAllowed):
        disputes.resolve(dispute, "upheld", "Yes.", case.raiser)
    disputes.resolve(dispute, "upheld", "Agreed; corrected.", case.decider)
    db.session.commit()
    decided = [n for n in _notices(case.raiser) if n.kind == "dispute.decided"]
    assert [n.link for n in decided] == [case.raiser_link]
    assert "upheld" in inbox.text_of(decided[0])
    assert targets.open_notice(decided[0], case.raiser) == case.raiser_link
    with pytest.raises(Conflict, match="already decided"):
        disputes.resolve(dispute, "rejected", "Changed my mind.", case.decider)
