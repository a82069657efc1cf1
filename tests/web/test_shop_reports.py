"""The shopper's report: drafts, submit, evidence checked by content, automatic checks, access."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from qa.extensions import db
from qa.models import Call, Review, ShopEvidence, ShopReport
from qa.services.mystery.checks import (
    check_report,
    classify_reply,
    haversine_m,
    scripted_handling,
)
from tests.web import factories
from tests.web.audio_bytes import wav_bytes
from tests.web.evidence_files import FAR, NEAR, STORE, jpeg
from transcription import default_cache_dir

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"


@pytest.fixture
def fake_engine(app):  # type: ignore[no-untyped-def]
    """Canned transcripts: these tests are about reports, not speech recognition."""
    app.config["WHISPER_ENGINE"] = "fake"
    return app


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (0, 90, 200)).save(out, "PNG")
    return out.getvalue()


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
    b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _world(**scenario: object):  # type: ignore[no-untyped-def]
    shopper = factories.make_user(role="shopper", email="shopper@example.com")
    template = factories.make_scorecard()
    values = {
        "template_id": template.id,
        "min_narrative_chars": 20,
        "needs_photos": True,
        "needs_receipt": True,
        **scenario,
    }
    scen = factories.make_scenario(**values)
    location = factories.make_location(latitude=STORE[0], longitude=STORE[1], phone="+74951234567")
    assignment = factories.make_assignment(
        shopper, location=location, scenario=scen, state="in_progress"
    )
    db.session.commit()
    return shopper, assignment


FACTS = {
    "started_at": "2026-03-03T12:20",
    "ended_at": "2026-03-03T12:45",
    "seller": "Иван, высокий, в синей форме",
    "wait_minutes": "4",
    "narrative": "Продавец поздоровался сразу, показал три дивана и рассказал о доставке.",
}
ANSWERS = {
    "item-greet": "yes",
    "item-needs": "3",
    "item-price": "no",
    "comment-price": "Сказал, что дешевле не будет.",
}


def _post(client, assignment, data=None, files=None, action="save"):  # type: ignore[no-untyped-def]
    body: dict[str, object] = {**(data or {}), action: "1"}
    for field, items in (files or {}).items():
        body[field] = [(io.BytesIO(content), name) for content, name in items]
    return client.post(
        f"/shopping/{assignment.id}/report",
        data=body,
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def submit_with_recording(client, login, freq: int):  # type: ignore[no-untyped-def]
    """A shopper submits a report whose only evidence is a 2 s recording; (shopper, assignment,
    the answer page). ``freq`` makes each test's audio distinct."""
    shopper, assignment = _world(needs_recording=True, needs_photos=False, needs_receipt=False)
    login.as_user(shopper.email)
    page = _post(
        client,
        assignment,
        {**FACTS, **ANSWERS},
        files={"recording": [(wav_bytes(2.0, freq=freq), "visit.wav")]},
        action="submit",
    )
    return shopper, assignment, page


def _report(assignment) -> ShopReport:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return db.session.scalar(select(ShopReport).where(ShopReport.assignment_id == assignment.id))


# --- drafts and submit --------------------------------------------------------------------------


def test_partial_draft_is_kept_and_shown_again(client, login) -> None:
    shopper, assignment = _world()
    login.as_user(shopper.email)
    page = _post(
        client,
        assignment,
        {"seller": "Иван", "item-greet": "yes", "started_at": "2026-03-03T12:20"},
    )
    assert page.status_code == 200
    assert "Draft saved." in page.get_data(as_text=True)
    report = _report(assignment)
    assert report.seller == "Иван"
    assert report.answers == {"greet": {"value": "yes"}}
    assert report.visit_started_at == datetime(2026, 3, 3, 9, 20)  # Moscow time, stored UTC
    assert report.submitted_at is None
    html = client.get(f"/shopping/{assignment.id}/report").get_data(as_text=True)
    assert 'value="Иван"' in html
    assert 'value="2026-03-03T12:20"' in html
    assert 'id="item-greet-yes" value="yes" autocomplete="off" checked' in html
    assert "Still needed before you submit" in html


