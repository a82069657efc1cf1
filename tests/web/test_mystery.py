"""Mystery shopping: locations and their import, scenarios, waves, the assignment life cycle and
what shoppers and location managers may see."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from qa.extensions import db
from qa.models import AssignmentEvent, Location, ReviewSubject, Scenario, ShopAssignment, Wave
from qa.services.errors import Conflict, NotAllowed, NotFound
from qa.services.mystery.assignments import get_for, move
from qa.services.quality.subjects import describe, subject_for_shop
from tests.web import factories
from tests.web.import_files import random_bytes, xlsx


def _upload(client, content: bytes, name: str = "locations.csv"):  # type: ignore[no-untyped-def]
    return client.post("/locations/import", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def _location_form(**overrides: str) -> dict[str, str]:
    return {"name": "Тверская", "address": "Тверская, 1", "latitude": "55.7601",
            "longitude": "37.6186", "phone": "8 (495) 123-45-67", "manager_id": "",
            "active": "y", **overrides}


# --- locations ----------------------------------------------------------------------------------


def test_location_form_normalises_phone_and_checks_manager(client, login) -> None:
    login.as_role("qa_lead")
    manager = factories.make_user(role="location_manager", name="Мария")
    reviewer = factories.make_user(role="reviewer")
    db.session.commit()
    response = client.post("/locations/new", data=_location_form(manager_id=str(manager.id)))
    assert response.status_code == 302
    location = db.session.scalar(select(Location))
    assert (location.phone, location.manager_id, location.latitude) == (
        "+74951234567", manager.id, pytest.approx(55.7601))
    page = client.post(f"/locations/{location.id}/edit",
                       data=_location_form(manager_id=str(reviewer.id)))
    assert page.status_code == 400
    assert "location manager role" in page.get_data(as_text=True)
    db.session.refresh(location)
    assert location.manager_id == manager.id


@pytest.mark.parametrize(("field", "value", "message"), [
    ("latitude", "91", "between -90 and 90"),
    ("longitude", "-180.5", "between -180 and 180"),
    ("latitude", "NaN", "Latitude"),
    ("phone", "12", "Not a valid phone number"),
])
def test_location_refuses_bad_coordinates_and_phones(client, login, field, value, message) -> None:
    login.as_role("admin")
    page = client.post("/locations/new", data=_location_form(**{field: value}))
    assert page.status_code == 400
    assert message in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Location.id))) == 0


def test_import_reports_bad_lines_and_keeps_the_rest(client, login) -> None:
    login.as_role("qa_lead")
    manager = factories.make_user(role="location_manager", email="boss@example.com")
    factories.make_location(name="Арбат", address="old")
    db.session.commit()
    csv_text = (
        "name;address;lat;lon;phone;manager_email\n"
        "Арбат;Арбат, 10;55.75;37.59;+7 495 000-00-01;BOSS@example.com\n"
        "Луна;Нигде;95;10;;\n"
        "Садовая;Садовая, 5;;;;nobody@example.com\n"
        "Ленина;Ленина, 3;56.1;40.4;;\n"
    )
    page = _upload(client, csv_text.encode("cp1251")).get_data(as_text=True)
    assert "1 created, 1 updated" in page
    assert "Line 3" in page
    assert "between -90 and 90" in page
    assert "Line 4" in page
    assert "nobody@example.com" in page
    arbat = db.session.scalar(select(Location).where(Location.name == "Арбат"))
    assert (arbat.address, arbat.manager_id, arbat.phone) == (
        "Арбат, 10", manager.id, "+74950000001")
    names = set(db.session.scalars(select(Location.name)))
    assert names == {"Арбат", "Ленина"}


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"address;lat\nSomewhere;1\n", "l.csv", "needs a name column"),
    (random_bytes(), "l.xlsx", "XLSX"),
    (b"name\n\x00\x00\x00\n", "l.csv", ""),
])
def test_malformed_files_never_lose_stored_rows(client, login, content, name, message) -> None:
    login.as_role("admin")
    factories.make_location(name="Арбат", address="Арбат, 10")
    db.session.commit()
    page = _upload(client, content, name)
    assert page.status_code == 200
    assert message in page.get_data(as_text=True)
    rows = list(db.session.execute(select(Location.name, Location.address)))
    assert rows == [("Арбат", "Арбат, 10")]


def test_xlsx_import(client, login) -> None:
    login.as_role("admin")
    data = xlsx([["name", "address", "lat", "lon"], ["Невский", "Невский, 1", 59.93, 30.33]])
    page = _upload(client, data, "locations.xlsx").get_data(as_text=True)
    assert "1 created" in page
    assert db.session.scalar(select(Location.latitude)) == pytest.approx(59.93)


# --- scenarios ----------------------------------------------------------------------------------


def _scenario_form(**overrides: str) -> dict[str, str]:
    return {"name": "Диван для дачи", "legend": "Вы ищете недорогой диван.", "channel": "visit",
            "objection_lines": "price: Дороговато\nassortment: А другого цвета нет?",
            "template_id": "", "needs_photos": "y", "min_narrative_chars": "300",
            "lockout_days": "", "report_deadline_days": "3", **overrides}


def test_scenario_saves_objections_and_defaults(client, login) -> None:
    login.as_role("qa_lead")
    template = factories.make_scorecard()
    db.session.commit()
    response = client.post("/mystery/scenarios/new",
                           data=_scenario_form(template_id=str(template.id)))
    assert response.status_code == 302
    scenario = db.session.scalar(select(Scenario))
    assert scenario.objections == [{"label": "price", "wording": "Дороговато"},
                                   {"label": "assortment", "wording": "А другого цвета нет?"}]
    assert (scenario.lockout_days, scenario.report_deadline_days, scenario.needs_photos,
            scenario.needs_receipt, scenario.template_id) == (30, 3, True, False, template.id)
    page = client.get(f"/mystery/scenarios/{scenario.id}/edit").get_data(as_text=True)
    assert "price: Дороговато" in page


def test_scenario_refuses_unknown_objection_and_channel(client, login) -> None:
    login.as_role("qa_lead")
    page = client.post("/mystery/scenarios/new", data=_scenario_form(objection_lines="vibes: x"))
    assert "Unknown objection label" in page.get_data(as_text=True)
    page = client.post("/mystery/scenarios/new", data=_scenario_form(channel="telepathy"))
    assert page.status_code == 400
    assert db.session.scalar(select(func.count(Scenario.id))) == 0


# --- waves --------------------------------------------------------------------------------------


def _wave_form(scenario, stores, people=(), chosen=None, **overrides):  # type: ignore[no-untyped-def]
    data = {"name": "Март", "scenario_id": str(scenario.id), "starts_on": "2026-03-02",
            "ends_on": "2026-03-08", "locations": [str(loc.id) for loc in stores],
            "shoppers": [str(s.id) for s in people]}
    for location, shopper in (chosen or {}).items():
        data[f"shopper-{location.id}"] = str(shopper.id)
    data.update(overrides)
    return data


def test_wave_takes_shoppers_in_turn_and_logs_the_schedule(client, login) -> None:
    lead = login.as_role("qa_lead")
    scenario = factories.make_scenario()
    stores = [factories.make_location() for _ in range(3)]
    ann, bob = (factories.make_user(role="shopper", name=n) for n in ("Ann", "Bob"))
    db.session.commit()
    response = client.post("/mystery/waves/new", data=_wave_form(scenario, stores, [ann, bob]))
    assert response.status_code == 302, response.get_data(as_text=True)
    wave = db.session.scalar(select(Wave))
    assert [a.shopper.name for a in wave.assignments] == ["Ann", "Bob", "Ann"]
    assert all(a.state == "scheduled" for a in wave.assignments)
    events = list(db.session.scalars(select(AssignmentEvent)))
    assert [(e.from_state, e.to_state, e.user_id) for e in events] == [
        (None, "scheduled", lead.id)] * 3
    page = client.get(f"/mystery/waves/{wave.id}").get_data(as_text=True)
    assert "Scheduled" in page
    assert "Bob" in page


def test_lockout_refuses_a_recent_shopper_per_location(client, login) -> None:
    login.as_role("qa_lead")
    scenario = factories.make_scenario(lockout_days=30)
    near, far = factories.make_location(name="Near"), factories.make_location(name="Far")
    ann = factories.make_user(role="shopper", name="Ann")
    bob = factories.make_user(role="shopper", name="Bob")
    # Ann visited Near in February, less than 30 days before the new window.
    factories.make_assignment(ann, location=near, scenario=scenario, starts_on=date(2026, 2, 10),
                              ends_on=date(2026, 2, 12), state="published")
    db.session.commit()
    page = client.post("/mystery/waves/new",
                       data=_wave_form(scenario, [near, far], chosen={near: ann, far: ann}))
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "Near: Ann visited it within the last 30 days" in text
    assert "Far:" not in text
    assert db.session.scalar(select(func.count(Wave.id))) == 1
    # In turn, the next shopper who may go is taken instead.
    response = client.post("/mystery/waves/new", data=_wave_form(scenario, [near, far], [ann, bob]))
    assert response.status_code == 302
    wave = db.session.scalar(select(Wave).order_by(Wave.id.desc()))
    assert {a.location.name: a.shopper.name for a in wave.assignments} == {
        "Near": "Bob", "Far": "Ann"}


@pytest.mark.parametrize(("overrides", "message"), [
    ({"starts_on": "2026-03-10", "ends_on": "2026-03-01"}, "before the first"),
    ({"locations": []}, "at least one location"),
    ({"shoppers": []}, "choose a shopper"),
    ({"locations": ["999999"]}, "no location number 999999"),
])
def test_wave_refuses_bad_plans(client, login, overrides, message) -> None:
    login.as_role("admin")
    scenario = factories.make_scenario()
    store = factories.make_location()
    ann = factories.make_user(role="shopper")
    db.session.commit()
    page = client.post("/mystery/waves/new", data=_wave_form(scenario, [store], [ann], **overrides))
    assert page.status_code == 400
    assert message in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ShopAssignment.id))) == 0


def test_wave_refuses_a_non_shopper(client, login) -> None:
    login.as_role("admin")
    scenario = factories.make_scenario()
    store = factories.make_location()
    reviewer = factories.make_user(role="reviewer")
    db.session.commit()
    page = client.post("/mystery/waves/new", data=_wave_form(scenario, [store], [reviewer]))
    assert "mystery shopper role" in page.get_data(as_text=True)


# --- the life cycle -----------------------------------------------------------------------------


def test_move_follows_the_allowed_transitions_and_roles(app) -> None:
    shopper = factories.make_user(role="shopper")
    other = factories.make_user(role="shopper")
    lead = factories.make_user(role="qa_lead")
    manager = factories.make_user(role="location_manager")
    stranger = factories.make_user(role="location_manager")
    location = factories.make_location(manager=manager)
    item = factories.make_assignment(shopper, location=location)
    with pytest.raises(NotFound):
        move(item, "in_progress", other)
    with pytest.raises(NotAllowed):
        move(item, "in_progress", lead)  # only the shopper starts
    with pytest.raises(Conflict):
        move(item, "approved", lead)  # not submitted yet
    move(item, "in_progress", shopper)
    move(item, "submitted", shopper)
    move(item, "returned", lead, "Add the receipt photo")
    move(item, "in_progress", shopper)
    move(item, "submitted", shopper)
    with pytest.raises(NotAllowed):
        move(item, "approved", shopper)
    move(item, "approved", lead)
    move(item, "published", lead)
    with pytest.raises(NotFound):
        move(item, "disputed", stranger)  # not their location
    move(item, "disputed", manager, "The shopper came on a holiday")
    with pytest.raises(NotAllowed):
        move(item, "resolved", manager)
    move(item, "resolved", lead)
    assert [(e.from_state, e.to_state) for e in item.events] == [
        ("scheduled", "in_progress"), ("in_progress", "submitted"), ("submitted", "returned"),
        ("returned", "in_progress"), ("in_progress", "submitted"), ("submitted", "approved"),
        ("approved", "published"), ("published", "disputed"), ("disputed", "resolved"),
    ]
    assert item.events[2].comment == "Add the receipt photo"
    assert get_for(item.id, shopper) is item
    assert get_for(item.id, manager) is item
    for outsider in (other, stranger, factories.make_user(role="reviewer")):
        with pytest.raises(NotFound):
            get_for(item.id, outsider)
    assert item.events[7].user_id == manager.id


def test_staff_moves_on_the_assignment_page(client, login) -> None:
    lead = login.as_role("qa_lead")
    shopper = factories.make_user(role="shopper", name="Ann")
    item = factories.make_assignment(shopper, state="submitted")
    db.session.commit()
    page = client.get(f"/mystery/assignments/{item.id}").get_data(as_text=True)
    assert 'value="returned"' in page
    assert 'value="approved"' in page
    response = client.post(f"/mystery/assignments/{item.id}/move",
                           data={"to_state": "returned", "comment": "Нет чека",
                                 "due_on": "2099-01-31"})
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.state == "returned"
    assert (item.events[-1].user_id, item.events[-1].comment) == (lead.id, "Нет чека")
    page = client.get(f"/mystery/assignments/{item.id}").get_data(as_text=True)
    assert "Нет чека" in page
    # Starting is the shopper's move, not the editor's.
    response = client.post(f"/mystery/assignments/{item.id}/move",
                           data={"to_state": "in_progress"}, follow_redirects=True)
    assert "Unknown state" in response.get_data(as_text=True)
    db.session.refresh(item)
    assert item.state == "returned"


# --- who sees what ------------------------------------------------------------------------------


STAFF_PAGES = ("/calls/", "/agents/", "/search/", "/dashboard/", "/reviews/", "/locations/",
               "/mystery/waves/", "/mystery/scenarios/", "/admin/users", "/api/docs/")


def test_shopper_sees_only_their_own_assignments(client, login) -> None:
    shopper = login.as_role("shopper")
    other = factories.make_user(role="shopper")
    later = factories.make_assignment(shopper, starts_on=date(2026, 4, 1),
                                      ends_on=date(2026, 4, 5))
    sooner = factories.make_assignment(shopper, location=factories.make_location(
        name="Тверская", address="Тверская, 1", phone="+74951234567"))
    done = factories.make_assignment(shopper, state="published", starts_on=date(2026, 1, 5),
                                     ends_on=date(2026, 1, 9))
    theirs = factories.make_assignment(other, location=factories.make_location(name="Чужой"))
    db.session.commit()
    home = client.get("/")
    assert home.headers["Location"] == "/shopping/"
    page = client.get("/shopping/").get_data(as_text=True)
    assert "Чужой" not in page
    order = [page.index(f'data-assignment="{a.id}"') for a in (sooner, later, done)]
    assert order == sorted(order)
    assert "Тверская, 1" in page
    assert "tel:+74951234567" in page
    assert sooner.wave.scenario.legend in page
    for url in STAFF_PAGES + (f"/mystery/assignments/{sooner.id}", "/locations/mine"):
        assert client.get(url).status_code == 403, url
    response = client.post(f"/shopping/{theirs.id}/start")
    assert response.status_code == 404
    db.session.refresh(theirs)
    assert theirs.state == "scheduled"
    response = client.post(f"/shopping/{sooner.id}/start")
    assert response.status_code == 302
    db.session.refresh(sooner)
    assert sooner.state == "in_progress"
    assert sooner.events[-1].user_id == shopper.id


def test_location_manager_sees_only_their_locations(client, login) -> None:
    manager = login.as_role("location_manager")
    shopper = factories.make_user(role="shopper")
    mine = factories.make_location(name="Моя точка", manager=manager)
    factories.make_location(name="Чужая точка")
    factories.make_assignment(shopper, location=mine, state="published")
    db.session.commit()
    assert client.get("/").headers["Location"] == "/locations/mine"
    page = client.get("/locations/mine").get_data(as_text=True)
    assert "Моя точка" in page
    assert "Чужая точка" not in page
    assert "Published" in page
    for url in STAFF_PAGES + ("/shopping/",):
        assert client.get(url).status_code == 403, url


def test_agent_location_is_set_on_the_agent_page(client, login) -> None:
    login.as_role("qa_lead")
    agent = factories.make_agent(name="Игорь")
    store = factories.make_location(name="Тверская")
    db.session.commit()
    page = client.get(f"/agents/{agent.id}").get_data(as_text=True)
    assert f'action="/agents/{agent.id}/location"' in page
    response = client.post(f"/agents/{agent.id}/location", data={"location_id": str(store.id)})
    assert response.status_code == 302
    db.session.refresh(agent)
    assert agent.location_id == store.id
    assert "Тверская" in client.get(f"/agents/{agent.id}").get_data(as_text=True)
    client.post(f"/agents/{agent.id}/location", data={"location_id": ""})
    db.session.refresh(agent)
    assert agent.location_id is None


def test_a_mystery_shop_is_a_review_subject(app) -> None:
    shopper = factories.make_user(role="shopper")
    item = factories.make_assignment(shopper, location=factories.make_location(name="Тверская"))
    subject = subject_for_shop(item)
    assert subject_for_shop(item) is subject
    view = describe(subject)
    assert view.title == f"Тверская · {item.wave.name}"
    assert (view.endpoint, view.endpoint_args) == ("mystery.assignment",
                                                   {"assignment_id": item.id})
    assert view.occurred_at.date() == item.wave.starts_on
    assert view.evidence_template == "mystery/_evidence_shop.html"
    db.session.commit()
    # The kind's own key is required, as a call subject's call is.
    db.session.add(ReviewSubject(kind="mystery_shop", occurred_at=subject.occurred_at))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
