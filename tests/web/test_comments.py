"""Comments on calls (a transcript line, a moment or a range) and on review items: threads,
@mentions and their notifications, the edit window, deletion traces, and who sees what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from qa.extensions import db
from qa.models import Comment, Notification
from qa.models._base import utcnow
from qa.services.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from qa.services.quality import comments
from qa.services.quality.reviews import save_review
from qa.services.quality.subjects import subject_for_call
from tests.web import factories

ALL_YES = {"greet": "yes", "needs": "4", "price": "yes"}


def call_with_lines():  # type: ignore[no-untyped-def]
    call = factories.make_call(status="transcribed", duration=60.0, title="Звонок Ивана")
    first = factories.make_segment(call, start=0.0, end=4.0, text="Здравствуйте.")
    second = factories.make_segment(
        call, speaker="customer", start=12.5, end=18.0, text="Это дорого."
    )
    return call, first, second


def notices_of(user) -> list[Notification]:  # type: ignore[no-untyped-def]
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.recipient_id == user.id)
            .order_by(Notification.id)
        )
    )


def test_comment_on_a_line_takes_its_times(app) -> None:
    call, _first, second = call_with_lines()
    author = factories.make_user(name="Оля")
    comment = comments.comment_on_segment(call, str(second.id), "  Клиент про цену  ", author)
    db.session.commit()
    assert (comment.segment_id, comment.time_start, comment.time_end) == (second.id, 12.5, 18.0)
    assert comment.body == "Клиент про цену"
    [thread] = comments.call_threads(call)
    assert thread.root.id == comment.id
    # 12.5 s of 60 s: about a fifth along the timeline.
    assert thread.left == pytest.approx(20.833, abs=0.01)
    assert comments.threads_by_segment([thread]) == {second.id: [thread]}


def test_comment_on_a_moment_and_on_a_range(app) -> None:
    call, _first, _second = call_with_lines()
    author = factories.make_user()
    moment = comments.comment_on_range(call, "30", "", "Пауза", author)
    span = comments.comment_on_range(call, "40,5", "55", "Долгое молчание", author)
    db.session.commit()
    assert (moment.time_start, moment.time_end, moment.segment_id) == (30.0, 30.0, None)
    assert (span.time_start, span.time_end) == (40.5, 55.0)
    assert [t.root.id for t in comments.call_threads(call)] == [moment.id, span.id]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("-1", "", "between"),
        ("nan", "", "finite"),
        ("10", "5", "ends before it starts"),
        ("59", "61", "between"),
        ("61", "", "between"),
        ("", "10", "required"),
        ("ten", "", "number"),
    ],
)
def test_bad_ranges_are_refused(app, start, end, message) -> None:
    call, _first, _second = call_with_lines()
    with pytest.raises(ValidationFailed, match=message):
        comments.comment_on_range(call, start, end, "Текст", factories.make_user())


def test_a_line_of_another_call_is_refused(app) -> None:
    call, _first, _second = call_with_lines()
    other = factories.make_call(status="transcribed")
    foreign = factories.make_segment(other)
    with pytest.raises(ValidationFailed, match="line of this call"):
        comments.comment_on_segment(call, foreign.id, "Текст", factories.make_user())


def test_comment_on_a_review_item(app) -> None:
    call, _first, _second = call_with_lines()
    lead = factories.make_user(role="qa_lead")
    template = factories.make_scorecard()
    review = save_review(
        subject_for_call(call), template.current, lead, values=ALL_YES, comments={}, comment="ok"
    )
    comment = comments.comment_on_item(review, "price", "Возражение отработано слабо", lead)
    db.session.commit()
    threads = comments.review_threads(review)
    assert [t.root.id for t in threads["price"]] == [comment.id]
    assert comments.link_of(comment, lead) == f"/reviews/{review.id}#comment-{comment.id}"
    with pytest.raises(ValidationFailed, match="Unknown scorecard item"):
        comments.comment_on_item(review, "nope", "Текст", lead)


def test_reply_joins_the_root_thread_and_tells_the_author(app) -> None:
    call, first, _second = call_with_lines()
    olya = factories.make_user(name="Оля", email="olya@example.com")
    ivan = factories.make_user(name="Иван", email="ivan.petrov@example.com")
    root = comments.comment_on_segment(call, first.id, "Приветствие без имени", olya)
    answer = comments.reply(root, "Согласен", ivan)
    again = comments.reply(answer, "Спасибо", olya)  # a reply to a reply joins the thread
    db.session.commit()
    assert answer.parent_id == root.id
    assert again.parent_id == root.id
    [notice] = notices_of(olya)
    assert notice.kind == "comment.reply"
    assert notice.params["author"] == "Иван"
    assert notice.link == f"/calls/{call.id}?t=0#comment-{answer.id}"
    # Olya's own reply tells Ivan nothing: he wrote no root comment.
    assert notices_of(ivan) == []


def test_mention_by_email_handle_notifies_and_is_highlighted(app) -> None:
    call, first, _second = call_with_lines()
    olya = factories.make_user(name="Оля Смирнова", email="olya@example.com")
    ivan = factories.make_user(name="Иван Петров", email="Ivan.Petrov@example.com")
    body = "@ivan.petrov послушай <script>alert(1)</script>, почта olya@example.com."
    comment = comments.comment_on_segment(call, first.id, body, olya)
    db.session.commit()
    assert comment.mentions == ["ivan.petrov"]
    [notice] = notices_of(ivan)
    assert (notice.kind, notice.params["author"], notice.params["call_title"]) == (
        "comment.mention",
        "Оля Смирнова",
        "Звонок Ивана",
    )
    pieces = comments.pieces(comment)
    assert [p.text for p in pieces if p.mention] == ["@ivan.petrov"]
    assert "".join(p.text for p in pieces) == body
    # An e-mail address in the text is no mention.
    assert notices_of(olya) == []


@pytest.mark.parametrize("who", ["nobody", "inactive", "shopper"])
def test_mentions_only_active_users_who_see_the_call(app, who) -> None:
    call, first, _second = call_with_lines()
    factories.make_user(email="gone@example.com", is_active_user=False)
    factories.make_user(email="shop@example.com", role="shopper")
    handle = {"nobody": "nobody", "inactive": "gone", "shopper": "shop"}[who]
    with pytest.raises(ValidationFailed, match=f"@{handle}"):
        comments.comment_on_segment(call, first.id, f"@{handle} смотри", factories.make_user())
    db.session.rollback()
    assert db.session.scalar(select(Comment)) is None


def test_edit_within_the_window_then_refused(app) -> None:
    call, first, _second = call_with_lines()
    olya = factories.make_user(email="olya@example.com")
    ivan = factories.make_user(email="ivan@example.com")
    comment = comments.comment_on_segment(call, first.id, "Первый вариант", olya)
    db.session.commit()
    written = comment.created_at
    comments.edit_comment(
        comment, "Второй вариант @ivan", olya, now=written + timedelta(minutes=9, seconds=59)
    )
    assert comment.body == "Второй вариант @ivan"
    assert [n.kind for n in notices_of(ivan)] == ["comment.mention"]  # newly mentioned
    assert comment.edited_at == written + timedelta(minutes=9, seconds=59)
    with pytest.raises(Conflict, match="10 minutes"):
        comments.edit_comment(
            comment, "Третий", olya, now=written + timedelta(minutes=10, seconds=1)
        )
    assert comment.body == "Второй вариант @ivan"


def test_only_the_author_edits(app) -> None:
    call, first, _second = call_with_lines()
    olya = factories.make_user()
    lead = factories.make_user(role="qa_lead")
    comment = comments.comment_on_segment(call, first.id, "Текст", olya)
    with pytest.raises(NotAllowed):
        comments.edit_comment(comment, "Чужая правка", lead)
    with pytest.raises(NotFound):
        comments.comment_to_edit(comment.id, lead)


def test_delete_leaves_a_trace_and_keeps_replies(app) -> None:
    call, first, _second = call_with_lines()
    olya = factories.make_user(name="Оля")
    ivan = factories.make_user(name="Иван")
    lead = factories.make_user(role="qa_lead", name="Лида")
    root = comments.comment_on_segment(call, first.id, "Грубо", olya)
    comments.reply(root, "Согласен", ivan)
    with pytest.raises(NotAllowed):
        comments.delete_comment(root, ivan)  # another reviewer's comment
    moment = utcnow()
    comments.delete_comment(root, lead, now=moment)
    db.session.commit()
    assert (root.body, root.deleted_by_id, root.deleted_at) == ("", lead.id, moment)
    [thread] = comments.call_threads(call)
    assert [r.body for r in thread.replies] == ["Согласен"]
    with pytest.raises(Conflict):
        comments.delete_comment(root, olya)
    with pytest.raises(NotFound, match="deleted"):
        comments.visible_comment(root.id, olya)


def test_who_sees_a_calls_comments(app) -> None:
    call, first, _second = call_with_lines()
    comment = comments.comment_on_segment(call, first.id, "Текст", factories.make_user())
    for role in ("admin", "qa_lead", "reviewer", "marketing"):
        assert comments.get_comment(comment.id, factories.make_user(role=role)) is comment
    for role in ("shopper", "location_manager", "employee"):
        with pytest.raises(NotFound):
            comments.get_comment(comment.id, factories.make_user(role=role))
        with pytest.raises(NotFound):
            comments.comment_on_segment(call, first.id, "Текст", factories.make_user(role=role))


def test_marketing_sees_no_review_comments(app) -> None:
    call, _first, _second = call_with_lines()
    lead = factories.make_user(role="qa_lead")
    review = save_review(
        subject_for_call(call),
        factories.make_scorecard().current,
        lead,
        values=ALL_YES,
        comments={},
        comment="ok",
    )
    comment = comments.comment_on_item(review, "greet", "Текст", lead)
    with pytest.raises(NotFound):
        comments.get_comment(comment.id, factories.make_user(role="marketing"))
    with pytest.raises(NotFound):
        comments.comment_on_item(review, "greet", "Текст", factories.make_user(role="marketing"))


# Through the pages.


def test_call_page_shows_threads_markers_and_escaped_mentions(client, login, app) -> None:
    call, first, second = call_with_lines()
    factories.make_user(name="Иван", email="ivan@example.com")
    db.session.commit()
    login.as_role("reviewer")
    response = client.post(
        f"/calls/{call.id}/comments",
        data={"segment_id": second.id, "body": "@ivan <script>alert(1)</script>"},
    )
    assert response.status_code == 302
    comment = db.session.scalar(select(Comment))
    assert response.headers["Location"].endswith(f"/calls/{call.id}?t=12.5#comment-{comment.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Comment saved." in page
    assert f'id="comment-{comment.id}"' in page
    assert 'class="timeline-comment"' in page
    assert 'data-time="12.5"' in page
    assert '<mark class="mention">@ivan</mark> &lt;script&gt;alert(1)&lt;/script&gt;' in page
    assert "<script>alert(1)" not in page
    assert "js/comments.js" in page


def test_range_comment_through_the_page_and_bad_range_message(client, login, app) -> None:
    call, _first, _second = call_with_lines()
    db.session.commit()
    login.as_role("marketing")
    response = client.post(
        f"/calls/{call.id}/comments", data={"start": "20", "end": "10", "body": "Текст"}
    )
    assert response.status_code == 302
    assert "ends before it starts" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert db.session.scalar(select(Comment)) is None
    response = client.post(
        f"/calls/{call.id}/comments", data={"start": "20", "end": "25", "body": "Текст"}
    )
    assert db.session.scalar(select(Comment.time_end)) == 25.0


def test_review_page_shows_item_threads(client, login, app) -> None:
    call, _first, _second = call_with_lines()
    lead = factories.make_user(role="qa_lead")
    review = save_review(
        subject_for_call(call),
        factories.make_scorecard().current,
        lead,
        values=ALL_YES,
        comments={},
        comment="ok",
    )
    db.session.commit()
    login.as_role("reviewer")
    response = client.post(
        f"/reviews/{review.id}/comments", data={"item_key": "needs", "body": "Не выяснил бюджет"}
    )
    assert response.status_code == 302
    page = client.get(f"/reviews/{review.id}").get_data(as_text=True)
    assert "Не выяснил бюджет" in page
    assert (
        page.index('id="item-needs"')
        < page.index("Не выяснил бюджет")
        < page.index('id="item-price"')
    )


def test_edit_after_the_window_says_so(client, login, app) -> None:
    call, first, _second = call_with_lines()
    user = login.as_role("reviewer")
    comment = comments.comment_on_segment(call, first.id, "Было", user)
    comment.created_at = utcnow() - timedelta(minutes=11)
    db.session.commit()
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "Стало"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "can be edited for 10 minutes" in page
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).body == "Было"


def test_another_users_comment_cannot_be_edited_or_deleted(client, login, app) -> None:
    call, first, _second = call_with_lines()
    comment = comments.comment_on_segment(call, first.id, "Чужое", factories.make_user())
    db.session.commit()
    login.as_role("reviewer")
    assert client.post(f"/comments/{comment.id}/edit", data={"body": "x"}).status_code == 404
    assert client.post(f"/comments/{comment.id}/delete").status_code == 404
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).body == "Чужое"


def test_deleted_comment_shows_its_trace(client, login, app) -> None:
    call, first, _second = call_with_lines()
    user = login.as_role("reviewer")
    comment = comments.comment_on_segment(call, first.id, "Удалю", user)
    db.session.commit()
    response = client.post(f"/comments/{comment.id}/delete")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Deleted by {user.name} at" in page
    assert "Удалю" not in page
