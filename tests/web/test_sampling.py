"""Sampling rules, assignment to reviewers, "my queue" and the periodic task."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from qa.extensions import db
from qa.models import Review, ReviewAssignment, SamplingRule
from qa.models._base import utcnow
from qa.services.quality import sampling
from qa.tasks import run_sampling_rules
from tests.web import factories

NOW = datetime(2026, 3, 11, 15, 0)  # a Wednesday; its ISO week starts on Monday 9 March


def test_period_bounds() -> None:
    assert sampling.period_bounds("week", NOW) == (datetime(2026, 3, 9), datetime(2026, 3, 16))
    assert sampling.period_bounds("day", NOW) == (datetime(2026, 3, 11), datetime(2026, 3, 12))
    assert sampling.period_bounds("month", NOW) == (datetime(2026, 3, 1), datetime(2026, 4, 1))
    assert sampling.period_bounds("month", datetime(2026, 12, 31, 23)) == (
        datetime(2026, 12, 1), datetime(2027, 1, 1)
    )


def test_lead_creates_and_edits_rules_with_validation(client, login) -> None:
    login.as_role("qa_lead")
    template = factories.make_scorecard(name="Продажи")
    db.session.commit()
    assert client.get("/reviews/sampling").status_code == 200
    response = client.post(
        "/reviews/sampling",
        data={"name": "Два в неделю", "kind": "random_per_agent", "count": "2", "period": "week",
              "template": str(template.id), "reviewer": "", "active": "y"},
    )
    assert response.status_code == 302
    rule = db.session.scalar(select(SamplingRule))
    assert (rule.kind, rule.count, rule.period, rule.template_id, rule.reviewer_id) == (
        "random_per_agent", 2, "week", template.id, None
    )
    page = client.get("/reviews/sampling").get_data(as_text=True)
    assert "2 random calls per agent per week" in page
    assert "round-robin" in page

    no_label = client.post(
        "/reviews/sampling",
        data={"name": "Цена", "kind": "flag", "period": "week", "flag_label": "", "active": "y"},
    )
    assert no_label.status_code == 400
    assert "Choose the flag label" in no_label.get_data(as_text=True)
    assert db.session.scalars(select(SamplingRule)).all() == [rule]

    edit = client.post(
        f"/reviews/sampling/{rule.id}",
        data={"name": "Цена", "kind": "flag", "period": "week", "flag_label": "price"},
    )
    assert edit.status_code == 302
    db.session.refresh(rule)
    assert (rule.name, rule.kind, rule.flag_label, rule.active) == ("Цена", "flag", "price", False)


def test_reviewers_cannot_manage_rules(client, login) -> None:
    rule = SamplingRule(name="r", kind="flag", flag_label="price")
    db.session.add(rule)
    db.session.commit()
    login.as_role("reviewer")
    assert client.get("/reviews/sampling").status_code == 403
    assert client.post(f"/reviews/sampling/{rule.id}/run").status_code == 403


def _call(agent, when, status="transcribed", **overrides):  # type: ignore[no-untyped-def]
    return factories.make_call(agent=agent, called_at=when, status=status, **overrides)


def test_random_per_agent_fills_quotas_round_robin_and_is_idempotent(app) -> None:
    ann, bob = factories.make_user(name="Ann"), factories.make_user(name="Bob")
    factories.make_user(name="Lead", role="qa_lead")
    factories.make_user(name="Gone", is_active_user=False)
    agent_a, agent_b = factories.make_agent(), factories.make_agent()
    this_week = [_call(agent_a, NOW - timedelta(days=d)) for d in (0, 1, 2)]
    b_call = _call(agent_b, NOW - timedelta(days=1))
    _call(agent_a, NOW - timedelta(days=1), status="uploaded")  # not transcribed
    _call(agent_a, NOW - timedelta(days=3))  # previous week (Sunday 8 March)
    reviewed = _call(agent_b, NOW)
    template = factories.make_scorecard()
    db.session.add(Review(call=reviewed, scorecard_version=template.current, reviewer_id=ann.id))
    rule = sampling.save_rule(
        None, name="2/week", kind="random_per_agent", count=2, period="week", flag_label=None,
        template_id=None, reviewer_id=None, active=True, user=None,
    )
    created = sampling.run_rule(rule, NOW, random.Random(1))  # noqa: S311
    by_agent = Counter(a.call.agent_id for a in created)
    assert by_agent == {agent_a.id: 2, agent_b.id: 1}
    assert {a.call_id for a in created} <= {c.id for c in [*this_week, b_call]}
    # round-robin among the two active reviewers only
    assert sorted(Counter(a.reviewer_id for a in created).values()) == [1, 2]
    assert {a.reviewer_id for a in created} == {ann.id, bob.id}
    # a rerun adds nothing; a new call for agent A does not either (quota met)
    _call(agent_a, NOW)
    assert sampling.run_rule(rule, NOW, random.Random(2)) == []  # noqa: S311
    # quotas reset next week
    next_week = _call(agent_a, NOW + timedelta(days=7))
    again = sampling.run_rule(rule, NOW + timedelta(days=7), random.Random(3))  # noqa: S311
    assert [a.call_id for a in again] == [next_week.id]
    assert rule.last_run_at == NOW + timedelta(days=7)


def test_flag_rule_takes_every_flagged_call_of_the_last_period(app) -> None:
    reviewer = factories.make_user()
    chosen = factories.make_user(name="Chosen")
    agent = factories.make_agent()
    priced = [_call(agent, NOW - timedelta(days=d)) for d in (0, 6)]
    for call in priced:
        factories.make_finding(call, label="price")
    old = _call(agent, NOW - timedelta(days=9))
    factories.make_finding(old, label="price")
    other = _call(None, NOW)
    factories.make_finding(other, label="assortment")
    rule = sampling.save_rule(
        None, name="Цена", kind="flag", count=None, period="week", flag_label="price",
        template_id=None, reviewer_id=chosen.id, active=True, user=reviewer,
    )
    created = sampling.run_rule(rule, NOW)
    assert sorted(a.call_id for a in created) == sorted(c.id for c in priced)
    assert {a.reviewer_id for a in created} == {chosen.id}


def test_run_from_the_page_and_without_reviewers(client, login) -> None:
    login.as_role("qa_lead")
    agent = factories.make_agent()
    call = _call(agent, utcnow())
    factories.make_finding(call, label="price")
    rule = SamplingRule(name="Цена", kind="flag", flag_label="price", period="week")
    db.session.add(rule)
    db.session.commit()
    response = client.post(f"/reviews/sampling/{rule.id}/run")
    assert response.status_code == 302
    message = client.get("/reviews/sampling").get_data(as_text=True)
    assert "There is no active reviewer to assign calls to." in message
    assert db.session.scalars(select(ReviewAssignment)).all() == []

    reviewer = factories.make_user()
    db.session.commit()
    client.post("/reviews/sampling/run")
    assert "1 call assigned." in client.get("/reviews/sampling").get_data(as_text=True)
    [assignment] = db.session.scalars(select(ReviewAssignment)).all()
    assert (assignment.call_id, assignment.reviewer_id, assignment.rule_id) == (
        call.id, reviewer.id, rule.id
    )


def test_periodic_task_runs_active_rules(app) -> None:
    reviewer = factories.make_user()
    agent = factories.make_agent()
    call = _call(agent, utcnow())
    factories.make_finding(call, label="price")
    db.session.add(SamplingRule(name="Цена", kind="flag", flag_label="price", period="week"))
    db.session.add(
        SamplingRule(name="off", kind="random_per_agent", count=5, period="week", active=False)
    )
    db.session.commit()
    run_sampling_rules()
    db.session.expire_all()
    [assignment] = db.session.scalars(select(ReviewAssignment)).all()
    assert (assignment.call_id, assignment.reviewer_id) == (call.id, reviewer.id)


def test_my_queue_links_to_scoring_and_empties_when_reviewed(client, login) -> None:
    me = login.as_role("reviewer")
    someone = factories.make_user()
    template = factories.make_scorecard(name="Особая карта")
    factories.make_scorecard(name="Обычная карта")
    agent = factories.make_agent(name="Пётр")
    mine = _call(agent, utcnow(), title="Мой звонок")
    theirs = _call(agent, utcnow(), title="Чужой звонок")
    rule = SamplingRule(name="Каждую неделю", kind="random_per_agent", count=1,
                        template_id=template.id)
    db.session.add(rule)
    db.session.flush()
    db.session.add_all([
        ReviewAssignment(call=mine, reviewer_id=me.id, rule_id=rule.id,
                         template_id=template.id),
        ReviewAssignment(call=theirs, reviewer_id=someone.id),
    ])
    db.session.commit()
    queue = client.get("/reviews/queue").get_data(as_text=True)
    assert "Мой звонок" in queue
    assert "Чужой звонок" not in queue
    assert f'href="/reviews/call/{mine.id}"' in queue
    assert "Каждую неделю" in queue

    # the assignment's scorecard is the one offered
    score_page = client.get(f"/reviews/call/{mine.id}").get_data(as_text=True)
    assert "Особая карта" in score_page
    client.post(
        f"/reviews/call/{mine.id}",
        data={"scorecard_version_id": str(template.current.id), "answer-greet": "yes",
              "answer-needs": "4", "answer-price": "yes"},
    )
    assignment = db.session.scalar(
        select(ReviewAssignment).where(ReviewAssignment.reviewer_id == me.id)
    )
    assert assignment.status == "done"
    assert assignment.review_id is not None
    queue = client.get("/reviews/queue").get_data(as_text=True)
    assert "Nothing in your queue." in queue
    assert "Recently done" in queue
    assert "100%" in queue


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "random_per_agent", "count": 0}, "between 1 and 100"),
        ({"kind": "lottery"}, "Unknown rule kind"),
        ({"period": "year"}, "Unknown period"),
        ({"name": " "}, "needs a name"),
        ({"reviewer_id": 999}, "Choose an active reviewer"),
        ({"template_id": 999}, "That scorecard does not exist"),
    ],
)
def test_rule_validation(app, fields, message) -> None:  # type: ignore[no-untyped-def]
    values = {"name": "r", "kind": "random_per_agent", "count": 2, "period": "week",
              "flag_label": None, "template_id": None, "reviewer_id": None, "active": True,
              "user": None}
    values.update(fields)
    with pytest.raises(sampling.ValidationFailed, match=message):
        sampling.save_rule(None, **values)
