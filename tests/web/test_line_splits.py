"""Splitting a transcript line at a word and merging lines: word times, history, undo, flags."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from qa.extensions import db
from qa.models import Finding, ObjectionCorrection, SegmentEdit, TranscriptSegment
from qa.services.calls.objections import analyse_call
from tests.web import factories

MIXED = "Добрый день, слушаю вас. Это слишком дорого для меня."
# Whisper-style word timings of MIXED: the agent's greeting, then the customer from 2.4 s.
WORDS = [
    {"start": s, "end": e, "word": " " + w, "probability": 0.9}
    for s, e, w in (
        (0.0, 0.4, "Добрый"),
        (0.4, 0.8, "день,"),
        (0.8, 1.3, "слушаю"),
        (1.3, 1.9, "вас."),
        (2.4, 2.6, "Это"),
        (2.6, 3.1, "слишком"),
        (3.1, 3.7, "дорого"),
        (3.7, 3.9, "для"),
        (3.9, 4.5, "меня."),
    )
]


@pytest.fixture(autouse=True)
def english(client):  # type: ignore[no-untyped-def]
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _mono_call(words: list[dict[str, object]] | None):  # type: ignore[no-untyped-def]
    call = factories.make_call(
        status="transcribed", duration=10.0, channels=1, agent_channel="none", language="ru"
    )
    mixed = factories.make_segment(
        call, speaker="unknown", start=0.0, end=4.5, text=MIXED, words=words or []
    )
    after = factories.make_segment(
        call, speaker="unknown", start=5.0, end=7.0, text="Могу предложить рассрочку."
    )
    analyse_call(call)
    return call, mixed, after


def _lines(call) -> list[tuple[str, float, float, str]]:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    rows = db.session.scalars(
        select(TranscriptSegment)
        .where(TranscriptSegment.call_id == call.id)
        .order_by(TranscriptSegment.position)
    )
    return [(s.text, round(s.start, 3), round(s.end, 3), s.speaker) for s in rows]


def _findings(call) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    rows = db.session.scalars(select(Finding).where(Finding.call_id == call.id))
    return sorted((f.label, f.segment.text) for f in rows)


def test_split_at_a_word_uses_its_start_time_and_undo_restores_the_line(client, login) -> None:
    user = login.as_role("reviewer")
    call, mixed, after = _mono_call(WORDS)
    db.session.commit()
    # The mixed line reads as the agent's (it opens with a greeting): its price words are missed.
    before = _findings(call)
    assert before == []

    response = client.post(f"/calls/{call.id}/segments/{mixed.id}/split", data={"word": "4"})
    assert response.status_code == 302
    assert "Line split at the word" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert _lines(call) == [
        ("Добрый день, слушаю вас.", 0.0, 2.4, "unknown"),
        ("Это слишком дорого для меня.", 2.4, 4.5, "unknown"),
        ("Могу предложить рассрочку.", 5.0, 7.0, "unknown"),
    ]
    first, second = call.segments[0], call.segments[1]
    # Each part keeps its own word timings, so exports still carry them.
    assert [w["word"].strip() for w in second.words] == ["Это", "слишком", "дорого", "для", "меня."]
    assert first.machine_text == first.text
    assert second.machine_text == second.text
    # The analysis ran on the new lines: the customer's part is flagged.
    assert _findings(call) == [("price", "Это слишком дорого для меня.")]

    edit = db.session.scalars(select(SegmentEdit).where(SegmentEdit.segment_id == first.id)).one()
    assert (edit.action, edit.old_text, edit.new_text, edit.user_id) == (
        "split",
        MIXED,
        "Добрый день, слушаю вас.",
        user.id,
    )
    assert edit.detail["estimated"] is False
    history = client.get(f"/calls/{call.id}/segments/{first.id}").get_data(as_text=True)
    assert "Line split" in history
    assert "Undo the split" in history
    # The new line's history says where it came from, but it is undone from the first part.
    assert "Line split" in client.get(f"/calls/{call.id}/segments/{second.id}").get_data(
        as_text=True
    )

    assert client.post(f"/calls/{call.id}/segments/{first.id}/undo/{edit.id}").status_code == 302
    assert _lines(call) == [
        (MIXED, 0.0, 4.5, "unknown"),
        ("Могу предложить рассрочку.", 5.0, 7.0, "unknown"),
    ]
    assert call.segments[0].words == WORDS
    assert _findings(call) == before
    # The undo is in the history too, as a merge, and can itself be undone.
    actions = db.session.scalars(
        select(SegmentEdit.action)
        .where(SegmentEdit.segment_id == first.id)
        .order_by(SegmentEdit.id)
    ).all()
    assert actions == ["split", "merge"]


def test_split_without_word_times_estimates_the_start_and_says_so(client, login) -> None:
    login.as_role("reviewer")
    call, mixed, _after = _mono_call(None)
    db.session.commit()
    response = client.post(
        f"/calls/{call.id}/segments/{mixed.id}/split", data={"word": "4"}, follow_redirects=True
    )
    assert "estimated" in response.get_data(as_text=True)
    cut = 4.5 * len("Добрый день, слушаю вас. ") / len(MIXED)
    lines = _lines(call)
    assert lines[0][2] == lines[1][1] == pytest.approx(cut, abs=0.001)
    edit = db.session.scalars(select(SegmentEdit).where(SegmentEdit.action == "split")).first()
    assert edit is not None
    assert edit.detail["estimated"] is True


def test_a_corrected_line_splits_by_proportion(client, login) -> None:
    login.as_role("reviewer")
    call, mixed, _after = _mono_call(WORDS)
    db.session.commit()
    # After a correction the word timings no longer match the text.
    client.post(f"/calls/{call.id}/segments/{mixed.id}", data={"text": "Алло. " + MIXED})
    client.post(f"/calls/{call.id}/segments/{mixed.id}/split", data={"word": "1"})
    lines = _lines(call)
    assert [line[0] for line in lines[:2]] == ["Алло.", MIXED]
    assert lines[1][1] == pytest.approx(4.5 * len("Алло. ") / len("Алло. " + MIXED), abs=0.001)


def test_merge_with_the_next_line_under_the_chosen_speaker_and_undo(client, login) -> None:
    login.as_role("reviewer")
    call = factories.make_call(
        status="transcribed", duration=10.0, channels=1, agent_channel="none", language="ru"
    )
    first = factories.make_segment(call, speaker="unknown", start=0.0, end=1.0, text="Это слишком")
    second = factories.make_segment(
        call, speaker="agent", start=1.2, end=2.0, text="дорого для меня."
    )
    third = factories.make_segment(call, speaker="agent", start=3.0, end=4.0, text="Понимаю.")
    analyse_call(call)
    db.session.commit()
    assert _findings(call) == []

    response = client.post(
        f"/calls/{call.id}/segments/{first.id}/merge", data={"speaker": "customer"}
    )
    assert response.status_code == 302
    assert _lines(call) == [
        ("Это слишком дорого для меня.", 0.0, 2.0, "customer"),
        ("Понимаю.", 3.0, 4.0, "agent"),
    ]
    assert db.session.get(TranscriptSegment, second.id) is None
    # Joined, the customer's objection is found.
    assert _findings(call) == [("price", "Это слишком дорого для меня.")]
    edit = db.session.scalars(select(SegmentEdit).where(SegmentEdit.action == "merge")).one()
    assert (edit.old_speaker, edit.new_speaker) == ("unknown", "customer")
    assert "Merged with the next line" in client.get(
        f"/calls/{call.id}/segments/{first.id}"
    ).get_data(as_text=True)

    client.post(f"/calls/{call.id}/segments/{first.id}/undo/{edit.id}")
    assert _lines(call) == [
        ("Это слишком", 0.0, 1.0, "unknown"),
        ("дорого для меня.", 1.2, 2.0, "agent"),
        ("Понимаю.", 3.0, 4.0, "agent"),
    ]
    assert _findings(call) == []
    # The last line has nothing to merge with.
    last = client.post(
        f"/calls/{call.id}/segments/{third.id}/merge",
        data={"speaker": "agent"},
        follow_redirects=True,
    )
    assert "This is the last line" in last.get_data(as_text=True)


def test_undo_is_refused_after_a_later_change(client, login) -> None:
    login.as_role("reviewer")
    call, mixed, _after = _mono_call(WORDS)
    db.session.commit()
    client.post(f"/calls/{call.id}/segments/{mixed.id}/split", data={"word": "4"})
    split = db.session.scalars(select(SegmentEdit).where(SegmentEdit.action == "split")).first()
    assert split is not None
    second = _lines(call)[1]
    part = call.segments[1]
    client.post(f"/calls/{call.id}/segments/{part.id}", data={"text": second[0] + " Правда."})
    response = client.post(
        f"/calls/{call.id}/segments/{mixed.id}/undo/{split.id}", follow_redirects=True
    )
    assert "The line changed after this" in response.get_data(as_text=True)
    assert len(_lines(call)) == 3


def test_merge_keeps_lines_with_flag_corrections(client, login) -> None:
    user = login.as_role("reviewer")
    call, mixed, after = _mono_call(None)
    db.session.add(
        ObjectionCorrection(
            call_id=call.id,
            segment_id=after.id,
            kind="missed",
            label="price",
            start_char=0,
            end_char=4,
            text="Могу",
            segment_text=after.text,
            lang="ru",
            created_by_id=user.id,
        )
    )
    db.session.commit()
    response = client.post(
        f"/calls/{call.id}/segments/{mixed.id}/merge",
        data={"speaker": "agent"},
        follow_redirects=True,
    )
    assert "The next line has flag corrections" in response.get_data(as_text=True)
    assert len(_lines(call)) == 2


def test_split_and_merge_refuse_bad_input_and_other_calls(client, login) -> None:
    login.as_role("reviewer")
    call, mixed, _after = _mono_call(WORDS)
    other = factories.make_call()
    db.session.commit()
    url = f"/calls/{call.id}/segments/{mixed.id}"
    for word in ("0", "9", "-1", "99999999999", "nan", "NaN", "1.5", "", "x\x00"):
        response = client.post(f"{url}/split", data={"word": word}, follow_redirects=True)
        assert response.status_code in (200, 400), word
    for speaker in ("boss", "", "agent\x00"):
        client.post(f"{url}/merge", data={"speaker": speaker})
    assert (
        client.post(f"/calls/{other.id}/segments/{mixed.id}/split", data={"word": "2"}).status_code
        == 404
    )
    assert (
        client.post(
            f"/calls/{other.id}/segments/{mixed.id}/merge", data={"speaker": "agent"}
        ).status_code
        == 404
    )
    missing = client.post(f"{url}/undo/999999", follow_redirects=True)
    assert "There is no split or merge to undo here." in missing.get_data(as_text=True)
    assert len(_lines(call)) == 2
    assert db.session.scalars(select(SegmentEdit)).all() == []


def test_marketing_cannot_split_or_merge(client, login) -> None:
    login.as_role("marketing")
    call, mixed, _after = _mono_call(WORDS)
    db.session.commit()
    assert (
        client.post(f"/calls/{call.id}/segments/{mixed.id}/split", data={"word": "4"}).status_code
        == 403
    )
    assert (
        client.post(
            f"/calls/{call.id}/segments/{mixed.id}/merge", data={"speaker": "agent"}
        ).status_code
        == 403
    )
    assert "Split or merge" not in client.get(f"/calls/{call.id}").get_data(as_text=True)


def test_call_page_offers_each_word_with_its_time(client, login) -> None:
    login.as_role("reviewer")
    call, mixed, after = _mono_call(WORDS)
    db.session.commit()
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert f'action="/calls/{call.id}/segments/{mixed.id}/split"' in page
    assert '<option value="4">Это · 0:02</option>' in page
    assert '<option value="0">' not in page  # never before the first word
    # The second line has no word timings: the page says its cut will be estimated.
    second = page.split(f'id="seg-{after.id}"', 1)[1]
    assert "No word timings: the start time will be estimated." in second
    # Only a line with a next one can be merged.
    assert f'action="/calls/{call.id}/segments/{mixed.id}/merge"' in page
    assert f'action="/calls/{call.id}/segments/{after.id}/merge"' not in page
    assert 'src="/static/js/line_splits.js?v=' in page
