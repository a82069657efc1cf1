"""Corrections of objection flags: marked on the call page, decided by QA leads, exported as
training rows; the model version on findings; per-company thresholds and their preview."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from qa.extensions import db
from qa.models import Call, Finding, ObjectionCorrection
from qa.services.admin.settings import company_settings
from qa.services.calls.corrections import accepted_training_rows
from qa.services.calls.objection_models import active_model_dir
from qa.services.calls.objections import analyse_call
from qa.services.calls.threshold_preview import preview_thresholds
from scoring import BUILTIN_LABELS, find_objections
from scoring.objections_context import context_tags
from tests.web import factories

# Every customer turn follows its own neutral agent turn, which gives the detector no context
# (no topic, no question), so what each turn gets depends on its own words only.
AGENT = "Понятно, записываю."
PRICE = "Ой, это слишком дорого для меня."  # price by rule evidence
PRICED = "Сумма, конечно, ощутимая."  # price by the classifier alone
NARROW = "Маловато у вас моделей, если честно."  # assortment by the classifier alone
NEUTRAL = "Да, доставка в субботу подойдёт."  # no objection: where a missed one is marked
CUSTOMER_LINES = (PRICE, PRICED, NARROW, NEUTRAL)
# Positions of the customer lines in the call (each after its agent turn).
PRICE_AT, PRICED_AT, NARROW_AT, NEUTRAL_AT = 1, 3, 5, 7
LOWEST = {"price": 0.0, "assortment": 0.0}


def _call() -> Call:
    call = factories.make_call(language="ru", status="transcribed")
    for n, text in enumerate(CUSTOMER_LINES):
        start = n * 10.0
        factories.make_segment(call, speaker="agent", start=start, end=start + 2, text=AGENT)
        factories.make_segment(call, speaker="customer", start=start + 3, end=start + 8, text=text)
    analyse_call(call)
    db.session.commit()
    # Premises of the tests below, whatever the model's scores.
    assert context_tags(AGENT, "ru") == (), "the agent turn must give no context"
    by_text = {text: set() for text in CUSTOMER_LINES}
    for f in call.findings:
        by_text[f.segment.text].add((f.label, f.rule_id is not None))
    assert by_text[PRICE] == {("price", True)}, f"{PRICE!r} is a price rule hit only: {by_text}"
    assert by_text[NEUTRAL] == set(), f"{NEUTRAL!r} carries no flag: {by_text}"
    return call


def _classifier_scores(
    lines: tuple[str, ...], agent: str | None, model_dir: Path | None
) -> dict[tuple[str, str], float]:
    """Classifier-only findings of each customer line with every threshold at zero, by
    (line, label): the score each would need a threshold at or under to be flagged. With
    ``agent``, each line follows that agent turn (as in :func:`_call`); without, each line is
    judged alone (as the threshold preview does). ``model_dir`` as in find_objections."""
    rows = []
    for text in lines:
        if agent is not None:
            rows.append({"speaker": "agent", "start": 0.0, "end": 1.0, "text": agent})
        rows.append({"speaker": "customer", "start": 0.0, "end": 1.0, "text": text})
    found = find_objections(rows, lang="ru", thresholds=LOWEST, model_dir=model_dir)
    return {
        (rows[f.segment_index]["text"], f.label): f.score
        for f in found
        if f.rule_id is None and f.label in BUILTIN_LABELS
    }


def _rule_labels(call: Call) -> set[tuple[str, str]]:
    return {(f.segment.text, f.label) for f in call.findings if f.rule_id is not None}


def _flagged(
    rules: set[tuple[str, str]], scores: dict[tuple[str, str], float], thresholds: dict
) -> set[tuple[str, str]]:
    """(line, label) flagged under ``thresholds``: rule evidence always, the classifier where
    its score reaches the label's threshold."""
    return rules | {key for key, score in scores.items() if score >= thresholds[key[1]]}


