"""Coaching: examples from a call (a line, a range, the whole call), the library's filters,
assigning examples to employees, the employee's own page and recording, and the lead's view."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from qa.extensions import db
from qa.models import CoachingAssignment, CoachingExample, Tracker
from qa.timefmt import local_today
from tests.web import factories
from tests.web.audio_bytes import wav_bytes

SCORECARD: dict[str, Any] = {
    "sections": [
        {
            "title": "Звонок",
            "items": [
                {"key": "greet", "text": "Приветствует клиента", "type": "yes_no", "weight": 1},
                {"key": "price", "text": "Отрабатывает цену", "type": "yes_no", "weight": 1},
            ],
        }
    ]
}


@pytest.fixture
def call_world(app) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    factories.make_scorecard(SCORECARD, name="Оценка")
    db.session.add(Tracker(name="Доставка", label="delivery", phrases=["доставка"]))
    call = factories.make_call(
        status="transcribed", duration=30.0, language="ru", title="Звонок про диван"
    )
    greeting = factories.make_segment(
        call, speaker="agent", start=0.0, end=2.5, text="Добрый день, салон мебели."
    )
    objection = factories.make_segment(
        call, speaker="customer", start=10.0, end=14.0, text="Дороговато для нас."
    )
    en_call = factories.make_call(status="transcribed", duration=20.0, language="en")
    factories.make_segment(en_call, speaker="customer", start=1.0, end=3.0, text="Too pricey.")
    db.session.commit()
    return {"call": call, "greeting": greeting, "objection": objection, "en_call": en_call}


def _create(client, call_id: int, **form: Any):  # type: ignore[no-untyped-def]
    data = {"kind": "good", "note": "Хорошо", "segment": "", "start": "", "end": "", **form}
    return client.post(f"/coaching/calls/{call_id}/new", data=data)


def _only_example() -> CoachingExample:
    return db.session.scalars(select(CoachingExample)).one()


def test_example_for_a_line_takes_its_times_and_opens_the_call_there(
    client, login, call_world
) -> None:
    login.as_role("reviewer")
    call, line = call_world["call"], call_world["objection"]
    form = client.get(f"/coaching/calls/{call.id}/new?segment={line.id}").get_data(as_text=True)
    assert 'value="0:10.0"' in form
    assert 'value="0:14.0"' in form
    assert f'name="segment" type="hidden" value="{line.id}"' in form

    response = _create(
        client,
        call.id,
        segment=str(line.id),
        start="0:10.0",
        end="0:14.0",
        kind="bad",
        note="Сдался на возражении о цене",
        items=["price"],
        labels=["price"],
    )

    example = _only_example()
    assert (example.segment_id, example.start_s, example.end_s) == (line.id, 10.0, 14.0)
    assert (example.kind, example.lang) == ("bad", "ru")
    assert example.item_keys == ["price"]
    assert example.labels == ["price"]
    # After saving, the call page opens with the player at the moment.
    assert response.status_code == 302
    assert response.headers["Location"] == f"/calls/{call.id}?t=10.0#seg-{line.id}"
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "Сдался на возражении о цене" in page
    assert f'href="/calls/{call.id}?t=10.0#seg-{line.id}"' in page


def test_example_for_a_time_range_and_for_the_whole_call(client, login, call_world) -> None:
    login.as_role("qa_lead")
    call = call_world["call"]
    form = client.get(f"/coaching/calls/{call.id}/new?t=12&end=20").get_data(as_text=True)
    assert 'value="0:12.0"' in form
    assert 'value="0:20.0"' in form

    _create(client, call.id, start="0:08", end="25.5", labels=["delivery"])
    _create(client, call.id, note="Весь звонок")

    ranged, whole = db.session.scalars(select(CoachingExample).order_by(CoachingExample.id))
    assert (ranged.segment_id, ranged.start_s, ranged.end_s) == (None, 8.0, 25.5)
    assert ranged.labels == ["delivery"]
    assert (whole.start_s, whole.end_s, whole.is_moment) == (None, None, False)


def _seed_library(call_world: dict[str, Any]) -> None:
    from qa.services.quality.coaching import create_example

    lead = factories.make_user(role="qa_lead")
    call, en_call = call_world["call"], call_world["en_call"]
    create_example(
        call,
        kind="good",
        note="Тёплое приветствие",
        start="0",
        end="2.5",
        items=["greet"],
        user=lead,
    )
    create_example(
        call,
        kind="bad",
        note="Уступил по цене сразу",
        start="10",
        end="14",
        items=["price"],
        labels=["price"],
        user=lead,
    )
    create_example(
        en_call, kind="good", note="Handled the price calmly", labels=["price"], user=lead
    )
    db.session.commit()


def _shown_notes(client, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(f"/coaching/?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return sorted(re.findall(r'class="text-prewrap mt-1 coaching-note">([^<]*)<', html))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Handled the price calmly", "Тёплое приветствие", "Уступил по цене сразу"]),
        ("item=greet", ["Тёплое приветствие"]),
        ("item=price", ["Уступил по цене сразу"]),
        ("label=price", ["Handled the price calmly", "Уступил по цене сразу"]),
        ("kind=bad", ["Уступил по цене сразу"]),
        ("kind=good", ["Handled the price calmly", "Тёплое приветствие"]),
        ("lang=en", ["Handled the price calmly"]),
        ("lang=ru&kind=good", ["Тёплое приветствие"]),
        ("q=цене", ["Уступил по цене сразу"]),
        ("q=PRICE calmly", ["Handled the price calmly"]),
        ("q=_", []),
    ],
)
def test_library_filters(client, login, call_world, query: str, expected: list[str]) -> None:
    _seed_library(call_world)
    login.as_role("reviewer")
    assert _shown_notes(client, query) == expected


def test_library_links_open_the_call_at_the_moment(client, login, call_world) -> None:
    _seed_library(call_world)
    login.as_role("reviewer")
    html = client.get("/coaching/?kind=bad").get_data(as_text=True)
    assert f'href="/calls/{call_world["call"].id}?t=10.0"' in html
    # A reviewer reads the library but does not assign.
    assert "/assign" not in html


@pytest.fixture
def assigned(app, client, login, call_world) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    _seed_library(call_world)
    folder = Path(app.config["RECORDINGS_DIR"]) / "co"
    folder.mkdir(parents=True)
    audio = wav_bytes(0.5)
    (folder / "call.wav").write_bytes(audio)
    call_world["call"].recording_path = "co/call.wav"
    employee = factories.make_user(
        role="employee", name="Ольга Продажина", email="olga@example.com"
    )
    other = factories.make_user(role="employee", name="Игорь", email="igor@example.com")
    db.session.commit()
    bad = db.session.scalars(select(CoachingExample).where(CoachingExample.kind == "bad")).one()
    login.as_role("qa_lead")
    due = (local_today() + timedelta(days=3)).isoformat()
    response = client.post(
        f"/coaching/examples/{bad.id}/assign",
        data={"assignee": str(employee.id), "note": "Послушай, как не надо", "due_on": due},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    good = db.session.scalars(
        select(CoachingExample).where(CoachingExample.note == "Тёплое приветствие")
    ).one()
    client.post(f"/coaching/examples/{good.id}/assign", data={"assignee": str(other.id)})
    rows = {r.assignee_id: r for r in db.session.scalars(select(CoachingAssignment))}
    login.logout()
    return {
        "audio": audio,
        "mine": rows[employee.id],
        "others": rows[other.id],
        "employee": employee,
    }


def test_employee_sees_only_their_examples_and_marks_them_seen(client, login, assigned) -> None:
    login.as_user("olga@example.com")
    mine, others = assigned["mine"], assigned["others"]
    listing = client.get("/coaching/mine").get_data(as_text=True)
    assert "Уступил по цене сразу" in listing
    assert "Тёплое приветствие" not in listing

    page = client.get(f"/coaching/mine/{mine.id}").get_data(as_text=True)
    assert "Дороговато для нас." in page  # the line of the moment
    assert "Добрый день" not in page  # the rest of the call is not shown
    assert "Послушай, как не надо" in page
    assert f'src="/coaching/mine/{mine.id}/recording#t=10.0,14.0"' in page

    audio = client.get(f"/coaching/mine/{mine.id}/recording")
    assert audio.status_code == 200
    assert audio.data == assigned["audio"]
    # Another employee's assignment: not found, page, recording and "seen" alike.
    assert client.get(f"/coaching/mine/{others.id}").status_code == 404
    assert client.get(f"/coaching/mine/{others.id}/recording").status_code == 404
    assert client.post(f"/coaching/mine/{others.id}/seen").status_code == 404
    # The call page itself stays closed to employees.
    assert client.get(f"/calls/{mine.example.call_id}/recording").status_code == 403

    response = client.post(f"/coaching/mine/{mine.id}/seen")
    assert response.status_code == 302
    db.session.expire_all()
    first_seen = db.session.get(CoachingAssignment, mine.id).seen_at
    assert first_seen is not None
    client.post(f"/coaching/mine/{mine.id}/seen")
    db.session.expire_all()
    assert db.session.get(CoachingAssignment, mine.id).seen_at == first_seen
    assert db.session.get(CoachingAssignment, others.id).seen_at is None


def test_lead_sees_who_has_seen_what_and_what_is_overdue(client, login, assigned) -> None:
    others = assigned["others"]
    others.due_on = local_today() - timedelta(days=2)
    db.session.commit()
    login.as_user("olga@example.com")
    client.post(f"/coaching/mine/{assigned['mine'].id}/seen")
    login.logout()

    login.as_role("qa_lead")

    def rows(query: str = "") -> dict[str, tuple[str, str]]:
        html = client.get(f"/coaching/assignments{query}").get_data(as_text=True)
        found = re.findall(
            r'id="assignment-(\d+)"[^>]*data-seen="(\w+)" data-overdue="(\w+)"', html
        )
        return {row_id: (seen, overdue) for row_id, seen, overdue in found}

    mine_id, others_id = str(assigned["mine"].id), str(others.id)
    assert rows() == {mine_id: ("yes", "no"), others_id: ("no", "yes")}
    assert rows("?state=overdue") == {others_id: ("no", "yes")}
    assert rows("?state=seen") == {mine_id: ("yes", "no")}
    assert rows("?state=unseen") == {others_id: ("no", "yes")}
    html = client.get("/coaching/assignments").get_data(as_text=True)
    assert "Overdue: 1" in html
    assert "Seen: 1" in html


def test_assigning_twice_to_the_same_employee_is_refused(client, login, assigned) -> None:
    login.as_role("qa_lead")
    mine = assigned["mine"]
    response = client.post(
        f"/coaching/examples/{mine.example_id}/assign",
        data={"assignee": str(assigned["employee"].id)},
    )
    assert response.status_code == 409
    assert "already assigned to Ольга Продажина" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(CoachingAssignment)) == 2


def test_call_page_offers_examples_to_the_qa_team_only(client, login, call_world) -> None:
    call, line = call_world["call"], call_world["objection"]
    login.as_role("reviewer")
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert f'href="/coaching/calls/{call.id}/new?segment={line.id}"' in page
    assert 'id="coaching-new"' in page
    login.logout()
    login.as_role("marketing")
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "/coaching/" not in page
    assert client.get(f"/coaching/calls/{call.id}/new").status_code == 403


def test_language_of_a_call_without_one_comes_from_the_moment(client, login) -> None:
    call = factories.make_call(status="transcribed", duration=10.0, language=None)
    factories.make_segment(call, start=0.0, end=4.0, text="Добрый день, чем могу помочь?")
    factories.make_segment(call, start=5.0, end=9.0, text="I would like a cheaper sofa, please.")
    db.session.commit()
    login.as_role("reviewer")
    _create(client, call.id, start="5", end="9")
    assert _only_example().lang == "en"
