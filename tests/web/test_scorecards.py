"""Scorecard templates: building them in the UI, validation, versioning."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import select

from qa.extensions import db
from qa.models import Review, ScorecardTemplate
from tests.web import factories

NEW_DEFINITION = {
    "sections": [
        {
            "title": "Приветствие",
            "items": [
                {"key": "", "text": "Представился", "type": "yes_no", "weight": 1},
                {"text": "Выявил потребность", "type": "scale", "max": 5, "weight": 2,
                 "critical": True, "guidance": "Открытые вопросы"},
            ],
        }
    ]
}


def _post_new(client, definition, name="Входящие звонки"):  # type: ignore[no-untyped-def]
    return client.post(
        "/scorecards/new",
        data={"name": name, "description": "", "active": "y", "definition": json.dumps(definition)},
    )


def test_lead_builds_a_scorecard(client, login) -> None:
    login.as_role("qa_lead")
    page = client.get("/scorecards/new")
    assert page.status_code == 200
    assert 'id="scorecard-editor"' in page.get_data(as_text=True)

    response = _post_new(client, NEW_DEFINITION)
    assert response.status_code == 302
    template = db.session.scalar(select(ScorecardTemplate))
    assert template is not None
    assert template.name == "Входящие звонки"
    assert response.headers["Location"] == f"/scorecards/{template.id}"
    [version] = template.versions
    items = version.definition["sections"][0]["items"]
    # blank keys are filled with unique ones; the rest is stored as validated
    assert [i["key"] for i in items] == ["item_1", "item_2"]
    assert items[1] == {
        "key": "item_2", "text": "Выявил потребность", "type": "scale", "max": 5, "weight": 2.0,
        "critical": True, "guidance": "Открытые вопросы",
    }
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Выявил потребность" in detail
    assert "Открытые вопросы" in detail


def test_invalid_definitions_are_explained(client, login) -> None:
    login.as_role("admin")
    bad_weight = copy.deepcopy(NEW_DEFINITION)
    bad_weight["sections"][0]["items"][0]["weight"] = -2
    cases = [
        ("{not json", "not valid JSON"),
        (json.dumps({"sections": []}), "at least one section"),
        (json.dumps(bad_weight), "weight cannot be negative"),
        (json.dumps({"sections": [{"title": "", "items": []}]}), "the title is required"),
    ]
    for raw, message in cases:
        response = client.post(
            "/scorecards/new", data={"name": "X", "active": "y", "definition": raw}
        )
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    missing_name = client.post(
        "/scorecards/new", data={"name": "", "definition": json.dumps(NEW_DEFINITION)}
    )
    assert missing_name.status_code == 400
    assert db.session.scalars(select(ScorecardTemplate)).all() == []


def test_reviewers_and_marketing_cannot_edit_scorecards(client, login) -> None:
    template = factories.make_scorecard()
    db.session.commit()
    for role in ("reviewer", "marketing"):
        login.as_role(role)
        assert client.get("/scorecards/").status_code == 403
        assert client.post(f"/scorecards/{template.id}/edit", data={}).status_code == 403
        login.logout()


def _edit(client, template, definition, name=None, active=True):  # type: ignore[no-untyped-def]
    data = {"name": name or template.name, "definition": json.dumps(definition)}
    if active:
        data["active"] = "y"
    return client.post(f"/scorecards/{template.id}/edit", data=data)


def test_editing_a_used_scorecard_creates_a_version_and_old_reviews_keep_theirs(
    client, login
) -> None:
    lead = login.as_role("qa_lead")
    template = factories.make_scorecard()
    v1 = template.current
    call = factories.make_call(status="transcribed")
    review = Review(call=call, scorecard_version=v1, reviewer_id=lead.id, score=50.0, answers={})
    db.session.add(review)
    db.session.commit()
    assert "Reviews already use the current version" in client.get(
        f"/scorecards/{template.id}/edit"
    ).get_data(as_text=True)

    changed = copy.deepcopy(factories.SCORECARD)
    changed["sections"][0]["items"][0]["weight"] = 5
    response = _edit(client, template, changed)
    assert response.status_code == 302
    db.session.refresh(template)
    assert [v.number for v in template.versions] == [1, 2]
    assert template.current.definition["sections"][0]["items"][0]["weight"] == 5.0
    db.session.refresh(review)
    assert review.scorecard_version_id == v1.id
    assert v1.definition["sections"][0]["items"][0]["weight"] == 1
    page = client.get(f"/scorecards/{template.id}").get_data(as_text=True)
    assert "1 review<" in page
    assert "0 reviews" in page
    old = client.get(f"/scorecards/{template.id}?version=1")
    assert "older version" in old.get_data(as_text=True)
    assert client.get(f"/scorecards/{template.id}?version=7").status_code == 404


def test_unused_latest_version_is_updated_in_place(client, login) -> None:
    login.as_role("qa_lead")
    template = factories.make_scorecard()
    db.session.commit()
    changed = copy.deepcopy(factories.SCORECARD)
    changed["sections"][0]["title"] = "Начало"
    assert _edit(client, template, changed, name="Renamed").status_code == 302
    db.session.refresh(template)
    assert [v.number for v in template.versions] == [1]
    assert template.current.definition["sections"][0]["title"] == "Начало"
    assert template.name == "Renamed"


def test_unchanged_definition_keeps_the_version_and_deactivation_hides_it(
    client, login
) -> None:
    lead = login.as_role("admin")
    template = factories.make_scorecard()
    call = factories.make_call(status="transcribed")
    db.session.add(Review(call=call, scorecard_version=template.current, reviewer_id=lead.id))
    db.session.commit()
    response = _edit(client, template, factories.SCORECARD, active=False)
    assert response.status_code == 302
    follow = client.get(response.headers["Location"])
    db.session.refresh(template)
    assert [v.number for v in template.versions] == [1]
    assert template.active is False
    assert "inactive" in follow.get_data(as_text=True)
    # an inactive scorecard is not offered for new reviews
    other_call = factories.make_call(status="transcribed")
    db.session.commit()
    page = client.get(f"/reviews/call/{other_call.id}").get_data(as_text=True)
    assert "There is no active scorecard yet." in page


def test_edit_with_invalid_definition_keeps_the_stored_one(client, login) -> None:
    login.as_role("qa_lead")
    template = factories.make_scorecard()
    db.session.commit()
    broken = copy.deepcopy(factories.SCORECARD)
    broken["sections"][0]["items"][1]["max"] = 0
    response = _edit(client, template, broken)
    assert response.status_code == 400
    assert "max must be between 1 and 100" in response.get_data(as_text=True)
    db.session.refresh(template)
    assert template.current.definition == factories.SCORECARD


def _with_weight(weight: object) -> str:
    text = json.dumps(NEW_DEFINITION, ensure_ascii=False)
    return text.replace('"weight": 2', f'"weight": {weight}')


@pytest.mark.parametrize(
    ("name", "definition", "message"),
    [
        ("X", '{"sections": ' + "[" * 5000 + "]" * 5000 + "}",
         "Scorecard: nested more than 8 levels deep."),
        ("X", "[" * 100_000, "Scorecard: nested more than 8 levels deep."),
        ("X", _with_weight("1e308"), "weight must be between 0 and 1000"),
        ("X", _with_weight("NaN"), "weight must be a number"),
        ("X", _with_weight("Infinity"), "weight must be a number"),
        ("X", _with_weight("-Infinity"), "weight must be a number"),
        ("X", json.dumps(NEW_DEFINITION, ensure_ascii=False).replace("Открытые", "От\\u0000"),
         "the guidance contains control characters"),
        ("Входящие\x00", json.dumps(NEW_DEFINITION), "Name: contains control characters."),
        ("Входящие\nзвонки", json.dumps(NEW_DEFINITION), "Name: must be a single line."),
        ("Я" * 201, json.dumps(NEW_DEFINITION), "Field cannot be longer than 200 characters."),
    ],
)
def test_hostile_scorecards_are_refused(client, login, name, definition, message) -> None:
    login.as_role("qa_lead")
    response = client.post(
        "/scorecards/new", data={"name": name, "active": "y", "definition": definition}
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalars(select(ScorecardTemplate)).all() == []


def test_hostile_edit_keeps_the_stored_version(client, login) -> None:
    login.as_role("qa_lead")
    template = factories.make_scorecard()
    db.session.commit()
    stored = copy.deepcopy(template.current.definition)
    for data, message in [
        ({"definition": "[" * 5000}, "nested more than 8 levels deep"),
        ({"definition": json.dumps(factories.SCORECARD).replace('"weight": 2', '"weight": 1e308')},
         "weight must be between 0 and 1000"),
        ({"description": "описание\x00"}, "Description: contains control characters."),
    ]:
        form = {"name": template.name, "active": "y",
                "definition": json.dumps(factories.SCORECARD), **data}
        response = client.post(f"/scorecards/{template.id}/edit", data=form)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert [v.number for v in template.versions] == [1]
    assert template.current.definition == stored
    assert template.description is None


@pytest.mark.parametrize("role", ["reviewer", "marketing"])
def test_only_leads_create_scorecards(client, login, role) -> None:
    login.as_role(role)
    response = _post_new(client, NEW_DEFINITION)
    assert response.status_code == 403
    assert "Your role does not give access to this page." in response.get_data(as_text=True)
    assert db.session.scalars(select(ScorecardTemplate)).all() == []


def test_a_stored_scorecard_with_huge_weights_still_scores(client, login) -> None:
    # Saved before weights were limited; its reviews must still open and score sensibly.
    definition = copy.deepcopy(factories.SCORECARD)
    for item in definition["sections"][0]["items"]:
        item["weight"] = 1e308
    template = factories.make_scorecard(definition)
    call = factories.make_call(status="transcribed")
    db.session.commit()
    login.as_role("reviewer")
    response = client.post(
        f"/reviews/call/{call.id}",
        data={"scorecard_version_id": str(template.current.id), "answer-greet": "yes",
              "answer-needs": "0", "answer-price": "yes"},
    )
    assert response.status_code == 302
    review = db.session.scalar(select(Review))
    # greet 1e308 of (1e308 + 1e308 + 3): 50 %
    assert review.score == pytest.approx(50.0)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "50%" in page
    assert "nan" not in page.lower()