def test_submit_is_refused_until_complete_then_moves_the_state(client, login) -> None:
    shopper, assignment = _world()
    login.as_user(shopper.email)
    page = _post(client, assignment, {**FACTS, "item-greet": "yes"}, action="submit")
    html = page.get_data(as_text=True)
    assert "The report is not complete" in html
    assert "photos" in html
    assert "the receipt" in html
    assert "Finds out needs" in html
    db.session.refresh(assignment)
    assert assignment.state == "in_progress"
    assert _report(assignment).seller == FACTS["seller"]  # the draft is kept all the same

    page = _post(
        client,
        assignment,
        {**FACTS, "narrative": "коротко", **ANSWERS},
        files={"photos": [(jpeg(), "shelf.jpg")], "receipt": [(PDF, "чек.pdf")]},
        action="submit",
    )
    assert "a narrative of at least 20 characters" in page.get_data(as_text=True)

    page = _post(client, assignment, {**FACTS, **ANSWERS}, action="submit")
    assert "Report submitted." in page.get_data(as_text=True)
    db.session.refresh(assignment)
    assert assignment.state == "submitted"
    assert assignment.events[-1].to_state == "submitted"
    report = _report(assignment)
    assert report.submitted_at is not None
    review = db.session.get(Review, report.review_id)
    assert review.subject.shop_assignment_id == assignment.id
    assert review.reviewer_id == shopper.id
    assert review.answers["price"] == {"value": "no", "comment": "Сказал, что дешевле не будет."}
    assert review.failed_critical
    # Handed in: no more changes.
    again = _post(client, assignment, {**FACTS, "seller": "другой"})
    assert "can no longer be changed" in again.get_data(as_text=True)
    assert _report(assignment).seller == FACTS["seller"]


# --- evidence -----------------------------------------------------------------------------------


def test_photos_and_receipts_are_kept_by_content_with_exif(client, login, app) -> None:
    shopper, assignment = _world()
    login.as_user(shopper.email)
    page = _post(
        client,
        assignment,
        FACTS,
        files={
            "photos": [(jpeg(), "../../витрина.jpg"), (png(), "hall.png")],
            "receipt": [(PDF, "receipt.pdf")],
        },
    )
    assert "Draft saved." in page.get_data(as_text=True)
    items = {e.original_name: e for e in _report(assignment).evidence}
    photo = items["../../витрина.jpg"]
    assert (photo.kind, photo.mime_type) == ("photo", "image/jpeg")
    assert photo.taken_at == datetime(2026, 3, 3, 9, 30)
    assert photo.latitude == pytest.approx(NEAR[0], abs=1e-4)
    assert photo.longitude == pytest.approx(NEAR[1], abs=1e-4)
    assert photo.stored_name.endswith(".jpg")
    assert "витрина" not in photo.stored_name
    assert "/" not in photo.stored_name
    assert items["hall.png"].mime_type == "image/png"
    assert items["hall.png"].latitude is None
    assert items["receipt.pdf"].mime_type == "application/pdf"
    assert len(items["receipt.pdf"].sha256) == 64
    served = client.get(f"/shopping/evidence/{photo.id}")
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert served.data == jpeg()


@pytest.mark.parametrize(
    ("field", "content", "name", "message"),
    [
        (
            "photos",
            b"<html><script>alert(1)</script></html>",
            "photo.jpg",
            "not a JPEG, PNG or HEIC",
        ),
        ("receipt", b"<html></html>", "receipt.pdf", "neither a JPEG, PNG or HEIC photo nor a PDF"),
        ("photos", None, "photos.jpg", "not a JPEG, PNG or HEIC"),  # a zip
        ("photos", b"", "empty.jpg", "is empty"),
        ("photos", b"\xff\xd8\xff\xe0" + b"\x00" * 40, "broken.jpg", "not a readable picture"),
        ("photos", PDF, "receipt-as-photo.jpg", "not a JPEG, PNG or HEIC"),
    ],
)
def test_bad_evidence_is_refused_with_a_reason(
    client, login, field, content, name, message
) -> None:
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("a.jpg", jpeg())
        content = buffer.getvalue()
    shopper, assignment = _world()
    login.as_user(shopper.email)
    page = _post(client, assignment, FACTS, files={field: [(content, name)]})
    assert message in page.get_data(as_text=True)
    assert db.session.scalar(select(ShopEvidence)) is None
    assert _report(assignment).seller == FACTS["seller"]  # the rest of the form is kept


