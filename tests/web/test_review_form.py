"""The scorecard form beside the player: a failed submit, save and open next, drafts.

factories.SCORECARD: greet (yes/no), needs (0..4), price (yes/no, critical).
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from qa.extensions import db
from qa.models import Review, ReviewAssignment, ReviewDraft
from tests.web import factories


@pytest.fixture
def card(app):  # type: ignore[no-untyped-def]
    template = factories.make_scorecard(name="Входящие")
    call = factories.make_call(status="transcribed", title="Звонок 1")
    db.session.commit()
    return template, call


def _checked(page: str, key: str) -> str | None:
    """The value whose radio is checked for an item, or None."""
    found = re.search(rf'name="answer-{key}" id="answer-{key}-(\w+)"[^>]*\bchecked\b', page)
    return found.group(1) if found else None


def _missing(page: str) -> list[str]:
    return re.findall(r'scorecard-item mb-3 is-missing" data-key="(\w+)"', page)


def test_a_failed_submit_stays_on_the_call_page_with_the_answers(client, login, card) -> None:
    template, call = card
    login.as_role("reviewer")
    response = client.post(
        f"/reviews/call/{call.id}",
        data={
            "scorecard_version_id": str(template.current.id),
            "page": "call",
            "next": f"/calls/{call.id}",
            "answer-greet": "no",
            "comment-greet": "Не поздоровался",
            "comment": "Общий комментарий",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="player"' in page  # still the call page, with the player and transcript
    assert "Finds out needs: choose an answer" in page
    assert _checked(page, "greet") == "no"
    assert "Не поздоровался" in page
    assert "Общий комментарий" in page
    assert _missing(page) == ["needs", "price"]
    assert db.session.scalars(select(Review)).all() == []


def test_a_failed_submit_on_the_score_page_marks_the_missing_items_too(client, login, card) -> None:
    template, call = card
    login.as_role("reviewer")
    response = client.post(
        f"/reviews/call/{call.id}",
        data={"scorecard_version_id": str(template.current.id), "answer-needs": "3"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert _checked(page, "needs") == "3"
    assert _missing(page) == ["greet", "price"]


def test_save_and_open_next_goes_to_the_next_call_in_my_queue(client, login, card) -> None:
    template, first = card
    second = factories.make_call(status="transcribed", title="Звонок 2")
    done_before = factories.make_call(status="transcribed", title="Звонок 0")
    reviewer = login.as_role("reviewer")
    other = factories.make_user(name="Другой")
    db.session.add_all(
        [
            ReviewAssignment(call=done_before, reviewer_id=reviewer.id, status="done"),
            ReviewAssignment(call=first, reviewer_id=reviewer.id),
            ReviewAssignment(call=second, reviewer_id=other.id),
            ReviewAssignment(call=second, reviewer_id=reviewer.id),
        ]
    )
    db.session.commit()
    answers = {
        "scorecard_version_id": str(template.current.id),
        "answer-greet": "yes",
        "answer-needs": "3",
        "answer-price": "yes",
        "page": "call",
        "next": f"/calls/{first.id}",
        "then": "next",
    }
    response = client.post(f"/reviews/call/{first.id}", data=answers)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/calls/{second.id}#scorecard"
    page = client.get(f"/calls/{second.id}").get_data(as_text=True)
    assert "Review saved: 92%." in page
    assert "Save and open next in my queue" in page
    # The last one: the queue says it is empty.
    response = client.post(f"/reviews/call/{second.id}", data={**answers, "next": ""})
    assert response.headers["Location"] == "/reviews/queue"
    assert "Your queue is empty" in client.get("/reviews/queue").get_data(as_text=True)
    statuses = db.session.scalars(
        select(ReviewAssignment.status).where(ReviewAssignment.reviewer_id == reviewer.id)
    ).all()
    assert statuses == ["done", "done", "done"]


def _draft(client, call, template, **fields):  # type: ignore[no-untyped-def]
    return client.post(
        f"/reviews/call/{call.id}/draft",
        data={"scorecard_version_id": str(template.current.id), **fields},
    )


def test_a_draft_is_restored_on_reload_and_on_another_device(app, client, login, card) -> None:
    template, call = card
    user = login.as_role("reviewer")
    saved = _draft(
        client,
        call,
        template,
        **{
            "answer-greet": "yes",
            "answer-needs": "2",
            "comment-needs": "Спросил бюджет",
            "comment": "Пока так",
        },
    )
    assert saved.status_code == 200
    assert saved.get_json()["saved"].startswith("Draft saved at")
    # A second save (the next answer) replaces the first.
    _draft(
        client,
        call,
        template,
        **{
            "answer-greet": "yes",
            "answer-needs": "4",
            "comment-needs": "Спросил бюджет",
            "comment": "Пока так",
        },
    )
    [draft] = db.session.scalars(select(ReviewDraft)).all()
    assert draft.answers == {
        "greet": {"value": "yes"},
        "needs": {"value": 4, "comment": "Спросил бюджет"},
    }
    another_device = app.test_client()
    with (
        another_device.session_transaction() as session,
        client.session_transaction() as original,
    ):
        session.update(original)
    for browser in (client, another_device):
        page = browser.get(f"/calls/{call.id}").get_data(as_text=True)
        assert "Your draft from" in page
        assert _checked(page, "greet") == "yes"
        assert _checked(page, "needs") == "4"
        assert _checked(page, "price") is None
        assert "Спросил бюджет" in page
        assert "Пока так" in page
    # Someone else does not see my draft.
    login.logout()
    login.as_role("qa_lead")
    assert "Your draft from" not in client.get(f"/calls/{call.id}").get_data(as_text=True)
    login.logout()
    login.as_user(user.email)
    # Submitting the review discards the draft.
    response = client.post(
        f"/reviews/call/{call.id}",
        data={
            "scorecard_version_id": str(template.current.id),
            "answer-greet": "yes",
            "answer-needs": "4",
            "answer-price": "yes",
        },
    )
    assert response.status_code == 302
    assert db.session.scalars(select(ReviewDraft)).all() == []
    assert "Your draft from" not in client.get(f"/calls/{call.id}").get_data(as_text=True)


def test_a_bad_draft_is_refused_with_a_message_and_nothing_stored(client, login, card) -> None:
    template, call = card
    login.as_role("reviewer")
    for fields, message in (
        ({"answer-greet": "7"}, "Greets the customer"),
        ({"comment-greet": "a\x00b"}, "control characters"),
        ({"comment": "x" * 6000}, "5000"),
    ):
        response = _draft(client, call, template, **fields)
        assert response.status_code == 400
        assert message in response.get_json()["error"]
    assert db.session.scalars(select(ReviewDraft)).all() == []
