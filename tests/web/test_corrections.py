"""Corrections of objection flags: marked on the call page, decided by QA leads, exported as
training rows; the model version on findings; per-company thresholds and their preview."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from qa.extensions import db
from qa.models import Call, Finding, ObjectionCorrection
from qa.services.admin.settings import company_settings
from qa.services.calls.corrections import accepted_training_rows
from qa.services.calls.objections import analyse_call
from qa.services.calls.threshold_preview import preview_thresholds
from tests.web import factories

AGENT = "Диван стоит сорок тысяч."
PRICE = "Ой, это слишком дорого для меня."
MISSED = "Сумма, конечно, ощутимая."  # price score about 0.63: under the model's 0.65
CLASSIFIED = "Выбор у вас так себе."  # assortment by the classifier alone, score about 0.97


def _call() -> Call:
    call = factories.make_call(language="ru", status="transcribed")
    factories.make_segment(call, speaker="agent", start=0.0, end=2.0, text=AGENT)
    factories.make_segment(call, speaker="customer", start=2.5, end=5.0, text=PRICE)
    factories.make_segment(call, speaker="customer", start=5.5, end=8.0, text=MISSED)
    factories.make_segment(call, speaker="customer", start=8.5, end=9.0, text=CLASSIFIED)
    analyse_call(call)
    db.session.commit()
    return call


def _finding(call: Call, label: str) -> Finding:
    return db.session.scalar(
        select(Finding).where(Finding.call_id == call.id, Finding.label == label)
    )


def _corrections() -> list[ObjectionCorrection]:
    return list(db.session.scalars(select(ObjectionCorrection).order_by(ObjectionCorrection.id)))


def _missed_url(call: Call, position: int) -> str:
    return f"/corrections/calls/{call.id}/segments/{call.segments[position].id}/missed"


# --- model version and thresholds -------------------------------------------------------------


def test_findings_carry_the_model_version_shown_on_the_call_page(client, login) -> None:
    call = _call()
    price = _finding(call, "price")
    assert price.model_version
    assert len(price.model_version) == 12
    login.as_role("reviewer")
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert f"model {price.model_version}" in page
    assert "Wrong flag" in page


def test_company_thresholds_change_what_is_flagged(app) -> None:
    call = _call()
    assert [f.segment.text for f in call.findings if f.label == "price"] == [PRICE]
    settings = company_settings()
    settings.objection_threshold_price = 0.6
    settings.objection_threshold_assortment = 0.99
    analyse_call(call)
    db.session.commit()
    labels = sorted((f.label, f.segment.text) for f in call.findings)
    # The lower price threshold adds the borderline turn; the higher assortment one drops the
    # classifier-only flag. Rule evidence (PRICE) is not subject to thresholds.
    assert labels == [("price", PRICE), ("price", MISSED)]


def test_thresholds_are_saved_on_the_settings_page_and_checked(client, login) -> None:
    login.as_role("admin")
    form = {
        "name": "Shop",
        "timezone": "Europe/Moscow",
        "currency": "RUB",
        "phone_region": "RU",
        "lead_link_window_hours": "24",
    }
    response = client.post(
        "/admin/settings",
        data={**form, "objection_threshold_price": "0.7", "objection_threshold_assortment": ""},
    )
    assert response.status_code == 302
    settings = company_settings()
    assert (settings.objection_threshold_price, settings.objection_threshold_assortment) == (
        0.7,
        None,
    )
    for bad in ("1.5", "0.01", "NaN", "abc", "-1"):
        response = client.post("/admin/settings", data={**form, "objection_threshold_price": bad})
        assert response.status_code == 400, bad
        db.session.expire_all()
        assert company_settings().objection_threshold_price == 0.7


def test_preview_counts_flags_and_corrections_with_the_proposal(client, login) -> None:
    call = _call()
    reviewer = factories.make_user(role="reviewer")
    lead = factories.make_user(role="qa_lead")
    db.session.add_all(
        [
            ObjectionCorrection(
                call_id=call.id,
                segment_id=call.segments[2].id,
                kind="missed",
                label="price",
                start_char=0,
                end_char=len(MISSED),
                text=MISSED,
                segment_text=MISSED,
                lang="ru",
                status="accepted",
                created_by_id=reviewer.id,
                decided_by_id=lead.id,
            ),
            ObjectionCorrection(
                call_id=call.id,
                segment_id=call.segments[3].id,
                kind="wrong",
                label="assortment",
                start_char=0,
                end_char=len(CLASSIFIED),
                text=CLASSIFIED,
                segment_text=CLASSIFIED,
                lang="ru",
                status="accepted",
                created_by_id=reviewer.id,
            ),
        ]
    )
    db.session.commit()
    preview = preview_thresholds({"price": 0.6, "assortment": 0.99})
    assert (preview.calls, preview.segments) == (1, 3)
    by_label = {c.label: c for c in preview.labels}
    assert (by_label["price"].now, by_label["price"].proposed) == (1, 2)
    assert (by_label["price"].added, by_label["price"].removed) == (1, 0)
    assert (by_label["assortment"].now, by_label["assortment"].proposed) == (1, 0)
    assert by_label["assortment"].removed == 1
    assert (preview.flags_now, preview.flags_proposed) == (2, 2)
    assert (preview.wrong_accepted, preview.wrong_cleared_now, preview.wrong_cleared) == (1, 0, 1)
    assert (preview.missed_accepted, preview.missed_found_now, preview.missed_found) == (1, 0, 1)
    # The page shows it without saving anything.
    login.as_role("admin")
    response = client.post(
        "/admin/settings",
        data={
            "name": "Shop",
            "timezone": "Europe/Moscow",
            "currency": "RUB",
            "phone_region": "RU",
            "lead_link_window_hours": "24",
            "objection_threshold_price": "0.6",
            "objection_threshold_assortment": "0.99",
            "preview": "Preview",
        },
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="threshold-preview"' in page
    db.session.expire_all()
    assert company_settings().objection_threshold_price is None


# --- marking -----------------------------------------------------------------------------------


def test_reviewer_marks_a_flag_wrong_with_snapshots(client, login) -> None:
    call = _call()
    finding = _finding(call, "price")
    user = login.as_role("reviewer")
    response = client.post(f"/corrections/calls/{call.id}/findings/{finding.id}/wrong")
    assert response.status_code == 302
    assert f"#seg-{call.segments[1].id}" in response.headers["Location"]
    [row] = _corrections()
    assert (row.kind, row.label, row.status, row.finding_id) == (
        "wrong",
        "price",
        "pending",
        finding.id,
    )
    assert (row.segment_text, row.context, row.lang) == (PRICE, AGENT, "ru")
    assert row.text == finding.text
    assert row.created_by_id == user.id
    assert PRICE[row.start_char : row.end_char] == finding.text
    # The same mark again is refused with a message; nothing more is stored.
    again = client.post(
        f"/corrections/calls/{call.id}/findings/{finding.id}/wrong", follow_redirects=True
    )
    assert "already marked" in again.get_data(as_text=True)
    assert len(_corrections()) == 1
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert 'id="correction-list"' in page
    assert "Pending" in page


def test_finding_survives_reanalysis_as_a_null_link(client, login) -> None:
    call = _call()
    login.as_role("reviewer")
    client.post(f"/corrections/calls/{call.id}/findings/{_finding(call, 'price').id}/wrong")
    analyse_call(call)  # findings are replaced
    db.session.commit()
    db.session.expire_all()
    [row] = _corrections()
    assert row.finding_id is None
    assert row.segment_text == PRICE


def test_missed_objection_by_offsets_is_trimmed_to_the_words(client, login) -> None:
    call = _call()
    login.as_role("reviewer")
    start = MISSED.index("ощутимая")
    response = client.post(
        _missed_url(call, 2),
        data={"start": str(start - 1), "end": str(len(MISSED)), "label": "price"},
    )
    assert response.status_code == 302
    [row] = _corrections()
    assert (row.kind, row.label, row.text) == ("missed", "price", "ощутимая.")
    assert (row.start_char, row.end_char) == (start, len(MISSED))
    assert row.context == AGENT
    assert row.finding_id is None
    # Offsets whose words are no longer there (the line was corrected meanwhile) are refused.
    response = client.post(
        _missed_url(call, 2),
        data={"start": "0", "end": "5", "words": "Итого", "label": "assortment"},
        follow_redirects=True,
    )
    assert "has changed since the page was loaded" in response.get_data(as_text=True)
    assert len(_corrections()) == 1


def test_missed_objection_by_typed_words_uses_the_first_occurrence(client, login) -> None:
    call = factories.make_call(language="ru", status="transcribed")
    factories.make_segment(call, speaker="customer", text="нет нет, такого нет")
    db.session.commit()
    login.as_role("qa_lead")
    client.post(_missed_url(call, 0), data={"words": "такого нет", "label": "assortment"})
    [row] = _corrections()
    assert (row.start_char, row.end_char, row.context) == (9, 19, None)
    # An overlapping pending mark of the same label is a duplicate; another label is not.
    response = client.post(
        _missed_url(call, 0),
        data={"words": "нет", "label": "assortment", "start": "15", "end": "19"},
        follow_redirects=True,
    )
    assert "already marked" in response.get_data(as_text=True)
    client.post(_missed_url(call, 0), data={"start": "15", "end": "19", "label": "price"})
    assert [r.label for r in _corrections()] == ["assortment", "price"]


def test_bad_marks_are_refused_with_a_reason(client, login) -> None:
    call = _call()
    other = _call()
    login.as_role("reviewer")
    cases = [
        ({"start": "-1", "end": "3", "label": "price"}, "between"),
        ({"start": "0", "end": "999", "label": "price"}, "between"),
        ({"start": "a", "end": "3", "label": "price"}, "expected a number"),
        ({"start": "1.5", "end": "3", "label": "price"}, "whole number"),
        ({"start": "5", "end": "5", "label": "price"}, "within the line"),
        ({"start": "6", "end": "7", "label": "price"}, "within the line"),  # a space only
        ({"words": "совсем другое", "label": "price"}, "not in the line"),
        ({"words": "су\x00мма", "label": "price"}, "control characters"),
        ({"words": "Сумма", "label": "delivery"}, "price or assortment"),
        ({"words": "", "label": "price"}, "or type them"),
    ]
    for form, message in cases:
        response = client.post(_missed_url(call, 2), data=form, follow_redirects=True)
        assert message in response.get_data(as_text=True), (form, message)
    agent = client.post(
        _missed_url(call, 0), data={"words": "Диван", "label": "price"}, follow_redirects=True
    )
    assert "agent" in agent.get_data(as_text=True)
    flagged = client.post(
        _missed_url(call, 1), data={"words": "дорого", "label": "price"}, follow_redirects=True
    )
    assert "already flagged" in flagged.get_data(as_text=True)
    # A segment of another call, a finding of another call: not found.
    url = f"/corrections/calls/{call.id}/segments/{other.segments[2].id}/missed"
    assert client.post(url, data={"words": "Сумма", "label": "price"}).status_code == 404
    wrong = f"/corrections/calls/{call.id}/findings/{_finding(other, 'price').id}/wrong"
    assert client.post(wrong).status_code == 404
    assert _corrections() == []


def test_marketing_may_not_mark(client, login) -> None:
    call = _call()
    login.as_role("marketing")
    assert (
        client.post(_missed_url(call, 2), data={"words": "Сумма", "label": "price"}).status_code
        == 403
    )
    assert (
        client.post(
            f"/corrections/calls/{call.id}/findings/{_finding(call, 'price').id}/wrong"
        ).status_code
        == 403
    )
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "Wrong flag" not in page
    assert "missed-form" not in page
    assert _corrections() == []


# --- deciding and exporting --------------------------------------------------------------------


def _marked(client, call: Call) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    client.post(f"/corrections/calls/{call.id}/findings/{_finding(call, 'price').id}/wrong")
    client.post(_missed_url(call, 2), data={"words": "ощутимая", "label": "price"})
    wrong, missed = _corrections()
    return wrong.id, missed.id


def test_lead_lists_filters_and_decides_once(client, login) -> None:
    call = _call()
    login.as_role("reviewer")
    wrong_id, missed_id = _marked(client, call)
    assert client.get("/corrections/").status_code == 403
    assert client.post(f"/corrections/{wrong_id}/decide", data={"accept": "1"}).status_code == 403
    login.logout()
    lead = login.as_role("qa_lead")
    page = client.get("/corrections/").get_data(as_text=True)
    assert f'id="correction-{wrong_id}"' in page
    assert f'id="correction-{missed_id}"' in page
    assert "ощутимая" in page
    assert AGENT in page
    response = client.post(
        f"/corrections/{wrong_id}/decide",
        data={
            "accept": "1",
            "note": "Верно: <b>не</b> возражение",
            "next": "/corrections/?status=pending",
        },
    )
    assert response.headers["Location"] == "/corrections/?status=pending"
    client.post(f"/corrections/{missed_id}/decide", data={"reject": "1"})
    rows = {r.id: r for r in _corrections()}
    assert rows[wrong_id].status == "accepted"
    assert rows[wrong_id].decided_by_id == lead.id
    assert rows[wrong_id].decided_at is not None
    assert rows[missed_id].status == "rejected"
    assert rows[missed_id].decision_note is None
    again = client.post(
        f"/corrections/{wrong_id}/decide", data={"reject": "1"}, follow_redirects=True
    )
    assert "already decided" in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ObjectionCorrection, wrong_id).status == "accepted"
    pending = client.get("/corrections/").get_data(as_text=True)
    assert f'id="correction-{wrong_id}"' not in pending
    accepted = client.get("/corrections/?status=accepted&label=price&lang=ru").get_data(
        as_text=True
    )
    assert f'id="correction-{wrong_id}"' in accepted
    assert "&lt;b&gt;не&lt;/b&gt;" in accepted
    assert "<b>не</b>" not in accepted
    assert f'id="correction-{wrong_id}"' not in client.get(
        "/corrections/?status=accepted&lang=en"
    ).get_data(as_text=True)
    assert client.get("/corrections/?status=lost").status_code == 400


def test_accepted_corrections_become_training_rows(client, login) -> None:
    call = _call()
    login.as_role("reviewer")
    wrong_id, missed_id = _marked(client, call)
    # A missed assortment objection on the price line too.
    client.post(_missed_url(call, 1), data={"words": "дорого", "label": "assortment"})
    extra_id = _corrections()[-1].id
    login.logout()
    login.as_role("qa_lead")
    for correction_id in (wrong_id, missed_id, extra_id):
        client.post(f"/corrections/{correction_id}/decide", data={"accept": "1"})
    rows = accepted_training_rows("ru")
    assert rows == [
        {
            "id": f"corr-{wrong_id}",
            "text": PRICE,
            "lang": "ru",
            "speaker": "customer",
            "labels": ["assortment"],
            "context": AGENT,
        },
        {
            "id": f"corr-{missed_id}",
            "text": MISSED,
            "lang": "ru",
            "speaker": "customer",
            "labels": ["price"],
            "context": AGENT,
        },
        {
            "id": f"corr-{extra_id}",
            "text": PRICE,
            "lang": "ru",
            "speaker": "customer",
            "labels": ["assortment"],
            "context": AGENT,
        },
    ]
    assert accepted_training_rows("en") == []
    response = client.get("/corrections/training.jsonl?lang=ru")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert lines == rows
    assert client.get("/corrections/training.jsonl?lang=de").status_code == 400


def test_a_decision_made_meanwhile_wins(client, login) -> None:
    """Two leads deciding at once: the second finds it decided, whatever its session loaded."""
    from qa.services.calls.corrections import decide
    from qa.services.errors import Conflict

    call = _call()
    login.as_role("reviewer")
    wrong_id, _missed_id = _marked(client, call)
    lead = factories.make_user(role="qa_lead")
    row = db.session.get(ObjectionCorrection, wrong_id)
    assert row.status == "pending"
    db.session.commit()
    with db.engine.begin() as conn:  # another request accepts it first
        conn.execute(
            ObjectionCorrection.__table__.update()
            .where(ObjectionCorrection.id == wrong_id)
            .values(status="accepted")
        )
    with pytest.raises(Conflict, match=r"already decided \(Accepted\)"):
        decide(row, False, "", lead)
    db.session.rollback()
    assert db.session.get(ObjectionCorrection, wrong_id).status == "accepted"