def test_oversize_files_and_pictures_are_refused(client, login, app) -> None:
    shopper, assignment = _world()
    login.as_user(shopper.email)
    app.config["MAX_EVIDENCE_BYTES"] = 2000
    page = _post(client, assignment, FACTS, files={"receipt": [(PDF + b" " * 3000, "big.pdf")]})
    assert "is larger than" in page.get_data(as_text=True)
    app.config["MAX_EVIDENCE_BYTES"] = 25 * 1024 * 1024
    app.config["MAX_EVIDENCE_PIXELS"] = 100 * 100
    page = _post(client, assignment, FACTS, files={"photos": [(jpeg(size=(400, 300)), "huge.jpg")]})
    assert "too large a picture (400 × 300 pixels)" in page.get_data(as_text=True)
    assert db.session.scalar(select(ShopEvidence)) is None


def test_recording_becomes_a_transcribed_call(client, login, fake_engine) -> None:
    shopper, assignment, page = submit_with_recording(client, login, 310)
    assert "Report submitted." in page.get_data(as_text=True)
    report = _report(assignment)
    call = db.session.get(Call, report.call_id)
    assert call is not None
    assert call.uploaded_by_id == shopper.id
    assert call.called_at == datetime(2026, 3, 3, 9, 20)
    assert call.status == "transcribed"  # the queue runs at once in tests
    assert report.evidence_of("recording")[0].call_id == call.id
    result = {c.name: c for c in check_report(report).checks}
    assert result["recording"].status == "pass"
    assert result["scenario"].status == "pass"  # the canned customer turn raises price


# --- automatic checks ---------------------------------------------------------------------------


def _checked(client, assignment, data, files=None):  # type: ignore[no-untyped-def]
    _post(client, assignment, data, files=files)
    return {c.name: c for c in check_report(_report(assignment)).checks}


def test_checks_pass_for_a_visit_in_the_window_at_the_location(client, login) -> None:
    shopper, assignment = _world()
    login.as_user(shopper.email)
    result = _checked(client, assignment, FACTS, {"photos": [(jpeg(), "a.jpg")]})
    assert result["visit_time"].status == "pass"
    assert result["photo_place"].status == "pass"
    assert result["recording"].status == "unknown"


def test_checks_fail_outside_the_window_and_far_away(client, login) -> None:
    shopper, assignment = _world(needs_recording=True)
    login.as_user(shopper.email)
    result = _checked(
        client,
        assignment,
        {**FACTS, "started_at": "2026-03-10T12:00", "ended_at": "2026-03-10T12:30"},
        {"photos": [(jpeg(taken="2026:02:01 10:00:00", where=FAR), "far.jpg")]},
    )
    assert result["visit_time"].status == "fail"
    assert "visit start" in result["visit_time"].reason
    assert "far.jpg" in result["visit_time"].reason
    assert result["photo_place"].status == "fail"
    assert "far.jpg" in result["photo_place"].reason
    assert result["recording"].status == "fail"


