"""Plain factories: add and flush, the test commits when it needs to."""

from __future__ import annotations

import hashlib
import itertools
from datetime import date
from typing import Any

from sqlalchemy import select

from qa.extensions import db
from qa.models import (
    Agent,
    Call,
    Campaign,
    Finding,
    Lead,
    Location,
    Scenario,
    ScorecardDefault,
    ScorecardTemplate,
    ScorecardVersion,
    ShopAssignment,
    TranscriptSegment,
    User,
    Wave,
)

PASSWORD = "correct horse battery"  # noqa: S105 - test-only password
_counter = itertools.count(1)


def make_user(**overrides: Any) -> User:
    n = next(_counter)
    values: dict[str, Any] = {
        "email": f"user{n}@example.com",
        "name": f"User {n}",
        "role": "reviewer",
    }
    password = overrides.pop("password", PASSWORD)
    values.update(overrides)
    user = User(**values)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def make_agent(**overrides: Any) -> Agent:
    n = next(_counter)
    agent = Agent(**{"name": f"Agent {n}", **overrides})
    db.session.add(agent)
    db.session.flush()
    return agent


def make_campaign(**overrides: Any) -> Campaign:
    n = next(_counter)
    campaign = Campaign(**{"name": f"Campaign {n}", "kind": "mass", **overrides})
    db.session.add(campaign)
    db.session.flush()
    return campaign


def make_lead(**overrides: Any) -> Lead:
    lead = Lead(**{"channel": "call", "status": "new", **overrides})
    db.session.add(lead)
    db.session.flush()
    return lead


def make_call(**overrides: Any) -> Call:
    n = next(_counter)
    values: dict[str, Any] = {
        "original_filename": f"call-{n}.wav",
        "recording_path": f"{n:02d}/call-{n}.wav",
        "sha256": hashlib.sha256(f"call-{n}".encode()).hexdigest(),
        "size_bytes": 1000,
        "status": "uploaded",
        "language": "ru",
    }
    values.update(overrides)
    call = Call(**values)
    db.session.add(call)
    db.session.flush()
    return call


def make_segment(call: Call, **overrides: Any) -> TranscriptSegment:
    """A transcript line appended to ``call``; ``machine_text`` defaults to ``text``."""
    values: dict[str, Any] = {
        "position": len(call.segments),
        "speaker": "agent",
        "start": 0.0,
        "end": 1.0,
        "text": "Здравствуйте.",
    }
    values.update(overrides)
    values.setdefault("machine_text", values["text"])
    segment = TranscriptSegment(call=call, **values)
    db.session.add(segment)
    db.session.flush()
    return segment


SCORECARD: dict[str, Any] = {
    "sections": [
        {
            "title": "Opening",
            "items": [
                {"key": "greet", "text": "Greets the customer", "type": "yes_no", "weight": 1},
                {"key": "needs", "text": "Finds out needs", "type": "scale", "max": 4, "weight": 2},
            ],
        },
        {
            "title": "Objections",
            "items": [
                {"key": "price", "text": "Handles the price objection", "type": "yes_no",
                 "weight": 3, "critical": True, "suggest_from": "price"},
            ],
        },
    ]
}


def make_scorecard(
    definition: dict[str, Any] | None = None,
    *,
    default_for: tuple[str, ...] | None = None,
    **overrides: Any,
) -> ScorecardTemplate:
    """A template with one version (``SCORECARD`` unless ``definition`` is given).

    It becomes the default for the calls in ``default_for`` (language codes); left out, for
    every language that has no default yet (the first scorecard a test makes is the one calls
    are scored with, as in a company with one scorecard).
    """
    n = next(_counter)
    template = ScorecardTemplate(**{"name": f"Scorecard {n}", **overrides})
    template.versions.append(ScorecardVersion(number=1, definition=definition or SCORECARD))
    db.session.add(template)
    db.session.flush()
    if default_for is None:
        taken = set(
            db.session.scalars(
                select(ScorecardDefault.value).where(ScorecardDefault.kind == "language")
            )
        )
        default_for = tuple(code for code in ("ru", "en") if code not in taken)
    for code in default_for:
        template.defaults.append(ScorecardDefault(kind="language", value=code))
    db.session.flush()
    return template


def make_finding(call: Call, **overrides: Any) -> Finding:
    """An objection finding on ``call`` (price at 0:05 by default)."""
    values: dict[str, Any] = {
        "label": "price",
        "text": "дороговато",
        "time_start": 5.0,
        "time_end": 6.0,
    }
    values.update(overrides)
    finding = Finding(call=call, **values)
    db.session.add(finding)
    db.session.flush()
    return finding


def make_location(**overrides: Any) -> Location:
    n = next(_counter)
    location = Location(**{"name": f"Store {n}", "address": f"{n} Main Street", **overrides})
    db.session.add(location)
    db.session.flush()
    return location


def make_scenario(**overrides: Any) -> Scenario:
    n = next(_counter)
    values: dict[str, Any] = {
        "name": f"Scenario {n}",
        "legend": "A young couple choosing a sofa; ask about delivery.",
        "channel": "visit",
        "objections": [{"label": "price", "wording": "That is too expensive for us."}],
    }
    values.update(overrides)
    scenario = Scenario(**values)
    db.session.add(scenario)
    db.session.flush()
    return scenario


def make_assignment(
    shopper: User, location: Location | None = None, wave: Wave | None = None,
    state: str = "scheduled", **wave_values: Any,
) -> ShopAssignment:
    """An assignment (with a new wave and location unless given) for ``shopper``."""
    if wave is None:
        values: dict[str, Any] = {
            "name": f"Wave {next(_counter)}", "starts_on": date(2026, 3, 2),
            "ends_on": date(2026, 3, 8),
        }
        values.update(wave_values)
        values.setdefault("scenario", values.get("scenario") or make_scenario())
        wave = Wave(**values)
        db.session.add(wave)
    assignment = ShopAssignment(
        wave=wave, location=location or make_location(), shopper=shopper, state=state
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment
