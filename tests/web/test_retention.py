"""Retention and deletion of personal data: what is due goes on a fixed date and what is not
stays, review figures outlive the transcript, deletion on request leaves no row, file or search
hit behind and writes its record, phone numbers match in every form, and hostile input is
refused with a message."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from qa.cli import main
from qa.extensions import db
from qa.models import (
    AuditEvent,
    Call,
    CoachingExample,
    Comment,
    Finding,
    Lead,
    Notification,
    PersonalDataErasure,
    Review,
    ReviewRevision,
    SegmentEdit,
    TranscriptionJob,
    TranscriptSegment,
)
from qa.services.admin.settings import company_settings
from qa.services.calls.listing import CallFilters
from qa.services.calls.search import search_transcripts
from qa.services.errors import NotFound, ValidationFailed
from qa.services.privacy import erasure, retention
from qa.services.quality.agents import list_agents
from qa.services.quality.reviews import save_review
from qa.services.quality.subjects import subject_for_call
from tests.web import factories

PHONE = "+79161234567"
CUSTOMER_WORDS = "мой номер восемь девять один шесть, зовут Пётр Иванович"


def _recording(app: Flask, call: Call, content: bytes = b"RIFF....WAVE") -> Path:
    path = Path(app.config["RECORDINGS_DIR"]) / call.recording_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def _call_with_everything(app: Flask, called_at: datetime, phone: str | None = PHONE) -> Any:
    """A transcribed, reviewed, commented call with a recording file on disk."""
    agent = factories.make_agent(name="Анна")
    call = factories.make_call(
        called_at=called_at,
        phone=phone,
        agent=agent,
        status="transcribed",
        title="Пётр Иванович, заказ дивана",
        original_filename=f"{phone}.wav",
    )
    path = _recording(app, call)
    line = factories.make_segment(call, speaker="customer", text=CUSTOMER_WORDS)
    db.session.add(SegmentEdit(segment_id=line.id, old_text="x", new_text=CUSTOMER_WORDS))
    factories.make_finding(call, segment_id=line.id, text="дороговато")
    db.session.add(TranscriptionJob(call_id=call.id, status="done"))
    reviewer = factories.make_user(role="reviewer", email=f"r{call.id}@example.com")
    template = db.session.scalar(select(factories.ScorecardTemplate).limit(1)) or (
        factories.make_scorecard()
    )
    review = save_review(
        subject_for_call(call),
        template.current,
        reviewer,
        values={"greet": "yes", "needs": "3", "price": "yes"},
        comments={"greet": "Клиент сказал: " + CUSTOMER_WORDS},
        comment="Пётр Иванович остался доволен",
    )
    db.session.add(Comment(call_id=call.id, author_id=reviewer.id, body="Пётр просит перезвонить"))
    db.session.add(Comment(review_id=review.id, author_id=reviewer.id, body=CUSTOMER_WORDS))
    db.session.add(
        CoachingExample(
            call_id=call.id, segment_id=line.id, kind="good", note="Пётр", created_by_id=reviewer.id
        )
    )
    db.session.flush()
    return call, review, path


def _count(model: Any, *where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _set_periods(recording: int | None, transcript: int | None) -> None:
    retention.update_retention({"recording": recording, "transcript": transcript})


# --- retention -----------------------------------------------------------------------------------


def test_retention_deletes_what_is_due_and_keeps_the_rest(app: Flask) -> None:
    company_settings().timezone = "UTC"
    old, old_review, old_path = _call_with_everything(app, datetime(2026, 1, 10, 12))
    new, new_review, new_path = _call_with_everything(
        app, datetime(2026, 3, 1, 12), phone="+79161234500"
    )
    score = old_review.score
    _set_periods(recording=30, transcript=60)
    db.session.commit()

    # 10 Jan + 30 days: kept through 9 Feb, due on 10 Feb.
    first = retention.run_retention(date(2026, 2, 9))
    db.session.commit()
    assert first.recordings == []
    assert not first.anything
    assert old_path.exists()

    second = retention.run_retention(clock=lambda: date(2026, 2, 10))
    db.session.commit()
    assert second.recordings == [old.id]
    assert second.transcripts == []
    assert not old_path.exists()
    assert new_path.exists()
    assert old.recording_path == ""
    assert old.recording_deleted_at is not None
    assert _count(TranscriptionJob, TranscriptionJob.call_id == old.id) == 0
    assert _count(TranscriptSegment, TranscriptSegment.call_id == old.id) == 1  # not due yet
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "retention.deleted")
    ).one()
    assert event.details["recording_calls"] == [old.id]
    assert event.details["today"] == "2026-02-10"

    # 10 Jan + 60 days: kept through 11 March.
    assert retention.run_retention(date(2026, 3, 11)).transcripts == []
    third = retention.run_retention(date(2026, 3, 12))
    db.session.commit()
    assert third.transcripts == [old.id]
    assert _count(TranscriptSegment, TranscriptSegment.call_id == old.id) == 0
    assert _count(Finding, Finding.call_id == old.id) == 0
    assert _count(SegmentEdit) == 1  # the new call's
    assert _count(Comment, Comment.call_id == old.id) == 0
    assert _count(Comment, Comment.review_id == old_review.id) == 0
    assert _count(CoachingExample, CoachingExample.call_id == old.id) == 0
    db.session.expire_all()
    assert old.phone is None
    assert old.title is None
    assert old.original_filename == ""
    # The review stays as figures: its values and score, no text.
    review = db.session.get(Review, old_review.id)
    assert review.score == score
    assert review.comment is None
    assert review.answers["greet"]["value"] == "yes"
    assert review.answers["greet"]["comment"] == ""
    for revision in db.session.scalars(
        select(ReviewRevision).where(ReviewRevision.review_id == review.id)
    ):
        assert not revision.comment
        assert CUSTOMER_WORDS not in str(revision.answers)
    # The newer call is untouched.
    assert new.phone == "+79161234500"
    assert _count(TranscriptSegment, TranscriptSegment.call_id == new.id) == 1
    assert db.session.get(Review, new_review.id).comment
    # Dashboards still count the anonymised review.
    summary = {row.agent.id: row for row in list_agents()}[old.agent_id]
    assert summary.reviews == 1
    assert summary.average_score == pytest.approx(score)

    # A rerun on the same day finds nothing and writes nothing.
    again = retention.run_retention(date(2026, 3, 12))
    db.session.commit()
    assert not again.anything
    assert _count(AuditEvent, AuditEvent.action == "retention.deleted") == 2


def test_no_period_keeps_for_ever(app: Flask) -> None:
    call, _review, path = _call_with_everything(app, datetime(1990, 1, 1))
    db.session.commit()
    result = retention.run_retention(date(2200, 1, 1))
    db.session.commit()
    assert not result.anything
    assert path.exists()
    assert _count(TranscriptSegment, TranscriptSegment.call_id == call.id) == 1


def test_call_time_falls_back_to_upload_time(app: Flask) -> None:
    call = factories.make_call(called_at=None, created_at=datetime(2026, 1, 1, 8))
    _set_periods(recording=1, transcript=None)
    assert retention.run_retention(date(2026, 1, 2)).recordings == []
    assert retention.run_retention(date(2026, 1, 3)).recordings == [call.id]


def test_dry_run_on_the_command_line_deletes_nothing(app: Flask, runner: Any) -> None:
    call, _review, path = _call_with_everything(app, datetime(2026, 1, 1))
    _set_periods(recording=10, transcript=10)
    db.session.commit()
    result = runner.invoke(main, ["retention", "run", "--dry-run", "--today", "2026-06-01"])
    assert result.exit_code == 0, result.output
    assert f"recordings: 1 (#{call.id})" in result.output
    db.session.expire_all()
    assert path.exists()
    assert db.session.get(Call, call.id).recording_deleted_at is None
    assert _count(AuditEvent, AuditEvent.action == "retention.deleted") == 0

    result = runner.invoke(main, ["retention", "run", "--today", "2026-06-01"])
    assert result.exit_code == 0, result.output
    assert "Deleted on 2026-06-01" in result.output
    assert not path.exists()
    db.session.expire_all()
    assert db.session.get(Call, call.id).transcript_deleted_at is not None


@pytest.mark.parametrize("today", ["9999-01-01", "2026-13-01", "yesterday"])
def test_command_refuses_bad_dates(app: Flask, runner: Any, today: str) -> None:
    result = runner.invoke(main, ["retention", "run", "--today", today])
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_daily_task_runs_retention(app: Flask) -> None:
    from qa.tasks import run_retention

    call = factories.make_call(called_at=datetime(2000, 1, 1))
    _set_periods(recording=1, transcript=None)
    db.session.commit()
    run_retention.call_local()
    db.session.expire_all()
    assert db.session.get(Call, call.id).recording_deleted_at is not None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "between 1 and 36"),
        ("36501", "between 1 and 36"),
        ("-5", "between 1 and 36"),
        ("1.5", "whole number"),
        ("NaN", "Keep recordings"),
        ("3\x00", "Keep recordings"),
        ("9" * 40, "Keep recordings"),
    ],
)
def test_retention_days_are_checked(app: Flask, value: str, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        retention.update_retention({"recording": value})


def test_retention_days_are_stored(app: Flask) -> None:
    retention.update_retention({"recording": "30", "transcript": "36500", "redacted": " "})
    assert retention.periods() == {"recording": 30, "transcript": 36500, "redacted": None}


# --- deletion on request -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "+7 916 123-45-67",
        "8 916 123 45 67",
        "916 1234567",
        "8(916)1234567",
        "+79161234567",
        "  +7 (916) 123-45-67 ",
    ],
)
def test_phone_forms_are_one_number(app: Flask, typed: str) -> None:
    company_settings().phone_region = "RU"
    assert erasure.phone_number(typed) == PHONE


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12", "valid phone"),
        ("not a number", "valid phone"),
        ("+7 916\x00 123", "control"),
        ("9" * 60, "40"),
        ("", "required"),
    ],
)
def test_bad_phone_numbers_are_refused(app: Flask, typed: str, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        erasure.phone_number(typed)


def test_masked_number_keeps_two_digits() -> None:
    assert erasure.masked(PHONE) == "+7••••••••67"


def test_erasure_by_phone_leaves_nothing_behind(app: Flask) -> None:
    company_settings().phone_region = "RU"
    first, review, first_path = _call_with_everything(app, datetime(2026, 5, 1))
    second = factories.make_call(phone=PHONE, called_at=datetime(2026, 5, 2))
    second_path = _recording(app, second, b"other audio")
    other, _other_review, other_path = _call_with_everything(
        app, datetime(2026, 5, 3), phone="+79031112233"
    )
    lead = factories.make_lead(
        phone=PHONE, name="Пётр", customer_id="C-1", external_id="crm-9", status="won"
    )
    db.session.commit()
    assert search_transcripts("номер", CallFilters()).total == 2

    found = erasure.plan(phone="8 916 123 45 67")
    assert [c.id for c in found.calls] == [first.id, second.id]
    assert [x.id for x in found.leads] == [lead.id]
    assert found.transcript_lines == 1
    record = erasure.erase(found, requested_by="Пётр Иванов", reason="Письмо от 1 мая")
    db.session.commit()

    assert not first_path.exists()
    assert not second_path.exists()
    assert other_path.exists()
    assert _count(Call, Call.phone == PHONE) == 0
    assert _count(Lead, Lead.phone == PHONE) == 0
    assert _count(TranscriptSegment, TranscriptSegment.call_id.in_([first.id, second.id])) == 0
    hits = search_transcripts("номер", CallFilters())
    assert [hit.call.id for hit in hits.hits] == [other.id]
    db.session.expire_all()
    kept_lead = db.session.get(Lead, lead.id)
    assert (kept_lead.name, kept_lead.customer_id, kept_lead.external_id) == (None, None, None)
    assert kept_lead.status == "won"
    assert db.session.get(Review, review.id).score is not None
    stored = db.session.get(PersonalDataErasure, record.id)
    assert stored.scope == "phone"
    assert stored.target == "+7••••••••67"
    assert stored.summary["calls"] == [first.id, second.id]
    assert stored.summary["recordings"] == 2
    assert stored.summary["leads"] == [lead.id]
    assert PHONE not in str(stored.summary)
    assert "916" not in stored.target
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "erasure.deleted")
    ).one()
    assert event.object_type == "personal_data_erasure"
    assert event.object_id == record.id
    assert PHONE not in event.summary

    # Retention never deletes the deletion record.
    _set_periods(recording=1, transcript=1)
    retention.run_retention(date(2200, 1, 1))
    db.session.commit()
    assert db.session.get(PersonalDataErasure, record.id) is not None


def test_erasure_of_one_call(app: Flask) -> None:
    call, _review, path = _call_with_everything(app, datetime(2026, 5, 1))
    twin = factories.make_call(phone=PHONE)
    db.session.commit()
    found = erasure.plan(call_id=str(call.id))
    assert found.target == f"#{call.id}"
    assert found.recordings == 1
    erasure.erase(found, requested_by="Пётр")
    db.session.commit()
    assert not path.exists()
    db.session.expire_all()
    assert db.session.get(Call, twin.id).phone == PHONE  # only the call asked about


def test_erasure_renumbers_the_notices_that_named_the_call(app: Flask) -> None:
    """A notice rendered from a call's title (which may name the customer) names it by number;
    notices about another call of the same title keep theirs."""
    from qa.services.notifications.inbox import notify

    call = factories.make_call(title="Звонок Иванову", phone=PHONE)
    other = factories.make_call(title="Звонок Иванову")
    reader = factories.make_user(role="reviewer", email="reader@example.com")
    db.session.flush()
    own = notify(reader, "comment.mention", f"/calls/{call.id}#comment-1",
                 author="Анна", comment_id=1, call_title=call.display_title)
    kept = notify(reader, "comment.mention", f"/calls/{other.id}#comment-2",
                  author="Анна", comment_id=2, call_title=other.display_title)
    db.session.commit()
    erasure.erase(erasure.plan(call_id=str(call.id)), requested_by="Пётр")
    db.session.commit()
    db.session.expire_all()
    assert own is not None
    assert kept is not None
    assert db.session.get(Notification, own.id).params["call_title"] == f"#{call.id}"
    assert db.session.get(Notification, kept.id).params["call_title"] == "Звонок Иванову"


@pytest.mark.parametrize(
    ("call_id", "phone", "error", "message"),
    [
        (None, None, ValidationFailed, "call ID or a phone"),
        ("1", PHONE, ValidationFailed, "not both"),
        ("abc", None, ValidationFailed, "Call ID"),
        ("99999999999999999999", None, ValidationFailed, "Call ID"),
        ("424242", None, NotFound, "no call"),
    ],
)
def test_bad_erasure_targets(
    app: Flask, call_id: Any, phone: Any, error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        erasure.plan(call_id=call_id, phone=phone)


@pytest.mark.parametrize(
    ("who", "message"), [("", "required"), ("x" * 201, "200"), ("Пётр\x00", "control")]
)
def test_requester_is_checked_and_nothing_is_deleted(app: Flask, who: str, message: str) -> None:
    call, _review, path = _call_with_everything(app, datetime(2026, 5, 1))
    db.session.commit()
    with pytest.raises(ValidationFailed, match=message):
        erasure.erase(erasure.plan(call_id=call.id), requested_by=who)
    db.session.rollback()
    assert path.exists()
    assert _count(TranscriptSegment) == 1
    assert _count(PersonalDataErasure) == 0


def test_command_deletes_by_phone(app: Flask, runner: Any) -> None:
    call, _review, path = _call_with_everything(app, datetime(2026, 5, 1))
    db.session.commit()
    result = runner.invoke(
        main,
        ["delete-personal-data", "--phone", "8 916 123-45-67", "--requested-by", "Пётр"],
        input="n\n",
    )
    assert result.exit_code != 0
    assert path.exists()
    result = runner.invoke(
        main,
        ["delete-personal-data", "--phone", "8 916 123-45-67", "--requested-by", "Пётр", "--yes"],
    )
    assert result.exit_code == 0, result.output
    assert "Deletion record #1" in result.output
    assert not path.exists()
    bad = runner.invoke(main, ["delete-personal-data", "--phone", "12", "--requested-by", "P"])
    assert bad.exit_code != 0
    assert "valid phone" in bad.output


# --- the admin pages -----------------------------------------------------------------------------


def test_settings_page_stores_retention_periods(app: Flask, client: Any, login: Any) -> None:
    login.as_role("admin")
    form = {
        "name": "Shop",
        "timezone": "Europe/Moscow",
        "currency": "RUB",
        "phone_region": "RU",
        "lead_link_window_hours": "24",
        "recording_retention_days": "90",
        "transcript_retention_days": "365",
        "redacted_retention_days": "",
    }
    response = client.post("/admin/settings", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert retention.periods() == {"recording": 90, "transcript": 365, "redacted": None}
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'name="recording_retention_days" type="text" value="90"' in page


def test_delete_page_previews_then_deletes_and_prints_the_record(
    app: Flask, client: Any, login: Any
) -> None:
    call, _review, path = _call_with_everything(app, datetime(2026, 5, 1))
    db.session.commit()
    admin = login.as_role("admin")
    preview = client.post(
        "/admin/personal-data",
        data={"find-call_id": "", "find-phone": "+7 (916) 123-45-67", "find-lookup": "1"},
    )
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "+7••••••••67" in html
    assert f"#{call.id}" in html
    assert "1 transcript line" in html
    assert path.exists()  # a preview deletes nothing
    assert _count(PersonalDataErasure) == 0

    done = client.post(
        "/admin/personal-data/delete",
        data={
            "erase-scope": "phone",
            "erase-value": PHONE,
            "erase-requested_by": "<b>Пётр</b>",
            "erase-reason": "Заявление",
            "erase-confirm": "1",
        },
    )
    assert done.status_code == 302
    record = db.session.scalars(select(PersonalDataErasure)).one()
    assert done.headers["Location"].endswith(f"/admin/personal-data/records/{record.id}")
    assert not path.exists()
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "&lt;b&gt;Пётр&lt;/b&gt;" in page  # what a user typed is shown escaped
    assert "print.css" in page
    assert f"#{call.id}" in page
    assert admin.name in page
    assert PHONE not in page
    trail = client.get("/admin/audit").get_data(as_text=True)
    assert f'href="/admin/personal-data/records/{record.id}"' in trail
    # The recording of the anonymised call is gone for good, and its page says so.
    assert client.get(f"/calls/{call.id}/recording").status_code == 404
    assert "personal-data-deleted" in client.get(f"/calls/{call.id}").get_data(as_text=True)


def test_unknown_number_shows_nothing_to_delete(app: Flask, client: Any, login: Any) -> None:
    login.as_role("admin")
    page = client.post(
        "/admin/personal-data",
        data={"find-call_id": "", "find-phone": "8 903 000 00 00", "find-lookup": "1"},
    ).get_data(as_text=True)
    assert "erasure-nothing" in page
    assert 'name="erase-confirm"' not in page


def test_only_admins_delete(app: Flask, client: Any, login: Any) -> None:
    call, _review, path = _call_with_everything(app, datetime(2026, 5, 1))
    db.session.commit()
    login.as_role("qa_lead")
    response = client.post(
        "/admin/personal-data/delete",
        data={
            "erase-scope": "call",
            "erase-value": str(call.id),
            "erase-requested_by": "P",
            "erase-confirm": "1",
        },
    )
    assert response.status_code == 403
    assert path.exists()
    assert _count(TranscriptSegment) == 1


def test_a_deleted_recording_is_not_transcribed_again(app: Flask) -> None:
    from qa.services.calls.jobs import enqueue_transcription

    call, _review, _path = _call_with_everything(app, datetime(2026, 5, 1))
    erasure.erase(erasure.plan(call_id=call.id), requested_by="Пётр")
    with pytest.raises(ValidationFailed, match="nothing to transcribe"):
        enqueue_transcription(call, force=True)
