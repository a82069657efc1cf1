"""Integration API: token authentication, OpenAPI coverage, pushing recordings and leads,
reading calls and campaigns."""

from __future__ import annotations

import io
import math
import re
import struct
import wave
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from qa.extensions import db
from qa.models import Agent, Call, Lead
from qa.services.admin import api_tokens
from tests.web import dashboard_data, factories
from transcription import default_cache_dir

AUDIO = Path(__file__).resolve().parents[1] / "data" / "audio"


@pytest.fixture(autouse=True)
def english(client):  # type: ignore[no-untyped-def]
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def token(app) -> str:  # type: ignore[no-untyped-def]
    _row, plain = api_tokens.create_token("PBX", None)
    db.session.commit()
    return plain


@pytest.fixture
def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def fake_engine(app):  # type: ignore[no-untyped-def]
    """Canned transcripts: these tests are about the API, not speech recognition."""
    app.config["WHISPER_ENGINE"] = "fake"
    return app


def wav_bytes(seconds: float = 1.0, freq: float = 440.0) -> bytes:
    """A short stereo tone as 16-bit PCM WAV."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(8000)
        frames = bytearray()
        for n in range(int(seconds * 8000)):
            for ch in range(2):
                value = int(8000 * math.sin(2 * math.pi * (freq + 110 * ch) * n / 8000))
                frames += struct.pack("<h", value)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


def _push(client, auth, audio: bytes | None = None, **fields: str):  # type: ignore[no-untyped-def]
    data: dict[str, object] = dict(fields)
    if audio is not None:
        data["file"] = (io.BytesIO(audio), "call.wav")
    return client.post(
        "/api/v1/recordings", data=data, headers=auth, content_type="multipart/form-data"
    )


# --- Authentication -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/campaigns", "/api/v1/openapi.json", "/api/v1/calls/1"])
def test_token_required(client, token, url) -> None:
    assert client.get(url).status_code == 401
    bad = client.get(url, headers={"Authorization": "Bearer qar_not-a-real-token"})
    assert bad.status_code == 401
    assert "API token" in bad.get_json()["message"]
    basic = client.get(url, headers={"Authorization": f"Basic {token}"})
    assert basic.status_code == 401
    assert client.get(url, headers={"Authorization": f"Bearer {token}"}).status_code in (200, 404)


def test_revoked_token_and_session_cookie_refused(client, login, token, auth) -> None:
    assert client.get("/api/v1/campaigns", headers=auth).status_code == 200
    login.as_role("admin")
    assert client.get("/api/v1/campaigns").status_code == 401  # a session alone is not enough
    row = api_tokens.token_for(token)
    api_tokens.revoke_token(row)
    db.session.commit()
    assert client.get("/api/v1/campaigns", headers=auth).status_code == 401
    assert _push(client, auth, wav_bytes()).status_code == 401
    assert db.session.scalar(select(func.count(Call.id))) == 0


# --- OpenAPI ------------------------------------------------------------------------------------


def _described(spec: dict) -> set[tuple[str, str]]:  # type: ignore[type-arg]
    return {
        (path, method.upper())
        for path, ops in spec["paths"].items()
        for method in ops
        if method != "parameters"
    }


def test_every_api_route_is_described(app, client, auth) -> None:
    spec = client.get("/api/v1/openapi.json", headers=auth).get_json()
    assert spec["openapi"].startswith("3.")
    routed = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routed.add((path, method))
    assert routed == _described(spec)
    for path, method in routed:
        item = spec["paths"][path]
        operation = item[method.lower()]
        assert "401" in operation["responses"], f"{method} {path} does not document 401"
        if "requestBody" in operation:
            assert {"400", "413"} <= set(operation["responses"]), f"{method} {path}"
        for name in re.findall(r"{(\w+)}", path):
            parameters = operation.get("parameters", []) + item.get("parameters", [])
            assert any(p["name"] == name and p["in"] == "path" for p in parameters)


def test_description_follows_the_schemas(client, auth) -> None:
    """Limits in the description are the ones the API applies."""
    spec = client.get("/api/v1/openapi.json", headers=auth).get_json()
    upload = spec["components"]["schemas"]["RecordingUpload"]
    assert upload["required"] == ["file"]
    assert upload["additionalProperties"] is False
    assert upload["properties"]["file"]["format"] == "binary"
    assert upload["properties"]["agent_channel"]["enum"] == ["left", "right", "none"]
    assert upload["properties"]["lead_external_id"]["maxLength"] == 120
    lead = spec["components"]["schemas"]["LeadIn"]
    assert set(lead["required"]) == {"external_id", "created_at"}
    assert lead["properties"]["status"]["enum"] == ["new", "qualified", "won", "lost"]
    assert lead["properties"]["name"]["maxLength"] == 200
    push = spec["paths"]["/api/v1/recordings"]["post"]
    assert push["requestBody"]["content"]["multipart/form-data"]["schema"] == {
        "$ref": "#/components/schemas/RecordingUpload"
    }
    assert "422" in push["responses"]
    call_id = spec["paths"]["/api/v1/calls/{call_id}"]["parameters"][0]["schema"]
    assert (call_id["type"], call_id["minimum"], call_id["maximum"]) == ("integer", 0, 2**31 - 1)


def test_openapi_references_resolve(client, auth) -> None:
    response = client.get("/api/v1/openapi.json", headers=auth)
    spec = response.get_json()
    refs = re.findall(r'"\$ref": ?"#/([^"]+)"', response.get_data(as_text=True))
    assert refs
    for ref in refs:
        node = spec
        for part in ref.split("/"):
            node = node[part]


def test_docs_page_for_logged_in_users(client, login, auth) -> None:
    assert client.get("/api/docs/").status_code == 302
    login.as_role("reviewer")
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in (
        "POST",
        "/api/v1/recordings",
        "/api/v1/leads",
        "/api/v1/calls/{call_id}",
        'id="schema-LeadIn"',
        "lead_external_id",
        "at most 120 characters",
        "one of new, qualified, won, lost",
        "multipart/form-data",
    ):
        assert text in html, text
    assert not re.search(r'(src|href)="(https?:)?//', html)  # assets served locally only
    downloaded = client.get("/api/docs/openapi.json").get_json()
    assert downloaded == client.get("/api/v1/openapi.json", headers=auth).get_json()
    # The session opens the page, never the API itself.
    assert client.get("/api/v1/openapi.json").status_code == 401


# --- Reading ------------------------------------------------------------------------------------


def test_list_campaigns(client, auth) -> None:
    factories.make_campaign(name="Весна", kind="targeted", utm_campaign="spring", views=100)
    db.session.commit()
    data = client.get("/api/v1/campaigns", headers=auth).get_json()
    assert [c["name"] for c in data["campaigns"]] == ["Весна"]
    assert data["campaigns"][0]["kind"] == "targeted"
    assert data["campaigns"][0]["utm_campaign"] == "spring"
    assert data["campaigns"][0]["spend"] == "0.00"


def test_call_detail_has_transcript_flags_lead_and_scores(client, auth) -> None:
    scenario = dashboard_data.build()
    call = scenario.price_calls[0]  # two price findings, a review of 80, the lead S0
    response = client.get(f"/api/v1/calls/{call.id}", headers=auth)
    assert response.status_code == 200
    data = response.get_json()
    assert [f["label"] for f in data["findings"]] == ["price", "price"]
    assert [r["score"] for r in data["reviews"]] == [80.0]
    assert data["reviews"][0]["scorecard"] == f"Card for {call.id}"
    assert data["lead"]["external_id"] == "S0"
    assert data["lead"]["quality"] == 80.0
    assert data["campaign"] == "Весна"
    both = scenario.price_calls[1]  # only a calibration review: left out
    assert client.get(f"/api/v1/calls/{both.id}", headers=auth).get_json()["reviews"] == []
    assert client.get("/api/v1/calls/999999", headers=auth).status_code == 404


# --- Pushing recordings -------------------------------------------------------------------------


def test_push_recording_creates_call_lead_and_transcribes(client, auth, fake_engine) -> None:
    campaign = factories.make_campaign(name="Весна")
    db.session.commit()
    response = _push(
        client,
        auth,
        wav_bytes(),
        phone="8 (916) 123-45-67",
        called_at="2026-03-14 10:25",
        agent="Анна Петрова",
        agent_channel="right",
        campaign="весна",
        lead_external_id="CT-1001",
        language="ru",
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status_url"] == f"/api/v1/calls/{body['id']}"
    assert response.headers["Location"].endswith(body["status_url"])
    assert body["lead_created"] is True
    call = db.session.get(Call, body["id"])
    assert call.phone == "+79161234567"
    assert call.called_at == datetime(2026, 3, 14, 7, 25)  # Moscow time stored as UTC
    assert call.agent.name == "Анна Петрова"
    assert call.agent_channel == "right"
    assert call.campaign_id == campaign.id
    lead = db.session.get(Lead, body["lead_id"])
    assert (lead.external_id, lead.channel, lead.status) == ("CT-1001", "call", "new")
    assert lead.campaign_id == campaign.id
    assert lead.phone == "+79161234567"
    assert call.lead_id == lead.id
    assert call.lead_link == "api"
    # The queue runs immediately in tests: the status URL already shows the transcript.
    status = client.get(body["status_url"], headers=auth).get_json()
    assert status["status"] == "transcribed"
    assert [s["speaker"] for s in status["segments"]] == ["agent", "customer"]
    assert "price" in {f["label"] for f in status["findings"]}


def test_push_recording_for_known_lead_and_agent_id(client, auth, fake_engine) -> None:
    campaign = factories.make_campaign(name="Осень", utm_source="yandex", utm_campaign="autumn")
    lead = factories.make_lead(external_id="L-7", campaign_id=campaign.id)
    agent = factories.make_agent(name="Борис")
    db.session.commit()
    body = _push(client, auth, wav_bytes(), agent=str(agent.id), lead_external_id="L-7").get_json()
    call = db.session.get(Call, body["id"])
    assert body["lead_created"] is False
    assert call.lead_id == lead.id
    assert call.agent_id == agent.id
    assert call.campaign_id == campaign.id  # from the lead
    assert db.session.scalar(select(func.count(Agent.id))) == 1
    body = _push(
        client, auth, wav_bytes(freq=300), utm_source="yandex", utm_campaign="AUTUMN"
    ).get_json()
    assert body["campaign_id"] == campaign.id
    assert body["lead_id"] is None


def test_push_recording_links_by_phone(client, auth, fake_engine) -> None:
    lead = factories.make_lead(
        external_id="web-1", phone="+79161234567", created_at=datetime(2026, 3, 14, 6, 0)
    )
    db.session.commit()
    body = _push(
        client, auth, wav_bytes(), phone="+7 916 123 45 67", called_at="2026-03-14T10:00:00+03:00"
    ).get_json()
    call = db.session.get(Call, body["id"])
    assert body["lead_id"] == lead.id
    assert call.lead_link == "auto"


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"phone": "not a phone"}, 400, "phone: not a valid phone number"),
        ({"called_at": "yesterday-ish"}, 422, "called_at: not a date and time."),
        ({"campaign": "No such campaign"}, 400, "campaign: no campaign named"),
        ({"agent_channel": "middle"}, 422, "agent_channel: must be one of left, right, none."),
        ({"language": "Russian"}, 422, "language: expected a code such as ru or en."),
    ],
)
def test_push_recording_rejects_bad_fields(client, auth, fields, status, message) -> None:
    response = _push(client, auth, wav_bytes(), lead_external_id="L-new", **fields)
    assert response.status_code == status
    assert message in response.get_json()["message"]
    assert db.session.scalar(select(func.count(Call.id))) == 0
    assert db.session.scalar(select(func.count(Lead.id))) == 0


def test_push_recording_rejects_missing_and_bad_files(client, auth, fake_engine) -> None:
    missing = _push(client, auth, None, phone="+79161234567")
    assert missing.status_code == 422
    assert missing.get_json()["message"] == (
        "file: Send the recording as the multipart field 'file'."
    )
    not_audio = _push(client, auth, b"this is not audio at all" * 50)
    assert not_audio.status_code == 400
    assert not_audio.get_json()["error"] == "Bad Request"
    first = _push(client, auth, wav_bytes())
    again = _push(client, auth, wav_bytes())
    assert again.status_code == 409
    assert again.get_json()["call_id"] == first.get_json()["id"]


def test_push_recording_too_large(app, client, auth) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 4000
    response = _push(client, auth, wav_bytes(1.0))
    assert response.status_code == 413
    assert response.get_json()["error"] == "Request Entity Too Large"
    assert db.session.scalar(select(func.count(Call.id))) == 0


# --- Pushing leads ------------------------------------------------------------------------------


def test_push_leads_stores_good_items_and_reports_bad_ones(client, auth) -> None:
    campaign = factories.make_campaign(name="Весна")
    call = factories.make_call(phone="+79161234567", called_at=datetime(2026, 3, 14, 8, 0))
    db.session.commit()
    leads = [
        {
            "external_id": "A1",
            "created_at": "2026-03-14T10:00:00+03:00",
            "phone": "8 916 123-45-67",
            "channel": "site_request",
            "campaign": "Весна",
            "status": "won",
            "sale_amount": 1500.5,
            "customer_id": 42,
        },
        {"external_id": "A2", "created_at": "31.02.2026", "status": "new"},
        {"external_id": "A3", "created_at": "2026-03-15", "status": "maybe"},
        "not an object",
        {"external_id": "A4", "created_at": "2026-03-15", "colour": "blue"},
        {"external_id": "A5", "created_at": "2026-03-15 12:00", "channel": "визит"},
    ]
    response = client.post("/api/v1/leads", json=leads, headers=auth)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["created"], body["updated"], body["linked_calls"]) == (2, 0, 1)
    assert [(item["index"], item["external_id"]) for item in body["leads"]] == [
        (0, "A1"),
        (5, "A5"),
    ]
    errors = {e["index"]: e for e in body["errors"]}
    assert set(errors) == {1, 2, 3, 4}
    assert errors[1]["message"] == "created_at: not a date and time."
    assert errors[1]["external_id"] == "A2"
    assert errors[2]["message"] == "status: must be one of new, qualified, won, lost."
    assert errors[3]["message"] == "Expected a JSON object."
    assert errors[3]["external_id"] is None
    assert errors[4]["message"] == "colour: Unknown field."
    a1 = db.session.scalar(select(Lead).where(Lead.external_id == "A1"))
    assert a1.campaign_id == campaign.id
    assert a1.sale_amount == pytest.approx(1500.5)
    assert a1.customer_id == "42"
    assert a1.phone == "+79161234567"
    assert a1.created_at == datetime(2026, 3, 14, 7, 0)
    db.session.refresh(call)
    assert call.lead_id == a1.id
    assert call.lead_link == "auto"
    a5 = db.session.scalar(select(Lead).where(Lead.external_id == "A5"))
    assert a5.channel == "store_visit"


def test_push_leads_upserts_by_external_id(client, auth) -> None:
    first = client.post(
        "/api/v1/leads",
        headers=auth,
        json={"leads": [{"external_id": "B1", "created_at": "2026-03-01", "status": "new"}]},
    )
    assert first.get_json()["created"] == 1
    second = client.post(
        "/api/v1/leads",
        headers=auth,
        json=[
            {"external_id": "B1", "created_at": "2026-03-01", "status": "won", "sale_amount": "990"}
        ],
    )
    assert second.get_json()["updated"] == 1
    leads = db.session.scalars(select(Lead)).all()
    assert len(leads) == 1
    assert leads[0].status == "won"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "Send a JSON list of leads"),
        ({"external_id": "x"}, "Send a JSON list of leads"),
        ([{"external_id": "", "created_at": "2026-03-01"}], "No lead could be stored."),
        ([{"external_id": "x", "created_at": "2026-03-01"}] * 5001, "At most 5000 leads"),
    ],
)
def test_push_leads_bad_bodies(client, auth, body, message) -> None:
    response = client.post("/api/v1/leads", json=body, headers=auth)
    assert response.status_code == 400
    assert message in response.get_json()["message"]
    assert db.session.scalar(select(func.count(Lead.id))) == 0


def test_push_leads_needs_json(client, auth) -> None:
    response = client.post(
        "/api/v1/leads",
        data="external_id=1",
        headers=auth,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "must be JSON" in response.get_json()["message"]


# --- Bad input: a clear error naming the field, never a server error, nothing stored lost --------


@pytest.fixture
def stored(client, auth, fake_engine):  # type: ignore[no-untyped-def]
    """A lead and a pushed call already stored, to check that bad requests leave them be."""
    lead = factories.make_lead(
        external_id="KEEP-1",
        status="won",
        sale_amount=500,
        name="Иван",
        created_at=datetime(2026, 3, 1, 9, 0),
    )
    db.session.commit()
    call = _push(client, auth, wav_bytes(freq=200), lead_external_id="KEEP-1", title="Первый")
    assert call.status_code == 201
    return {"lead": lead.id, "call": call.get_json()["id"]}


def _unchanged(stored) -> None:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Lead.id))) == 1
    assert db.session.scalar(select(func.count(Call.id))) == 1
    lead = db.session.get(Lead, stored["lead"])
    assert (lead.external_id, lead.status, float(lead.sale_amount), lead.name) == (
        "KEEP-1",
        "won",
        500.0,
        "Иван",
    )
    call = db.session.get(Call, stored["call"])
    assert (call.title, call.lead_id) == ("Первый", stored["lead"])


@pytest.mark.db  # PostgreSQL refuses NUL bytes that SQLite stores
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "Call\x00one"}, "title: contains control characters."),
        ({"agent": "Анна\x07"}, "agent: contains control characters."),
        ({"lead_external_id": "KEEP-1\x00"}, "lead_external_id: contains control characters."),
        ({"phone": "+7\n916"}, "phone: must be a single line."),
        ({"lead_external_id": "x" * 121}, "lead_external_id: at most 120 characters."),
        ({"title": "я" * 201}, "title: at most 200 characters."),
        ({"called_at": "0001-01-01T00:00:00+03:00"}, "called_at: the year must be between"),
        ({"called_at": "31.12.9999 23:59"}, "called_at: the year must be between"),
        ({"called_at": "2026-03-14T10:00:00+25:00"}, "called_at: not a date and time."),
        ({"agent_channel": "LEFT"}, "agent_channel: must be one of left, right, none."),
        ({"colour": "blue"}, "colour: Unknown field."),
    ],
)
def test_push_recording_refuses_bad_values(client, auth, stored, fields, message) -> None:
    response = _push(client, auth, wav_bytes(freq=700), **fields)
    assert response.status_code == 422, response.get_data(as_text=True)
    body = response.get_json()
    assert body["error"] == "Unprocessable Entity"
    assert message in body["message"]
    assert list(body["errors"]) == [next(iter(fields))]
    _unchanged(stored)


def test_push_recording_refuses_a_control_character_in_the_file_name(client, auth, stored) -> None:
    response = client.post(
        "/api/v1/recordings",
        data={"file": (io.BytesIO(wav_bytes(freq=700)), "call\x01.wav")},
        headers=auth,
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert response.get_json()["message"] == "file: contains control characters."
    _unchanged(stored)


def test_messages_in_russian(client, auth, stored) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru"
    response = _push(client, auth, wav_bytes(freq=700), agent_channel="middle", colour="x")
    assert response.status_code == 422
    message = response.get_json()["message"]
    assert "agent_channel: допустимо одно из: left, right, none." in message
    assert "colour: Неизвестное поле." in message
    leads = client.post("/api/v1/leads", json=[{"external_id": "R1"}], headers=auth)
    assert leads.get_json()["errors"][0]["message"] == "created_at: Обязательное поле."
    _unchanged(stored)


def _push_one_lead(client, auth, **fields):  # type: ignore[no-untyped-def]
    item = {"external_id": "KEEP-1", "created_at": "2026-03-01", **fields}
    return client.post("/api/v1/leads", json=[item], headers=auth)


@pytest.mark.db  # PostgreSQL refuses NUL bytes that SQLite stores
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "Пётр\x00"}, "name: contains control characters."),
        ({"customer_id": "c\x1b[31m"}, "customer_id: contains control characters."),
        ({"sale_amount": 1e20}, "sale_amount: must be between 0 and 1 000 000 000 000."),
        ({"sale_amount": 1e13}, "sale_amount: must be between 0 and 1 000 000 000 000."),
        ({"sale_amount": -1}, "sale_amount: must be between 0 and 1 000 000 000 000."),
        ({"sale_amount": "12abc"}, "sale_amount: expected a number."),
        ({"sale_amount": True}, "sale_amount: expected a number."),
        ({"status": 5}, "status: expected text."),
        ({"status": ["won"]}, "status: expected text."),
        ({"status": "sold"}, "status: must be one of new, qualified, won, lost."),
        ({"created_at": "1000-01-01"}, "created_at: the year must be between 1900 and 2200."),
        ({"created_at": 20260301}, "created_at: expected text."),
        ({"external_id": None}, "external_id: This field is required."),
        ({"created_at": ""}, "created_at: this field is required."),
        ({"phone": {"number": "+7916"}}, "phone: expected text."),
        ({"name": "x" * 201}, "name: at most 200 characters."),
    ],
)
def test_push_leads_refuses_bad_values(client, auth, stored, fields, message) -> None:
    response = _push_one_lead(client, auth, **{"status": "lost", **fields})
    assert response.status_code == 400, response.get_data(as_text=True)
    body = response.get_json()
    assert body["message"] == "No lead could be stored."
    assert [e["index"] for e in body["errors"]] == [0]
    assert body["errors"][0]["message"] == message
    _unchanged(stored)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_push_leads_refuses_non_finite_numbers(client, auth, stored, constant) -> None:
    item = '{"external_id": "KEEP-1", "created_at": "2026-03-01", "sale_amount": ' + constant
    raw = f"[{item}}}]"
    response = client.post("/api/v1/leads", data=raw, headers=auth, content_type="application/json")
    assert response.status_code == 400
    message = response.get_json()["errors"][0]["message"]
    assert message.startswith("sale_amount: ")
    _unchanged(stored)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "not valid JSON, or is nested too deeply"),
        ('{"leads": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ('[{"external_id": "A"', "not valid JSON"),
        (b"\xff\xfe[\x00]", "not valid JSON"),
        ("", "not valid JSON"),
        ('"leads"', "Send a JSON list of leads"),
        ('{"leads": 5}', "Send a JSON list of leads"),
    ],
)
def test_push_leads_refuses_unreadable_bodies(client, auth, stored, raw, message) -> None:
    response = client.post("/api/v1/leads", data=raw, headers=auth, content_type="application/json")
    assert response.status_code == 400
    assert message in response.get_json()["message"]
    _unchanged(stored)


def test_push_leads_refuses_a_huge_body(client, auth, stored) -> None:
    item = {"external_id": "KEEP-1", "created_at": "2026-03-01", "name": "x" * 190}
    body = [item] * 40_000  # about 10 MB
    response = client.post("/api/v1/leads", json=body, headers=auth)
    assert response.status_code == 413
    assert response.get_json()["error"] == "Request Entity Too Large"
    _unchanged(stored)


def test_good_leads_stored_beside_bad_ones_and_the_old_lead_kept(client, auth, stored) -> None:
    items = [
        {"external_id": "KEEP-1", "created_at": "2026-03-01", "status": "new", "name": "\x00"},
        {"external_id": "N-1", "created_at": "2026-03-02", "sale_amount": "1 500,50"},
        {"external_id": 777, "created_at": "02.03.2026 10:00", "customer_id": 42},
    ]
    response = client.post("/api/v1/leads", json={"leads": items}, headers=auth)
    assert response.status_code == 200
    body = response.get_json()
    assert [(e["index"], e["external_id"]) for e in body["errors"]] == [(0, "KEEP-1")]
    assert [(s["index"], s["external_id"]) for s in body["leads"]] == [(1, "N-1"), (2, "777")]
    n1 = db.session.scalar(select(Lead).where(Lead.external_id == "N-1"))
    assert float(n1.sale_amount) == 1500.5
    lead = db.session.get(Lead, stored["lead"])
    assert (lead.status, lead.name) == ("won", "Иван")


# --- The push flow on the real engine ------------------------------------------------------------


@pytest.mark.slow
def test_pushed_recording_is_transcribed_and_read_back_with_roles_and_a_price_objection(
    app, client, auth
) -> None:
    """A stereo call pushed by a PBX, transcribed by faster-whisper (the configured engine and
    its base model), read back through the API: the customer's "too expensive" is a price
    objection."""
    app.config.update(
        WHISPER_ENGINE="faster-whisper",
        WHISPER_MODEL="base",
        MODEL_CACHE_DIR=str(default_cache_dir()),
    )
    recording = AUDIO / "ru_call_8k_mulaw.wav"  # agent (left): the sofa costs 40 000 roubles;
    # customer (right): that is too expensive, the competitors are cheaper.
    response = client.post(
        "/api/v1/recordings",
        data={
            "file": (recording.open("rb"), recording.name),
            "agent": "Ольга",
            "agent_channel": "left",
            "language": "ru",
            "lead_external_id": "CT-77",
            "phone": "+7 916 000-11-22",
        },
        headers=auth,
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    call = client.get(response.get_json()["status_url"], headers=auth).get_json()
    assert call["status"] == "transcribed", call["error"]
    assert call["language"] == "ru"
    assert call["agent"] == "Ольга"
    assert call["lead"]["external_id"] == "CT-77"
    speakers = [s["speaker"] for s in call["segments"]]
    assert speakers[0] == "agent"
    assert "customer" in speakers
    agent_text = " ".join(s["text"] for s in call["segments"] if s["speaker"] == "agent")
    customer_text = " ".join(s["text"] for s in call["segments"] if s["speaker"] == "customer")
    assert "диван" in agent_text.lower()
    assert "дорого" in customer_text.lower()
    price = [f for f in call["findings"] if f["label"] == "price"]
    assert price
    spans = [(s["start"], s["end"]) for s in call["segments"] if s["speaker"] == "customer"]
    assert any(start <= price[0]["start"] < end for start, end in spans)