def test_objection_not_raised_fails_and_handling_is_suggested(app) -> None:
    shopper = factories.make_user(role="shopper")
    scenario = factories.make_scenario(
        objections=[
            {"label": "price", "wording": "дорого"},
            {"label": "assortment", "wording": "нет?"},
        ]
    )
    assignment = factories.make_assignment(
        shopper,
        scenario=scenario,
        state="in_progress",
        starts_on=date(2026, 3, 2),
        ends_on=date(2026, 3, 8),
    )
    call = factories.make_call()
    customer = factories.make_segment(call, speaker="customer", text="Это слишком дорого.")
    factories.make_segment(call, speaker="agent", text="Есть похожая модель, она дешевле.")
    factories.make_finding(call, segment_id=customer.id, label="price")
    report = ShopReport(assignment=assignment, answers={}, call_id=call.id)
    db.session.add(report)
    db.session.flush()
    found = check_report(report)
    result = {c.name: c for c in found.checks}
    assert result["scenario"].status == "fail"
    assert "Assortment" in result["scenario"].reason
    handling = {h.label: h for h in found.handling}
    assert handling["price"].raised
    assert handling["price"].suggestion == "alternative"
    assert not handling["assortment"].raised


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Могу предложить аналог подешевле.", "alternative"),
        ("Зато гарантия пять лет, и есть рассрочка.", "value"),
        # As Whisper sometimes spells it.
        ("У него гаранты пять лет и есть расрочка без переплаты.", "value"),
        ("Ну, ничем не могу помочь.", "gave_up"),
        ("Угу.", "no_answer"),
        ("We have a similar model instead.", "alternative"),
        ("It is worth it because of the warranty.", "value"),
        ("Sorry, nothing I can do.", "gave_up"),
    ],
)
def test_seller_reply_suggestions(text, expected) -> None:
    assert classify_reply(text) == expected


def test_seller_answer_ends_at_the_next_scripted_objection() -> None:
    turns = [
        ("customer", "Это слишком дорого."),
        ("agent", "Зато гарантия пять лет."),
        ("customer", "Синего нет?"),
        ("agent", "Ничем не могу помочь."),
        ("agent", "Могу предложить аналог."),  # a third turn: past the two that count
        ("agent", "Что-нибудь ещё?"),
    ]
    found = scripted_handling(turns, [(2, "assortment"), (0, "price")], ["price", "assortment"])
    assert [(h.label, h.raised, h.suggestion) for h in found] == [
        ("price", True, "value"),
        ("assortment", True, "gave_up"),
    ]
    # Without the second objection found, the answer runs on to the next two seller turns.
    (price,) = scripted_handling(turns, [(0, "price")], ["price"])
    assert (price.suggestion, price.seller_words) == (
        "gave_up", "Зато гарантия пять лет. Ничем не могу помочь.")


def test_haversine_distance() -> None:
    assert haversine_m(*STORE, *NEAR) == pytest.approx(40, abs=10)
    assert haversine_m(*STORE, *FAR) == pytest.approx(634_000, rel=0.01)


# --- who sees what ------------------------------------------------------------------------------


def test_other_shopper_gets_404_and_staff_see_the_report(client, login) -> None:
    shopper, assignment = _world()
    login.as_user(shopper.email)
    _post(client, assignment, FACTS, files={"photos": [(jpeg(), "a.jpg")]})
    photo = _report(assignment).evidence[0]
    other = factories.make_user(role="shopper", email="other@example.com")
    db.session.commit()
    login.logout()
    login.as_user(other.email)
    assert client.get(f"/shopping/{assignment.id}/report").status_code == 404
    assert client.post(f"/shopping/{assignment.id}/report", data=FACTS).status_code == 404
    assert client.get(f"/shopping/evidence/{photo.id}").status_code == 404
    assert client.get(f"/mystery/evidence/{photo.id}").status_code == 403
    login.logout()
    login.as_role("qa_lead")
    html = client.get(f"/mystery/assignments/{assignment.id}").get_data(as_text=True)
    assert FACTS["seller"] in html
    assert 'data-check="photo_place" data-status="pass"' in html
    served = client.get(f"/mystery/evidence/{photo.id}")
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    assert client.get(f"/shopping/{assignment.id}/report").status_code in (403, 404)


