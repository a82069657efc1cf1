"""Waves: one scenario at several locations in a window of days, one assignment per location."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from qa.extensions import db
from qa.models import AssignmentEvent, Location, Scenario, ShopAssignment, User, Wave
from qa.roles import SHOPPER
from qa.services.errors import ValidationFailed
from qa.services.validation import clean_text, sane_dates, shown

MAX_LOCATIONS = 500


@dataclass(frozen=True)
class WavePlan:
    name: str
    scenario_id: int | None
    starts_on: date | None
    ends_on: date | None
    # location id -> the shopper chosen for it (None: the next of ``shoppers`` in turn).
    locations: dict[int, int | None]
    # Shoppers taken in turn for locations without a chosen one.
    shoppers: list[int]


def list_waves() -> list[Wave]:
    return list(db.session.scalars(select(Wave).order_by(Wave.starts_on.desc(), Wave.id.desc())))


def shoppers() -> list[User]:
    """Active users with the shopper role."""
    query = (
        select(User).where(User.role == SHOPPER, User.is_active_user.is_(True)).order_by(User.name)
    )
    return list(db.session.scalars(query))


def schedule_wave(plan: WavePlan, user: User | None) -> Wave:
    """Create the wave and one scheduled assignment per location.

    A shopper who visited (or is booked to visit) the same location within the scenario's
    lockout days is refused for it; with shoppers taken in turn, the next one who may go is
    chosen instead. Every location that finds nobody is named in one message, and nothing is
    stored.
    """
    name = clean_text(plan.name, field=_("Name"), max_length=200, required=True) or ""
    scenario = db.session.get(Scenario, plan.scenario_id) if plan.scenario_id else None
    if scenario is None:
        raise ValidationFailed(_("Choose a scenario."))
    if plan.starts_on is None or plan.ends_on is None:
        raise ValidationFailed(_("Give the first and the last day of the visits."))
    sane_dates((plan.starts_on, _("First day")), (plan.ends_on, _("Last day")))
    if plan.ends_on < plan.starts_on:
        raise ValidationFailed(_("The last day of the visits is before the first."))
    if (plan.ends_on - plan.starts_on).days > 366:
        raise ValidationFailed(_("A wave lasts at most a year."))
    if not plan.locations:
        raise ValidationFailed(_("Choose at least one location."))
    if len(plan.locations) > MAX_LOCATIONS:
        raise ValidationFailed(_("At most %(n)d locations per wave.", n=MAX_LOCATIONS))
    locations = _locations(list(plan.locations))
    chosen = {lid: sid for lid, sid in plan.locations.items() if sid is not None}
    people = _shoppers({*chosen.values(), *plan.shoppers})
    rotation = [people[sid] for sid in dict.fromkeys(plan.shoppers)]
    problems: list[str] = []
    picked: dict[int, User] = {}
    turn = 0
    for location in locations:
        if location.id in chosen:
            shopper = people[chosen[location.id]]
            if _locked_out(shopper, location, scenario, plan.starts_on, plan.ends_on, picked):
                problems.append(_locked_message(location, shopper, scenario))
                continue
            picked[location.id] = shopper
            continue
        if not rotation:
            problems.append(_("%(location)s: choose a shopper.", location=shown(location.name)))
            continue
        for step in range(len(rotation)):
            candidate = rotation[(turn + step) % len(rotation)]
            if not _locked_out(candidate, location, scenario, plan.starts_on, plan.ends_on,
                               picked):
                picked[location.id] = candidate
                turn = (turn + step + 1) % len(rotation)
                break
        else:
            problems.append(_(
                "%(location)s: every chosen shopper visited it within %(days)d days.",
                location=shown(location.name), days=scenario.lockout_days))
    if problems:
        raise ValidationFailed(" ".join(problems))
    wave = Wave(name=name, scenario=scenario, starts_on=plan.starts_on, ends_on=plan.ends_on,
                created_by_id=user.id if user else None)
    db.session.add(wave)
    for location in locations:
        assignment = ShopAssignment(wave=wave, location=location, shopper=picked[location.id],
                                    state="scheduled")
        db.session.add(assignment)
        db.session.add(AssignmentEvent(assignment=assignment, user=user, from_state=None,
                                       to_state="scheduled"))
    db.session.flush()
    return wave


def _locations(ids: list[int]) -> list[Location]:
    query = select(Location).where(Location.id.in_(ids))
    found = {loc.id: loc for loc in db.session.scalars(query)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationFailed(_("There is no location number %(id)s.", id=", ".join(missing)))
    inactive = [found[i].name for i in ids if not found[i].active]
    if inactive:
        raise ValidationFailed(_("The location %(name)s is not active.", name=shown(inactive[0])))
    return [found[i] for i in ids]


def _shoppers(ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    found = {
        u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))
        if u.role == SHOPPER and u.is_active_user
    }
    if set(found) != ids:
        raise ValidationFailed(_("Only active users with the mystery shopper role can be chosen."))
    return found


def _locked_out(shopper: User, location: Location, scenario: Scenario, starts_on: date,
                ends_on: date, picked: dict[int, User]) -> bool:
    """True when ``shopper`` has a visit to ``location`` within the lockout days of the window."""
    if picked.get(location.id) is shopper:
        return True
    lockout = timedelta(days=scenario.lockout_days)
    query = (
        select(ShopAssignment.id)
        .join(ShopAssignment.wave)
        .where(
            ShopAssignment.shopper_id == shopper.id,
            ShopAssignment.location_id == location.id,
            Wave.ends_on >= starts_on - lockout,
            Wave.starts_on <= ends_on + lockout,
        )
        .limit(1)
    )
    return db.session.scalar(query) is not None


def _locked_message(location: Location, shopper: User, scenario: Scenario) -> str:
    return _(
        "%(location)s: %(shopper)s visited it within the last %(days)d days; choose another "
        "shopper.", location=shown(location.name), shopper=shown(shopper.name),
        days=scenario.lockout_days,
    )
