"""Employees in the loop: comments on their own calls and review items, mentions either way,
notifications that lead each reader to their own page, and news of reviews and coaching."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import force_locale
from sqlalchemy import select

from qa.extensions import db
from qa.models import Comment, Notification, Review
from qa.services.notifications.inbox import text_of
from qa.services.quality import comments
from qa.services.quality.coaching import create_example
from qa.timefmt import local_today
from tests.web import factories
from tests.web.test_my_work import _log_in, employee_with_review

ANSWERS = {"greet": "yes", "needs": "4", "price": "no"}


def notices_of(user: Any) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.recipient_id == user.id)
            .order_by(Notification.id)
        )
    )


def _segment_of(call: Any) -> int:
    return call.segments[0].id


def test_employee_comments_on_a_line_of_their_own_call(client, app) -> None:
    eva, call, _review = employee_with_review()
    _log_in(client, eva)
    page = client.get(f"/me/calls/{call.id}").get_data(as_text=True)
    assert 'class="line-comment-form' in page
    assert 'id="range-comment-form"' in page
    assert "js/comments.js" in page
    response = client.post(
        f"/calls/{call.id}/comments",
        data={"segment_id": _segment_of(call), "body": "Я предложил скидку <b>сразу</b>"},
    )
    assert response.status_code == 302
    comment = db.session.scalar(select(Comment))
    assert comment.author_id == eva.id
    # Back to their own call page, at the moment, never to the staff page.
    assert response.headers["Location"] == f"/me/calls/{call.id}?t=0#comment-{comment.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Comment saved." in page
    assert f'id="comment-{comment.id}"' in page
    assert 'class="timeline-comment"' in page
    assert "&lt;b&gt;сразу&lt;/b&gt;" in page
    # A moment of the call, from the comments card.
    response = client.post(
        f"/calls/{call.id}/comments", data={"start": "3", "end": "5", "body": "Тут клиент ушёл"}
    )
    assert response.headers["Location"].startswith(f"/me/calls/{call.id}?t=3#comment-")
    assert db.session.scalar(select(Comment.time_end).where(Comment.time_start == 3.0)) == 5.0


def test_employee_comments_on_an_item_of_their_own_review(client, app) -> None:
    eva, _call, review = employee_with_review()
    _log_in(client, eva)
    page = client.get(f"/me/reviews/{review.id}").get_data(as_text=True)
    assert 'class="item-comment-form' in page
    response = client.post(
        f"/reviews/{review.id}/comments", data={"item_key": "price", "body": "Я назвал цену"}
    )
    assert response.status_code == 302
    comment = db.session.scalar(select(Comment))
    assert response.headers["Location"] == f"/me/reviews/{review.id}#comment-{comment.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert page.index('id="item-price"') < page.index("Я назвал цену")
    # A reviewer's reply reaches the employee, with a link to their own review page.
    reviewer = review.reviewer
    comments.reply(comment, "Послушайте 00:10", reviewer)
    db.session.commit()
    [notice] = notices_of(eva)
    assert notice.kind == "comment.reply"
    assert notice.link.startswith(f"/me/reviews/{review.id}#comment-")


def test_another_employees_call_and_review_are_not_found(client, app) -> None:
    eva, _call, _review = employee_with_review("Ева")
    _ivan, other_call, other_review = employee_with_review("Иван")
    _log_in(client, eva)
    response = client.post(
        f"/calls/{other_call.id}/comments",
        data={"segment_id": _segment_of(other_call), "body": "Чужой звонок"},
    )
    assert response.status_code == 404
    response = client.post(
        f"/reviews/{other_review.id}/comments", data={"item_key": "price", "body": "Чужое"}
    )
    assert response.status_code == 404
    assert db.session.scalar(select(Comment)) is None
    # A staff comment on the other call: not there to reply to, edit or delete.
    staff = comments.comment_on_segment(
        other_call, _segment_of(other_call), "Разбор", factories.make_user(role="qa_lead")
    )
    db.session.commit()
    assert client.post(f"/comments/{staff.id}/reply", data={"body": "Я"}).status_code == 404
    assert client.post(f"/comments/{staff.id}/delete").status_code == 404
    # Staff pages stay closed to them.
    assert client.get(f"/calls/{other_call.id}").status_code == 403
    assert client.get(f"/reviews/{other_review.id}").status_code == 403


def test_employee_mentions_only_those_who_see_the_call(client, app) -> None:
    eva, call, _review = employee_with_review("Ева")
    ivan, _other_call, _other_review = employee_with_review("Иван")
    lead = factories.make_user(role="qa_lead", name="Лида", email="lida@example.com")
    factories.make_user(role="shopper", email="shop@example.com")
    db.session.commit()
    _log_in(client, eva)
    for handle in ("shop", comments.handle_of(ivan)):
        response = client.post(
            f"/calls/{call.id}/comments",
            data={"segment_id": _segment_of(call), "body": f"@{handle} послушай"},
            follow_redirects=True,
        )
        assert f"mentioned as @{handle}" in response.get_data(as_text=True)
    assert db.session.scalar(select(Comment)) is None
    assert notices_of(ivan) == []
    # Staff who see calls, and themself, may be named.
    response = client.post(
        f"/calls/{call.id}/comments",
        data={"segment_id": _segment_of(call), "body": f"@lida @{comments.handle_of(eva)} да"},
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Comment.mentions)) == ["lida", comments.handle_of(eva)]
    [notice] = notices_of(lead)
    assert notice.link.startswith(f"/calls/{call.id}?t=0#comment-")  # the staff page
    assert notices_of(eva) == []  # no notice of one's own mention


def test_staff_mention_leads_the_employee_to_their_own_page(client, app) -> None:
    eva, call, _review = employee_with_review()
    reviewer = factories.make_user(role="reviewer", name="Рита", email="rita@example.com")
    db.session.commit()
    _log_in(client, reviewer)
    body = f"@{comments.handle_of(eva)} послушайте, как вы ответили на «дорого»"
    response = client.post(
        f"/calls/{call.id}/comments", data={"segment_id": _segment_of(call), "body": body}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/calls/{call.id}?t=0#comment-")
    [notice] = notices_of(eva)
    assert notice.link.startswith(f"/me/calls/{call.id}?t=0#comment-")
    client.post("/logout")
    _log_in(client, eva)
    opened = client.get(f"/notifications/{notice.id}")
    assert opened.status_code == 302
    assert opened.headers["Location"] == notice.link
    page = client.get(opened.headers["Location"]).get_data(as_text=True)
    assert "послушайте, как вы ответили" in page
    # Unlinked from the agent, the employee is no longer led there, and the text names nothing.
    eva.agent_id = None
    db.session.commit()
    response = client.get(f"/notifications/{notice.id}", follow_redirects=True)
    assert response.request.path == "/notifications/"
    assert "Nothing was found at this address." in response.get_data(as_text=True)


def _score_form(version_id: int, **extra: str) -> dict[str, str]:
    return {
        "scorecard_version_id": str(version_id),
        **{f"answer-{key}": value for key, value in ANSWERS.items()},
        "comment": "",
        **extra,
    }


def test_a_submitted_review_tells_the_employee_once(client, app) -> None:
    agent = factories.make_agent(name="Ева agent")
    eva = factories.make_user(role="employee", name="Ева", agent_id=agent.id)
    bystander = factories.make_user(role="employee", name="Иван")
    call = factories.make_call(status="transcribed", agent_id=agent.id, duration=12.0)
    factories.make_segment(call, text="Это дорого.", speaker="customer")
    version = factories.make_scorecard().current
    reviewer = factories.make_user(role="reviewer", name="Рита")
    db.session.commit()
    _log_in(client, reviewer)
    response = client.post(f"/reviews/call/{call.id}", data=_score_form(version.id))
    assert response.status_code == 302, response.get_data(as_text=True)
    review = db.session.scalar(select(Review))
    [notice] = notices_of(eva)
    assert notice.kind == "review.submitted"
    assert notice.link == f"/me/reviews/{review.id}"
    with force_locale("ru"):
        assert text_of(notice) == (
            f"Рита: оценка вашего звонка «{call.display_title}». Откройте её, чтобы "
            "подтвердить или оспорить."
        )
    with force_locale("en"):
        assert "acknowledge or dispute" in text_of(notice)
    # An edit is a revision of the same review, not news.
    response = client.post(
        f"/reviews/call/{call.id}",
        data=_score_form(version.id, review_id=str(review.id), version=str(review.version)),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert len(db.session.get(Review, review.id).revisions) == 2
    assert len(notices_of(eva)) == 1
    assert notices_of(bystander) == []
    client.post("/logout")
    _log_in(client, eva)
    opened = client.get(f"/notifications/{notice.id}")
    assert opened.headers["Location"] == f"/me/reviews/{review.id}"
    assert client.get(opened.headers["Location"]).status_code == 200


def test_assigned_coaching_tells_the_employee_and_the_overview_counts_it(client, app) -> None:
    eva, call, _review = employee_with_review()
    lead = factories.make_user(role="qa_lead", name="Лида")
    example = create_example(
        call,
        segment_id=_segment_of(call),
        start=None,
        end=None,
        kind="bad",
        note="Уступил по цене",
        items=[],
        labels=[],
        user=lead,
    )
    db.session.commit()
    _log_in(client, eva)
    overview = client.get("/me/").get_data(as_text=True)
    assert 'id="my-coaching"' in overview
    assert "data-coaching-unseen" not in overview
    client.post("/logout")
    _log_in(client, lead)
    due = local_today() + timedelta(days=3)
    response = client.post(
        f"/coaching/examples/{example.id}/assign",
        data={"assignee": str(eva.id), "due_on": due.isoformat()},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    [notice] = notices_of(eva)
    assert notice.kind == "coaching.assigned"
    assignment_id = notice.params["coaching_id"]
    assert notice.link == f"/coaching/mine/{assignment_id}"
    with force_locale("ru"):
        assert text_of(notice).startswith("Лида: вам назначен пример для обучения, изучите его до")
    client.post("/logout")
    _log_in(client, eva)
    overview = client.get("/me/").get_data(as_text=True)
    assert '<span class="badge text-bg-success" data-coaching-unseen' in overview
    assert overview.split("data-coaching-unseen", 1)[1].split(">", 2)[1].startswith("1<")
    opened = client.get(f"/notifications/{notice.id}")
    assert opened.headers["Location"] == notice.link
    client.post(f"/coaching/mine/{assignment_id}/seen")
    assert "data-coaching-unseen" not in client.get("/me/").get_data(as_text=True)
