"""Locations shoppers visit: save, list, import from a table, and who manages which."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from qa.extensions import db
from qa.models import Agent, Location, User
from qa.roles import LOCATION_MANAGER
from qa.services.admin.settings import company_settings
from qa.services.errors import NotFound, ValidationFailed
from qa.services.marketing.phones import normalise_phone
from qa.services.row_import import find_columns, store_rows
from qa.services.tabular import Table
from qa.services.validation import clean_text, finite_float, shown

# Column names accepted for each field.
ALIASES = {
    "name": ("name", "location", "store"),
    "address": ("address",),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "lon", "lng"),
    "phone": ("phone", "telephone"),
    "manager_email": ("manager_email", "manager", "manager e-mail", "manager_e-mail"),
}


@dataclass(frozen=True)
class LocationValues:
    name: str
    address: str | None = None
    latitude: object = None
    longitude: object = None
    phone: str | None = None
    manager_id: int | None = None
    active: bool = True


@dataclass
class LocationImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def list_locations() -> list[Location]:
    return list(db.session.scalars(select(Location).order_by(Location.name)))


def managed_by(user: User) -> list[Location]:
    """The locations ``user`` manages, by name."""
    query = select(Location).where(Location.manager_id == user.id).order_by(Location.name)
    return list(db.session.scalars(query))


def managers() -> list[User]:
    """Active users who may manage a location."""
    query = (
        select(User)
        .where(User.role == LOCATION_MANAGER, User.is_active_user.is_(True))
        .order_by(User.name)
    )
    return list(db.session.scalars(query))


def save_location(values: LocationValues, location: Location | None = None) -> Location:
    """Create or update a location after checking every value."""
    name = clean_text(values.name, field=_("Name"), max_length=200, required=True) or ""
    address = clean_text(values.address, field=_("Address"), max_length=300)
    latitude = finite_float(values.latitude, field=_("Latitude"), minimum=-90, maximum=90)
    longitude = finite_float(values.longitude, field=_("Longitude"), minimum=-180, maximum=180)
    if (latitude is None) != (longitude is None):
        raise ValidationFailed(_("Give both the latitude and the longitude, or neither."))
    phone = _phone(values.phone)
    manager = _manager(values.manager_id)
    clash = by_name(name)
    if clash is not None and clash is not location:
        raise ValidationFailed(_("There is already a location named %(name)s.", name=shown(name)))
    if location is None:
        location = Location(name=name)
        db.session.add(location)
    location.name = name
    location.address = address
    location.latitude = latitude
    location.longitude = longitude
    location.phone = phone
    location.manager = manager
    location.active = bool(values.active)
    db.session.flush()
    return location


def set_agent_location(agent: Agent, location_id: int | None) -> None:
    """Where the agent works; None clears it."""
    if location_id is None:
        agent.location = None
    else:
        location = db.session.get(Location, location_id)
        if location is None:
            raise NotFound(_("There is no location number %(id)s.", id=location_id))
        agent.location = location
    db.session.flush()


def import_locations(table: Table) -> LocationImportReport:
    """Create new locations and update known ones by name; bad rows are reported, not stored.

    Each row is written in its own savepoint, so a refused row never takes the others with it,
    and a file without a name column stores nothing at all.
    """
    columns = find_columns(table.header, ALIASES)
    if "name" not in columns:
        raise ValidationFailed(_("The file needs a name column."))
    seen: set[str] = set()

    def check(raw: dict[str, str]) -> tuple[LocationValues, Location | None]:
        name = clean_text(raw.get("name"), field=columns["name"], max_length=200) or ""
        if not name:
            raise ValidationFailed(_("The name is empty."))
        if name.lower() in seen:
            raise ValidationFailed(
                _("The location %(name)s repeats in this file.", name=shown(name))
            )
        values = LocationValues(
            name=name,
            address=clean_text(raw.get("address"), field="address", max_length=300),
            latitude=raw.get("latitude") or None,
            longitude=raw.get("longitude") or None,
            phone=clean_text(raw.get("phone"), field="phone", max_length=40),
            manager_id=_manager_by_email(raw.get("manager_email")),
        )
        return values, by_name(name)

    def store(checked: tuple[LocationValues, Location | None]) -> tuple[Location, bool]:
        values, existing = checked
        location = save_location(values, existing)
        seen.add(values.name.lower())
        return location, existing is None

    stored = store_rows(
        (
            (row.line, {key: row.values.get(column, "") for key, column in columns.items()})
            for row in table.rows
        ),
        check,
        store,
        lambda checked: _(
            "The location %(name)s could not be stored; import the file again.",
            name=shown(checked[0].name),
        ),
    )
    return LocationImportReport(
        created=stored.created,
        updated=stored.updated,
        errors=sorted(list(table.errors) + stored.errors),
    )


def by_name(name: str) -> Location | None:
    """The location of this name, whatever its case (SQLite lowers only ASCII letters)."""
    query = select(Location).where(
        or_(Location.name == name, func.lower(Location.name) == name.lower())
    )
    return db.session.scalars(query).first()


def _phone(raw: str | None) -> str | None:
    text = clean_text(raw, field=_("Phone"), max_length=40)
    if not text:
        return None
    phone = normalise_phone(text, company_settings().phone_region)
    if phone is None:
        raise ValidationFailed(_("Not a valid phone number: %(phone)s", phone=shown(text)))
    return phone


def _manager(manager_id: int | None) -> User | None:
    if manager_id is None:
        return None
    user = db.session.get(User, manager_id)
    if user is None or user.role != LOCATION_MANAGER:
        raise ValidationFailed(_("The manager must be a user with the location manager role."))
    return user


def _manager_by_email(raw: str | None) -> int | None:
    text = clean_text(raw, field="manager_email", max_length=254)
    if not text:
        return None
    user = db.session.scalar(select(User).where(func.lower(User.email) == text.lower()))
    if user is None or user.role != LOCATION_MANAGER:
        raise ValidationFailed(
            _("No location manager has the e-mail %(email)s.", email=shown(text))
        )
    return user.id
