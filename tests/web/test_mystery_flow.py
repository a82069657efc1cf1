"""One mystery shop from start to end, through the pages each person uses, on a real recording:
locations imported, a scenario with a price and an assortment objection, a wave scheduled under
the lockout rule, the shopper's report with a festival-voiced call and a photo carrying EXIF time
and GPS, the automatic checks (failing, then passing), return, approval, publication, a dispute
and its resolution."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from qa.extensions import db
from qa.models import Dispute, Location, Review, Scenario, ShopAssignment, ShopReport, Wave
from qa.services.mystery.checks import check_report
from tests.web import factories
from tests.web.evidence_files import FAR, NEAR, jpeg
from transcription import default_cache_dir

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"
# ru_mystery_call.ogg (tests/data/make_audio_fixtures.py): the customer finds the sofa too
# expensive and asks for a blue one; the seller answers the first with the warranty and
# instalments, and the second with «Нет. Ничем не могу помочь.»
RECORDING = AUDIO / "ru_mystery_call.ogg"
LOCATIONS_CSV = (
    "name;address;lat;lon;phone;manager_email\n"
    "Салон на Тверской;Тверская, 1;55.7601;37.6186;+7 495 123-45-67;boss@example.com\n"
)
FACTS = {
    "seller": "Ольга, бейдж «консультант»",
    "wait_minutes": "3",
    "narrative": "Продавец поздоровалась, назвала цену и рассказала о гарантии.",
    "item-greet": "yes",
    "item-needs": "3",
    "item-price": "no",  # a critical item: the score is 0 until the dispute is upheld
}
IN_WINDOW = {"started_at": "2026-03-03T12:20", "ended_at": "2026-03-03T12:45"}
OUTSIDE = {"started_at": "2026-03-10T12:20", "ended_at": "2026-03-10T12:45"}
REASON = "The seller did explain the warranty; the price item should be yes."


def _report_post(client, assignment, data, files=None, action="save"):  # type: ignore[no-untyped-def]
    body: dict[str, object] = {**data, action: "1"}
    for field, (content, name) in (files or {}).items():
        body[field] = (io.BytesIO(content), name)
    return client.post(
        f"/shopping/{assignment.id}/report",
        data=body,
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def _checks(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-check="(\w+)" data-status="(\w+)"', html))


def _suggestions(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-label="(\w+)" data-suggestion="(\w*)"', html))


def _switch(client, login, user) -> None:  # type: ignore[no-untyped-def]
    login.logout()
    login.as_user(user.email)


@pytest.mark.slow
def test_mystery_shop_from_location_import_to_resolved_dispute(app, client, login) -> None:
    app.config.update(
        WHISPER_ENGINE="faster-whisper",
        WHISPER_MODEL="base",
        MODEL_CACHE_DIR=str(default_cache_dir()),
    )
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    manager = factories.make_user(role="location_manager", email="boss@example.com")
    shopper = factories.make_user(role="shopper", email="shopper@example.com", name="Ann")
    template = factories.make_scorecard()
    db.session.commit()
    lead = login.as_role("qa_lead")

    # Locations come from a CSV file; the manager is found by e-mail.
    imported = client.post(
        "/locations/import",
        data={"file": (io.BytesIO(LOCATIONS_CSV.encode()), "shops.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "1 created, 0 updated" in imported.get_data(as_text=True)
    store = db.session.scalar(select(Location))
    assert (store.manager_id, store.latitude) == (manager.id, 55.7601)

    # The scenario scripts both objections and requires a recording and photos.
    assert (
        client.post(
            "/mystery/scenarios/new",
            data={
                "name": "Диван: цена и цвет",
                "legend": "Спросите цену дивана и синий цвет.",
                "channel": "visit",
                "objection_lines": "price: Это слишком дорого\nassortment: Синего цвета у вас нет?",
                "template_id": str(template.id),
                "needs_recording": "y",
                "needs_photos": "y",
                "min_narrative_chars": "30",
                "lockout_days": "30",
                "report_deadline_days": "2",
            },
        ).status_code
        == 302
    )
    scenario = db.session.scalar(select(Scenario))
    wave_form = {
        "scenario_id": str(scenario.id),
        "locations": [str(store.id)],
        "shoppers": [str(shopper.id)],
    }
    assert (
        client.post(
            "/mystery/waves/new",
            data={**wave_form, "name": "Март", "starts_on": "2026-03-02", "ends_on": "2026-03-08"},
        ).status_code
        == 302
    )
    # Ann may not go back to the same shop within the 30 lockout days.
    locked = client.post(
        "/mystery/waves/new",
        data={
            **wave_form,
            "name": "Снова март",
            "starts_on": "2026-03-20",
            "ends_on": "2026-03-25",
        },
    )
    assert locked.status_code == 400
    assert "visited it within 30 days" in locked.get_data(as_text=True)
    (assignment,) = db.session.scalar(select(Wave)).assignments
    assert (assignment.shopper_id, assignment.state) == (shopper.id, "scheduled")

    # The shopper starts, and first saves a draft with the wrong day and a photo from far away.
    _switch(client, login, shopper)
    assert client.post(f"/shopping/{assignment.id}/start").status_code == 302
    _report_post(
        client,
        assignment,
        {**FACTS, **OUTSIDE},
        {"photos": (jpeg("2026:03:10 12:30:00", FAR), "far.jpg")},
    )
    _switch(client, login, lead)
    staff_url = f"/mystery/assignments/{assignment.id}"
    draft_checks = _checks(client.get(staff_url).get_data(as_text=True))
    assert draft_checks == {
        "visit_time": "fail",
        "photo_place": "fail",
        "recording": "fail",
        "scenario": "unknown",
    }

    # Corrected: the far photo removed, the right day, a photo at the shop and the recording.
    _switch(client, login, shopper)
    db.session.expire_all()
    report = db.session.scalar(select(ShopReport))
    (far_photo,) = report.evidence
    assert (
        client.post(f"/shopping/{assignment.id}/report/evidence/{far_photo.id}/remove").status_code
        == 302
    )
    submitted = _report_post(
        client,
        assignment,
        {**FACTS, **IN_WINDOW},
        {
            "photos": (jpeg("2026:03:03 12:30:00", NEAR), "shop.jpg"),
            "recording": (RECORDING.read_bytes(), RECORDING.name),
        },
        action="submit",
    )
    assert "Report submitted." in submitted.get_data(as_text=True)
    db.session.expire_all()
    report = db.session.scalar(select(ShopReport))
    assert report.call.status == "transcribed"
    found = check_report(report)
    assert {c.name: c.status for c in found.checks} == {
        "visit_time": "pass",
        "photo_place": "pass",
        "recording": "pass",
        "scenario": "pass",
    }
    handling = {h.label: h for h in found.handling}
    assert handling["price"].raised
    assert handling["assortment"].raised
    assert handling["price"].suggestion == "value"  # warranty and instalments
    assert handling["assortment"].suggestion == "gave_up"  # «Ничем не могу помочь»

    # The editor sees the same on the assignment page, returns it, then approves and publishes.
    _switch(client, login, lead)
    page = client.get(staff_url).get_data(as_text=True)
    assert set(_checks(page).values()) == {"pass"}
    assert _suggestions(page) == {"price": "value", "assortment": "gave_up"}
    assert (
        client.post(
            f"{staff_url}/move",
            data={
                "to_state": "returned",
                "comment": "Say how long you waited at the till.",
                "due_on": "2099-01-31",
            },
        ).status_code
        == 302
    )
    _switch(client, login, shopper)
    again = _report_post(
        client, assignment, {**FACTS, **IN_WINDOW, "wait_minutes": "7"}, action="submit"
    )
    assert "Report submitted." in again.get_data(as_text=True)
    _switch(client, login, lead)
    for step in ("approved", "published"):
        assert client.post(f"{staff_url}/move", data={"to_state": step}).status_code == 302
    league = client.get("/mystery/league?by=location&percent=10").get_data(as_text=True)
    assert "Салон на Тверской" in league

    # The location's manager disputes the price item; the QA lead upholds it.
    _switch(client, login, manager)
    assert (
        client.post(
            f"/locations/mine/shops/{assignment.id}/disputes",
            data={"item_key": "price", "reason": REASON},
        ).status_code
        == 302
    )
    dispute = db.session.scalar(select(Dispute))
    _switch(client, login, lead)
    assert (
        client.post(
            f"/reviews/disputes/{dispute.id}/resolve",
            data={"outcome": "upheld", "note": "Heard the warranty at 0:19.", "new_answer": "yes"},
        ).status_code
        == 302
    )
    db.session.expire_all()
    shop = db.session.get(ShopAssignment, assignment.id)
    assert shop.state == "resolved"
    assert [e.to_state for e in shop.events] == [
        "scheduled",
        "in_progress",
        "submitted",
        "returned",
        "in_progress",
        "submitted",
        "approved",
        "published",
        "disputed",
        "resolved",
    ]
    review = db.session.get(Review, db.session.scalar(select(ShopReport)).review_id)
    assert review.answers["price"]["value"] == "yes"
    # greet 1 + needs 3/4 of 2 + price 3, out of 1 + 2 + 3 (0 while price was "no")
    assert review.score == pytest.approx(100 * 5.5 / 6)
    assert db.session.get(Dispute, dispute.id).status == "upheld"
