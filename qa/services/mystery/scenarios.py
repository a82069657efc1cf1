"""Scenarios: the shopper's legend, the objections to raise and what the report must carry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from qa.extensions import db
from qa.models import Scenario, ScorecardTemplate, Tracker
from qa.services.errors import ValidationFailed
from qa.services.validation import clean_text, shown, whole_number
from qa.vocabulary import OBJECTION, SHOP_CHANNEL

MAX_OBJECTIONS = 20
MAX_LEGEND = 5000
MAX_WORDING = 500


@dataclass(frozen=True)
class ScenarioValues:
    name: str
    legend: str
    channel: str = "visit"
    # (label, wording) pairs as typed; empty pairs are dropped.
    objections: list[tuple[str, str]] = field(default_factory=list)
    template_id: int | None = None
    needs_recording: bool = False
    needs_photos: bool = False
    needs_receipt: bool = False
    min_narrative_chars: object = 0
    lockout_days: object = 30
    report_deadline_days: object = 2


def list_scenarios() -> list[Scenario]:
    return list(db.session.scalars(select(Scenario).order_by(Scenario.name)))


def objection_labels() -> list[str]:
    """Labels a scenario may ask for: the built-in objections and every tracker's label."""
    trackers = db.session.scalars(select(Tracker.label).order_by(Tracker.label))
    return [*OBJECTION.values, *(label for label in trackers if label not in OBJECTION)]


def parse_objection_lines(text: str | None) -> list[tuple[str, str]]:
    """``label: suggested words`` one a line, as typed in the scenario form."""
    pairs = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        label, _sep, wording = line.partition(":")
        pairs.append((label.strip(), wording.strip()))
    return pairs


def objection_lines(scenario: Scenario) -> str:
    return "\n".join(f"{o['label']}: {o['wording']}" for o in scenario.objections)


def save_scenario(values: ScenarioValues, scenario: Scenario | None = None) -> Scenario:
    name = clean_text(values.name, field=_("Name"), max_length=200, required=True) or ""
    legend = clean_text(values.legend, field=_("Legend"), max_length=MAX_LEGEND, required=True,
                        multiline=True) or ""
    if values.channel not in SHOP_CHANNEL:
        raise ValidationFailed(_("The channel must be one of %(values)s, not %(channel)s.",
                                 values=", ".join(SHOP_CHANNEL.values),
                                 channel=shown(values.channel)))
    objections = _objections(values.objections)
    template = None
    if values.template_id is not None:
        template = db.session.get(ScorecardTemplate, values.template_id)
        if template is None:
            raise ValidationFailed(_("There is no scorecard number %(id)s.",
                                     id=values.template_id))
    min_chars = whole_number(values.min_narrative_chars, field=_("Minimum narrative length"),
                             maximum=MAX_LEGEND) or 0
    lockout = whole_number(values.lockout_days, field=_("Lockout days"), maximum=3650)
    deadline = whole_number(values.report_deadline_days, field=_("Report deadline (days)"),
                            maximum=365)
    clash = db.session.scalars(select(Scenario).where(
        or_(Scenario.name == name, func.lower(Scenario.name) == name.lower())
    )).first()
    if clash is not None and clash is not scenario:
        raise ValidationFailed(_("There is already a scenario named %(name)s.", name=shown(name)))
    if scenario is None:
        scenario = Scenario(name=name)
        db.session.add(scenario)
    scenario.name = name
    scenario.legend = legend
    scenario.channel = values.channel
    scenario.objections = objections
    scenario.template = template
    scenario.needs_recording = bool(values.needs_recording)
    scenario.needs_photos = bool(values.needs_photos)
    scenario.needs_receipt = bool(values.needs_receipt)
    scenario.min_narrative_chars = min_chars
    scenario.lockout_days = 30 if lockout is None else lockout
    scenario.report_deadline_days = 2 if deadline is None else deadline
    db.session.flush()
    return scenario


def _objections(pairs: list[tuple[str, str]]) -> list[dict[str, Any]]:
    if len(pairs) > MAX_OBJECTIONS:
        raise ValidationFailed(_("At most %(n)d objections per scenario.", n=MAX_OBJECTIONS))
    known = set(objection_labels())
    found = []
    for label, wording in pairs:
        label = clean_text(label, field=_("Objection"), max_length=60, required=True) or ""
        if label not in known:
            raise ValidationFailed(_("Unknown objection label: %(label)s (use %(values)s).",
                                     label=shown(label), values=", ".join(sorted(known))))
        text = clean_text(wording, field=_("Suggested words"), max_length=MAX_WORDING) or ""
        found.append({"label": label, "wording": text})
    return found
