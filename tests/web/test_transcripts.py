"""Transcript corrections with history, role swap and assignment (with re-analysis), exports."""

from __future__ import annotations

import html
import json
from datetime import timedelta

import pytest
import srt
import webvtt
from sqlalchemy import select

from qa.extensions import db
from qa.models import Finding, SegmentEdit
from tests.web import factories


@pytest.fixture(autouse=True)
def english(client):  # type: ignore[no-untyped-def]
    """Assertions read the English UI whatever the catalogs hold."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _stereo_call():  # type: ignore[no-untyped-def]
    call = factories.make_call(
        status="transcribed",
        duration=12.0,
        channels=2,
        agent_channel="left",
        language="ru",
        original_filename="звонок.wav",
    )
    greet = factories.make_segment(
        call,
        speaker="agent",
        start=0.0,
        end=2.5,
        text="Здравствуйте, салон «Диваны», чем помочь?",
        channel=0,
    )
    price = factories.make_segment(
        call,
        speaker="customer",
        start=3.0,
        end=6.0,
        text="Ну это слишком дорого для меня.",
        channel=1,
    )
    answer = factories.make_segment(
        call, speaker="agent", start=6.5, end=9.0, text="Могу оформить доставку на завтра.",
        channel=0,
    )
    return call, greet, price, answer


def _labels(call) -> list[tuple[int | None, str]]:  # type: ignore[no-untyped-def]
    rows = db.session.scalars(select(Finding).where(Finding.call_id == call.id)).all()
    return sorted((f.segment_id, f.label) for f in rows)


def test_correction_keeps_machine_text_history_and_reanalyses(client, login) -> None:
    user = login.as_role("reviewer")
    call, _, price, answer = _stereo_call()
    db.session.commit()

    # The customer actually said something neutral: the price flag must go away.
    response = client.post(
        f"/calls/{call.id}/segments/{price.id}", data={"text": "Ну это   вполне подходит для меня."}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/calls/{call.id}?t=3.0#seg-{price.id}"
    db.session.expire_all()
    assert price.text == "Ну это вполне подходит для меня."
    assert price.machine_text == "Ну это слишком дорого для меня."
    assert _labels(call) == []

    # Correcting an agent line into a customer objection does not flag it (agent side)...
    client.post(f"/calls/{call.id}/segments/{answer.id}", data={"text": "Это слишком дорого."})
    assert _labels(call) == []
    # ...while restoring the machine text on the customer line flags it again.
    assert client.post(f"/calls/{call.id}/segments/{price.id}/revert").status_code == 302
    db.session.expire_all()
    assert price.text == price.machine_text
    assert _labels(call) == [(price.id, "price")]

    edits = db.session.scalars(
        select(SegmentEdit).where(SegmentEdit.segment_id == price.id).order_by(SegmentEdit.id)
    ).all()
    assert [(e.old_text, e.new_text, e.user_id) for e in edits] == [
        ("Ну это слишком дорого для меня.", "Ну это вполне подходит для меня.", user.id),
        ("Ну это вполне подходит для меня.", "Ну это слишком дорого для меня.", user.id),
    ]
    page = client.get(f"/calls/{call.id}/segments/{price.id}").get_data(as_text=True)
    assert page.count("<del") == 2
    assert "вполне подходит" in page
    assert 'id="machine-text">Ну это слишком дорого для меня.<' in page


def test_correction_validation(client, login) -> None:
    login.as_role("reviewer")
    call, greet, *_ = _stereo_call()
    other = factories.make_call()
    db.session.commit()
    empty = client.post(f"/calls/{call.id}/segments/{greet.id}", data={"text": "   "})
    assert empty.status_code == 400
    assert "This field is required." in empty.get_data(as_text=True)
    same = client.post(
        f"/calls/{call.id}/segments/{greet.id}", data={"text": greet.text}, follow_redirects=True
    )
    assert "The text is unchanged." in same.get_data(as_text=True)
    assert (
        client.post(f"/calls/{other.id}/segments/{greet.id}", data={"text": "x"}).status_code == 404
    )
    assert db.session.scalars(select(SegmentEdit)).all() == []


def test_marketing_reads_history_but_cannot_correct(client, login) -> None:
    login.as_role("marketing")
    call, greet, *_ = _stereo_call()
    db.session.commit()
    page = client.get(f"/calls/{call.id}/segments/{greet.id}")
    assert page.status_code == 200
    assert "Save correction" not in page.get_data(as_text=True)
    assert (
        client.post(f"/calls/{call.id}/segments/{greet.id}", data={"text": "x"}).status_code == 403
    )
    assert client.post(f"/calls/{call.id}/swap-roles").status_code == 403
    assert "Swap agent and customer" not in client.get(f"/calls/{call.id}").get_data(as_text=True)


def test_swap_roles_reanalyses_and_flips_channel(client, login) -> None:
    login.as_role("qa_lead")
    call, greet, price, answer = _stereo_call()
    db.session.commit()
    client.post(f"/calls/{call.id}/segments/{greet.id}", data={"text": "Здравствуйте, чем помочь?"})
    assert _labels(call) == [(price.id, "price")]

    response = client.post(f"/calls/{call.id}/swap-roles", follow_redirects=True)
    assert "Agent and customer swapped on 3 lines" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [s.speaker for s in call.segments] == ["customer", "agent", "customer"]
    assert call.agent_channel == "right"
    # The "too expensive" line is now the agent's: no customer objection is left.
    assert _labels(call) == []
    history = db.session.scalars(
        select(SegmentEdit).where(
            SegmentEdit.segment_id == price.id, SegmentEdit.new_speaker.is_not(None)
        )
    ).all()
    assert [(e.old_speaker, e.new_speaker) for e in history] == [("customer", "agent")]

    client.post(f"/calls/{call.id}/swap-roles")
    db.session.expire_all()
    assert [s.speaker for s in call.segments] == ["agent", "customer", "agent"]
    assert _labels(call) == [(price.id, "price")]


def test_assign_speakers_on_mono_call(client, login) -> None:
    login.as_role("reviewer")
    call = factories.make_call(
        status="transcribed", channels=1, agent_channel="none", language="ru", duration=10
    )
    lines = [
        factories.make_segment(
            call, speaker="unknown", start=0, end=2, text="Добрый день, магазин."
        ),
        factories.make_segment(call, speaker="unknown", start=2.5, end=4, text="Слишком дорого."),
        factories.make_segment(
            call, speaker="unknown", start=4.5, end=6, text="Дороговато выходит."
        ),
    ]
    db.session.commit()
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert 'id="speaker-form"' in page
    assert page.count('class="form-check-input line-select"') == 3

    response = client.post(
        f"/calls/{call.id}/speakers",
        data={"segment_ids": f"{lines[1].id},{lines[2].id}", "speaker": "customer"},
        follow_redirects=True,
    )
    assert "Speaker set on 2 lines" in response.get_data(as_text=True)
    client.post(
        f"/calls/{call.id}/speakers", data={"segment_ids": str(lines[0].id), "speaker": "agent"}
    )
    db.session.expire_all()
    assert [s.speaker for s in call.segments] == ["agent", "customer", "customer"]
    labels = _labels(call)
    assert (lines[1].id, "price") in labels
    assert all(not f.speaker_unknown for f in call.findings)

    bad = client.post(
        f"/calls/{call.id}/speakers",
        data={"segment_ids": "", "speaker": "agent"},
        follow_redirects=True,
    )
    assert "Select at least one line first." in bad.get_data(as_text=True)
    other = factories.make_call()
    foreign = factories.make_segment(other)
    db.session.commit()
    bad = client.post(
        f"/calls/{call.id}/speakers",
        data={"segment_ids": str(foreign.id), "speaker": "agent"},
        follow_redirects=True,
    )
    assert "do not belong to this call" in bad.get_data(as_text=True)


def test_exports_parse_back_with_speaker_labels(client, login) -> None:
    login.as_role("marketing")
    call, greet, price, answer = _stereo_call()
    price.text = "Ну это <слишком> дорого для меня."
    price.words = [{"start": 3.1, "end": 3.4, "text": " Ну", "probability": 0.8}]
    greet.words = [{"start": 0.1, "end": 0.9, "text": " Здравствуйте", "probability": 0.9}]
    db.session.commit()

    response = client.get(f"/calls/{call.id}/transcript.srt")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert (
        "UTF-8''%D0%B7%D0%B2%D0%BE%D0%BD%D0%BE%D0%BA.srt" in response.headers["Content-Disposition"]
    )
    cues = list(srt.parse(response.get_data(as_text=True)))
    assert [c.content for c in cues] == [
        "Оператор: Здравствуйте, салон «Диваны», чем помочь?",
        "Клиент: Ну это <слишком> дорого для меня.",
        "Оператор: Могу оформить доставку на завтра.",
    ]
    assert cues[1].start == timedelta(seconds=3)
    assert cues[1].end == timedelta(seconds=6)

    vtt_text = client.get(f"/calls/{call.id}/transcript.vtt").get_data(as_text=True)
    captions = webvtt.from_string(vtt_text).captions
    assert [c.voice for c in captions] == ["Оператор", "Клиент", "Оператор"]
    assert html.unescape(captions[1].text) == "Ну это <слишком> дорого для меня."
    assert captions[2].start == "00:00:06.500"

    data = json.loads(client.get(f"/calls/{call.id}/transcript.json").get_data(as_text=True))
    assert data["file"] == "звонок.wav"
    assert data["language"] == "ru"
    assert [s["speaker"] for s in data["segments"]] == ["agent", "customer", "agent"]
    assert data["segments"][0]["words"][0]["text"] == "Здравствуйте"
    # A corrected line no longer carries word timings of the machine text.
    assert data["segments"][1]["words"] == []

    txt = client.get(f"/calls/{call.id}/transcript.txt").get_data(as_text=True)
    assert txt.splitlines()[1] == "[00:00:03] Клиент: Ну это <слишком> дорого для меня."

    assert client.get(f"/calls/{call.id}/transcript.doc").status_code == 404
    empty = factories.make_call()
    db.session.commit()
    assert client.get(f"/calls/{empty.id}/transcript.srt").status_code == 404


def test_english_exports_use_english_labels(client, login) -> None:
    login.as_role("reviewer")
    call = factories.make_call(language="en", status="transcribed")
    factories.make_segment(call, speaker="customer", start=1, end=2, text="Too pricey.")
    factories.make_segment(call, speaker="unknown", start=2, end=3, text="Hm.")
    db.session.commit()
    cues = list(srt.parse(client.get(f"/calls/{call.id}/transcript.srt").get_data(as_text=True)))
    assert [c.content for c in cues] == ["Customer: Too pricey.", "Speaker: Hm."]