def test_location_manager_cannot_see_unpublished_reports(client, login) -> None:
    shopper, assignment = _world()
    manager = factories.make_user(role="location_manager", email="boss@example.com")
    assignment.location.manager_id = manager.id
    db.session.commit()
    login.as_user(shopper.email)
    _post(client, assignment, FACTS, files={"photos": [(jpeg(), "a.jpg")]})
    photo = _report(assignment).evidence[0]
    login.logout()
    login.as_user(manager.email)
    assert client.get(f"/shopping/{assignment.id}/report").status_code == 403
    assert client.get(f"/shopping/evidence/{photo.id}").status_code == 403
    assert client.get(f"/mystery/evidence/{photo.id}").status_code == 403
    assert client.get(f"/mystery/assignments/{assignment.id}").status_code == 403


def test_heic_photo_is_taken(client, login) -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 20, 30)).save(out, "HEIF")
    shopper, assignment = _world()
    login.as_user(shopper.email)
    _post(client, assignment, FACTS, files={"photos": [(out.getvalue(), "IMG_0001.HEIC")]})
    (photo,) = _report(assignment).evidence
    assert (photo.mime_type, photo.stored_name[-5:]) == ("image/heic", ".heic")


def test_returned_report_is_corrected_and_submitted_again(client, login) -> None:
    shopper, assignment = _world(needs_photos=False, needs_receipt=False)
    login.as_user(shopper.email)
    _post(client, assignment, {**FACTS, **ANSWERS}, action="submit")
    first = _report(assignment).review_id
    assignment.state = "returned"
    db.session.commit()
    page = _post(client, assignment, {**FACTS, **ANSWERS, "item-price": "yes"}, action="submit")
    assert "Report submitted." in page.get_data(as_text=True)
    db.session.refresh(assignment)
    assert [e.to_state for e in assignment.events][-2:] == ["in_progress", "submitted"]
    report = _report(assignment)
    assert report.review_id == first  # the same review, with a new revision
    review = db.session.get(Review, first)
    assert review.answers["price"]["value"] == "yes"
    assert len(review.revisions) == 2


def test_staff_page_shows_handling_beside_the_scorecard_item(client, login, fake_engine) -> None:
    _shopper, assignment, _page = submit_with_recording(client, login, 330)
    login.logout()
    login.as_role("qa_lead")
    html = client.get(f"/mystery/assignments/{assignment.id}").get_data(as_text=True)
    assert 'data-check="scenario" data-status="pass"' in html
    assert 'data-label="price" data-suggestion="' in html
    assert "Handles the price objection:" in html  # the item whose suggest_from is price


@pytest.mark.slow
def test_real_mystery_call_shows_objections_raised_and_how_the_seller_met_them(
    app, client, login
) -> None:
    """A festival-voiced call on faster-whisper (base): the customer (right channel) says the
    sofa is too expensive and asks for a blue one; the seller offers a discount for the first
    and never answers the second."""
    app.config.update(
        WHISPER_ENGINE="faster-whisper",
        WHISPER_MODEL="base",
        MODEL_CACHE_DIR=str(default_cache_dir()),
    )
    shopper, assignment = _world(
        needs_recording=True,
        needs_photos=False,
        needs_receipt=False,
        objections=[
            {"label": "price", "wording": "Дорого"},
            {"label": "assortment", "wording": "Синего нет?"},
        ],
    )
    login.as_user(shopper.email)
    recording = AUDIO / "ru_call_stereo.ogg"
    page = _post(
        client,
        assignment,
        {**FACTS, **ANSWERS},
        files={"recording": [(recording.read_bytes(), recording.name)]},
        action="submit",
    )
    assert "Report submitted." in page.get_data(as_text=True)
    report = _report(assignment)
    assert report.call.status == "transcribed"
    found = check_report(report)
    assert {c.name: c.status for c in found.checks}["scenario"] == "pass"
    handling = {h.label: h for h in found.handling}
    assert handling["price"].raised
    assert handling["price"].suggestion == "alternative"  # "Могу предложить скидку…"
    assert handling["assortment"].raised
    assert handling["assortment"].suggestion == "no_answer"