def _finding(call: Call, label: str, position: int = PRICE_AT) -> Finding:
    return db.session.scalar(
        select(Finding).where(
            Finding.call_id == call.id,
            Finding.label == label,
            Finding.segment_id == call.segments[position].id,
        )
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


def _call_scores() -> dict[tuple[str, str], float]:
    """Classifier-only scores of the call's customer lines, as analyse_call judges them."""
    scores = _classifier_scores(CUSTOMER_LINES, AGENT, active_model_dir())
    for key in ((PRICED, "price"), (NARROW, "assortment")):
        assert key in scores, f"{key} must be a classifier-only finding: {scores}"
        assert 0.02 <= scores[key] <= 0.98, f"{key}: score {scores[key]} leaves no room"
    return scores


def test_company_thresholds_change_what_is_flagged(app) -> None:
    call = _call()
    scores = _call_scores()
    rules = _rule_labels(call)
    s_price, s_narrow = scores[(PRICED, "price")], scores[(NARROW, "assortment")]
    settings = company_settings()
    for price, assortment in (
        (s_price - 0.01, s_narrow + 0.01),
        (s_price + 0.01, s_narrow - 0.01),
        (s_price + 0.01, s_narrow + 0.01),
    ):
        settings.objection_threshold_price = price
        settings.objection_threshold_assortment = assortment
        analyse_call(call)
        db.session.commit()
        flagged = {(f.segment.text, f.label) for f in call.findings}
        # A threshold just under a classifier-only score keeps that flag, just over it drops
        # it; rule evidence (the PRICE line) is not subject to thresholds.
        assert ((PRICED, "price") in flagged) == (price <= s_price), (price, flagged)
        assert ((NARROW, "assortment") in flagged) == (assortment <= s_narrow), flagged
        assert (PRICE, "price") in flagged
        assert _rule_labels(call) == rules
        thresholds = {"price": price, "assortment": assortment}
        assert flagged == _flagged(rules, scores, thresholds)


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
    # The preview judges each customer line alone, with the shipped model.
    scores = _classifier_scores(CUSTOMER_LINES, None, None)
    rules = {(text, label) for text, label in _rule_labels(call)}
    for key in ((PRICED, "price"), (NARROW, "assortment")):
        assert key in scores, f"{key} must be a classifier-only finding alone: {scores}"
    s_price, s_narrow = scores[(PRICED, "price")], scores[(NARROW, "assortment")]
    # Now the borderline price line is not flagged and the assortment one is; the proposal
    # turns both round.
    current = {"price": s_price + 0.01, "assortment": s_narrow - 0.01}
    proposal = {"price": s_price - 0.01, "assortment": s_narrow + 0.01}
    settings = company_settings()
    settings.objection_threshold_price = current["price"]
    settings.objection_threshold_assortment = current["assortment"]
    reviewer = factories.make_user(role="reviewer")
    lead = factories.make_user(role="qa_lead")
    db.session.add_all(
        [
            ObjectionCorrection(
                call_id=call.id,
                segment_id=call.segments[PRICED_AT].id,
                kind="missed",
                label="price",
                start_char=0,
                end_char=len(PRICED),
                text=PRICED,
                segment_text=PRICED,
                lang="ru",
                status="accepted",
                created_by_id=reviewer.id,
                decided_by_id=lead.id,
            ),
            ObjectionCorrection(
                call_id=call.id,
                segment_id=call.segments[NARROW_AT].id,
                kind="wrong",
                label="assortment",
                start_char=0,
                end_char=len(NARROW),
                text=NARROW,
                segment_text=NARROW,
                lang="ru",
                status="accepted",
                created_by_id=reviewer.id,
            ),
        ]
    )
    db.session.commit()
    preview = preview_thresholds(proposal)
    assert (preview.calls, preview.segments) == (1, len(CUSTOMER_LINES))
    now, then = _flagged(rules, scores, current), _flagged(rules, scores, proposal)
    by_label = {c.label: c for c in preview.labels}
    for label in BUILTIN_LABELS:
        was = {text for text, lab in now if lab == label}
        will = {text for text, lab in then if lab == label}
        change = by_label[label]
        assert (change.now, change.proposed) == (len(was), len(will)), label
        assert (change.added, change.removed) == (len(will - was), len(was - will)), label
    assert (PRICED, "price") in then - now
    assert (NARROW, "assortment") in now - then
    assert (by_label["price"].added, by_label["assortment"].removed) >= (1, 1)
    assert (preview.flags_now, preview.flags_proposed) == (len(now), len(then))
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
    assert company_settings().objection_threshold_price == pytest.approx(current["price"])


# --- marking -----------------------------------------------------------------------------------


def test_reviewer_marks_a_flag_wrong_with_snapshots(client, login) -> None:
    call = _call()
    finding = _finding(call, "price")
    user = login.as_role("reviewer")
    response = client.post(f"/corrections/calls/{call.id}/findings/{finding.id}/wrong")
    assert response.status_code == 302
    assert f"#seg-{call.segments[PRICE_AT].id}" in response.headers["Location"]
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
    start = NEUTRAL.index("подойдёт")
    response = client.post(
        _missed_url(call, NEUTRAL_AT),
        data={"start": str(start - 1), "end": str(len(NEUTRAL)), "label": "price"},
    )
    assert response.status_code == 302
    [row] = _corrections()
    assert (row.kind, row.label, row.text) == ("missed", "price", "подойдёт.")
    assert (row.start_char, row.end_char) == (start, len(NEUTRAL))
    assert row.context == AGENT
    assert row.finding_id is None
    # Offsets whose words are no longer there (the line was corrected meanwhile) are refused.
    response = client.post(
        _missed_url(call, NEUTRAL_AT),
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
        ({"start": "3", "end": "4", "label": "price"}, "within the line"),  # a space only
        ({"words": "совсем другое", "label": "price"}, "not in the line"),
        ({"words": "су\x00мма", "label": "price"}, "control characters"),
        ({"words": "доставка", "label": "delivery"}, "price or assortment"),
        ({"words": "", "label": "price"}, "or type them"),
    ]
    for form, message in cases:
        response = client.post(_missed_url(call, NEUTRAL_AT), data=form, follow_redirects=True)
        assert message in response.get_data(as_text=True), (form, message)
    agent = client.post(
        _missed_url(call, 0), data={"words": "записываю", "label": "price"}, follow_redirects=True
    )
    assert "agent" in agent.get_data(as_text=True)
    flagged = client.post(
        _missed_url(call, PRICE_AT),
        data={"words": "дорого", "label": "price"},
        follow_redirects=True,
    )
    assert "already flagged" in flagged.get_data(as_text=True)
    # A segment of another call, a finding of another call: not found.
    url = f"/corrections/calls/{call.id}/segments/{other.segments[NEUTRAL_AT].id}/missed"
    assert client.post(url, data={"words": "доставка", "label": "price"}).status_code == 404
    wrong = f"/corrections/calls/{call.id}/findings/{_finding(other, 'price').id}/wrong"
    assert client.post(wrong).status_code == 404
    assert _corrections() == []


def test_marketing_may_not_mark(client, login) -> None:
    call = _call()
    login.as_role("marketing")
    assert (
        client.post(
            _missed_url(call, NEUTRAL_AT), data={"words": "доставка", "label": "price"}
        ).status_code
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
    client.post(_missed_url(call, NEUTRAL_AT), data={"words": "субботу", "label": "price"})
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
    assert "субботу" in page
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
    client.post(_missed_url(call, PRICE_AT), data={"words": "дорого", "label": "assortment"})
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
            "text": NEUTRAL,
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
