"""Notifications: emitted for mentions, replies and disputes; the bell, the digest by day
(unread first), marking read, texts in the reader's language, and access checked on opening."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from qa.extensions import db
from qa.models import Notification
from qa.models._base import utcnow
from qa.services.notifications import inbox
from qa.services.quality import comments, disputes
from tests.web import factories
from tests.web.test_disputes import REASON, published_shop


def kinds_for(user) -> list[str]:  # type: ignore[no-untyped-def]
    return list(
        db.session.scalars(select(Notification.kind).where(Notification.recipient_id == user.id))
    )


def test_raised_dispute_tells_leads_and_admins_and_decision_tells_the_raiser(app) -> None:
    shop, review, manager = published_shop()
    other_lead = factories.make_user(role="qa_lead")
    admin = factories.make_user(role="admin")
    reviewer = factories.make_user(role="reviewer")
    retired = factories.make_user(role="qa_lead", is_active_user=False)
    dispute = disputes.raise_dispute(review, "price", REASON, manager)
    db.session.commit()
    for reader in (other_lead, admin):
        assert kinds_for(reader) == ["dispute.raised"]
    assert kinds_for(reviewer) == kinds_for(retired) == kinds_for(manager) == []
    notice = db.session.scalar(select(Notification).where(Notification.recipient_id == admin.id))
    assert notice.link == f"/reviews/{review.id}#disputes"
    assert inbox.text_of(notice) == (
        f"Марк disputed review #{review.id}: Handles the price objection."
    )

    disputes.resolve(dispute, "upheld", "Agreed, the seller offered a cheaper sofa.", other_lead)
    db.session.commit()
    decided = db.session.scalar(select(Notification).where(Notification.recipient_id == manager.id))
    assert decided.kind == "dispute.decided"
    assert decided.link == f"/locations/mine/shops/{shop.id}"
    assert inbox.text_of(decided) == f"Your dispute about review #{review.id} was upheld."


def test_notify_skips_nobody_and_inactive_and_keeps_only_local_links(app) -> None:
    active = factories.make_user()
    assert inbox.notify(None, "comment.reply", "/calls/1") is None
    assert inbox.notify(factories.make_user(is_active_user=False), "x", "/calls/1") is None
    notice = inbox.notify(active, "coaching.session", "https://evil.example/")
    db.session.commit()
    assert notice is not None
    assert notice.link == ""
    assert inbox.text_of(notice) == "You have a new notification."


def test_digest_groups_by_day_unread_first(app) -> None:
    user = factories.make_user()
    now = utcnow()
    old_read = inbox.notify(user, "comment.reply", "/calls/1", author="А", call_title="Первый")
    yesterday = inbox.notify(user, "comment.reply", "/calls/2", author="Б", call_title="Второй")
    today = inbox.notify(user, "comment.mention", "/calls/3", author="В", call_title="Третий")
    old_read.created_at, old_read.read_at = now - timedelta(days=3), now
    yesterday.created_at = now - timedelta(days=1)
    today.created_at = now
    db.session.commit()
    digest = inbox.digest(user)
    assert digest.unread_total == 2
    assert [[row.notice.id for row in day.rows] for day in digest.unread] == [
        [today.id],
        [yesterday.id],
    ]
    assert [[row.notice.id for row in day.rows] for day in digest.read] == [[old_read.id]]


def test_bell_digest_and_marking_read(client, login, app) -> None:
    user = login.as_role("reviewer")
    first = inbox.notify(user, "comment.mention", "/calls/1", author="Оля", call_title="Звонок")
    inbox.notify(user, "comment.reply", "/calls/1", author="Иван", call_title="Звонок")
    db.session.commit()
    page = client.get("/calls/").get_data(as_text=True)
    assert 'id="unread-count">2</span>' in page
    digest = client.get("/notifications/").get_data(as_text=True)
    assert "Оля mentioned you in a comment on the call “Звонок”." in digest
    assert digest.index("Иван replied") < digest.index("Оля mentioned")  # newest first
    assert client.post(f"/notifications/{first.id}/read").status_code == 302
    assert 'id="unread-count">1</span>' in client.get("/calls/").get_data(as_text=True)
    response = client.post("/notifications/read-all", follow_redirects=True)
    assert "All notifications marked read (1)." in response.get_data(as_text=True)
    assert 'id="unread-count"' not in response.get_data(as_text=True)


def test_texts_are_written_in_the_readers_language(client, login, app) -> None:
    user = login.as_role("reviewer")
    inbox.notify(user, "comment.mention", "/calls/1", author="Оля", call_title="Звонок")
    db.session.commit()
    page = client.get("/notifications/", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "Оля упоминает вас в комментарии к звонку «Звонок»." in page
    assert "mentioned you" not in page


def test_opening_checks_access_and_says_when_the_target_is_gone(client, login, app) -> None:
    call = factories.make_call(status="transcribed", duration=30.0)
    segment = factories.make_segment(call)
    reviewer = login.as_role("reviewer")
    olya = factories.make_user(role="reviewer", email="olya@example.com")
    comment = comments.comment_on_segment(
        call, segment.id, f"@{comments.handle_of(reviewer)} гл", olya
    )
    db.session.commit()
    notice = db.session.scalar(select(Notification))
    assert notice.recipient_id == reviewer.id
    response = client.get(f"/notifications/{notice.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/calls/{call.id}?t=0#comment-{comment.id}"
    db.session.expire_all()
    assert db.session.get(Notification, notice.id).read_at is not None

    comments.delete_comment(db.session.get(type(comment), comment.id), olya)
    db.session.commit()
    response = client.get(f"/notifications/{notice.id}", follow_redirects=True)
    assert "This comment was deleted." in response.get_data(as_text=True)

    # Someone else's notification is not there.
    theirs = inbox.notify(olya, "comment.reply", "/calls/1", author="x", call_title="y")
    db.session.commit()
    assert client.get(f"/notifications/{theirs.id}").status_code == 404
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None


def test_a_reader_who_lost_access_is_not_led_there(client, login, app) -> None:
    call = factories.make_call(status="transcribed", duration=30.0)
    segment = factories.make_segment(call)
    employee = login.as_role("employee")
    comment = comments.comment_on_segment(call, segment.id, "Текст", factories.make_user())
    notice = inbox.notify(
        employee,
        "comment.reply",
        comments.link_of(comment, employee),
        author="x",
        call_title="y",
        comment_id=comment.id,
    )
    db.session.commit()
    digest = client.get("/notifications/").get_data(as_text=True)
    assert "no longer yours to see" in digest
    assert "replied" not in digest  # the text names nothing the reader may not see
    response = client.get(f"/notifications/{notice.id}", follow_redirects=True)
    assert response.request.path == "/notifications/"
    assert "Nothing was found at this address." in response.get_data(as_text=True)


def test_dispute_raised_through_the_page_rings_the_leads_bell(client, login, app) -> None:
    from qa.services.quality.reviews import save_review
    from qa.services.quality.subjects import subject_for_call

    call = factories.make_call(status="transcribed")
    lead = factories.make_user(role="qa_lead", email="lida@example.com")
    review = save_review(
        subject_for_call(call),
        factories.make_scorecard().current,
        lead,
        values={"greet": "yes", "needs": "4", "price": "yes"},
        comments={},
        comment="ok",
    )
    db.session.commit()
    login.as_role("admin")
    response = client.post(
        f"/reviews/{review.id}/disputes", data={"item_key": "greet", "reason": REASON}
    )
    assert response.status_code == 302
    client.post("/logout")
    login.as_user("lida@example.com")
    assert 'id="unread-count">1</span>' in client.get("/calls/").get_data(as_text=True)
    response = client.get(f"/notifications/{db.session.scalar(select(Notification.id))}")
    assert response.headers["Location"] == f"/reviews/{review.id}#disputes"


@pytest.mark.parametrize(
    "role",
    ["admin", "qa_lead", "reviewer", "marketing", "shopper", "location_manager", "employee"],
)
def test_every_role_has_the_bell_and_its_own_digest(client, login, app, role) -> None:
    user = login.as_role(role)
    other = factories.make_user()
    inbox.notify(user, "dispute.decided", "/", outcome="rejected", review_id=7)
    inbox.notify(other, "dispute.decided", "/", outcome="upheld", review_id=8)
    db.session.commit()
    landing = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert 'id="notification-bell"' in landing
    assert 'id="unread-count">1</span>' in landing
    digest = client.get("/notifications/").get_data(as_text=True)
    assert "Your dispute about review #7 was rejected." in digest
    assert "#8" not in digest
