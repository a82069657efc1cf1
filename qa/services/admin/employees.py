"""Employees as users: inviting an agent, and importing staff from a table.

An invitation creates an employee user linked to one agent record, with a temporary password
shown once (the admin hands it over; the employee changes it on their account page). An agent
already linked to a user is refused. The staff import reads name, email and team, creates or
updates agents (matched by e-mail) and their employee users (upsert by e-mail); a row whose
e-mail belongs to a user of another role or another agent is refused with its line.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from qa.extensions import db
from qa.models import Agent, User
from qa.roles import EMPLOYEE
from qa.services.admin.users import create_user, find_user
from qa.services.errors import Conflict, ValidationFailed
from qa.services.row_import import find_columns, store_rows, unchanged
from qa.services.tabular import Table
from qa.services.validation import clean_text, email_address, shown

MAX_NAME = 120
MAX_TEAM = 120
# Column names accepted for each field (headers are normalised by qa.services.tabular).
ALIASES = {
    "name": ("name", "full_name", "employee", "имя", "фио"),
    "email": ("email", "e_mail", "mail", "почта"),
    "team": ("team", "group", "команда"),
}


@dataclass(frozen=True)
class Invitation:
    """A new employee user and its temporary password, shown once."""

    user: User
    password: str


def temporary_password() -> str:
    return secrets.token_urlsafe(12)


def linked_users() -> dict[int, User]:
    """agent id -> the user linked to that agent."""
    users = db.session.scalars(select(User).where(User.agent_id.is_not(None)))
    return {user.agent_id: user for user in users if user.agent_id is not None}


def _linked_user(agent: Agent) -> User | None:
    return db.session.scalar(select(User).where(User.agent_id == agent.id))


def invite(agent: Agent, email: object = None) -> Invitation:
    """Create an employee user for ``agent`` (its own e-mail, else ``email``)."""
    if _linked_user(agent) is not None:
        raise Conflict(_("%(name)s already has a user account.", name=shown(agent.name)))
    given = email if email not in (None, "") else agent.email
    if not given:
        raise ValidationFailed(_("The agent has no e-mail address; enter one to invite them."))
    address = email_address(given, field=_("Email"))
    password = temporary_password()
    try:
        with db.session.begin_nested():
            user = create_user(address, agent.name, password, EMPLOYEE)
            user.agent = agent
            if not agent.email:
                agent.email = address
            db.session.flush()
    except IntegrityError:
        raise Conflict(_("%(name)s already has a user account.", name=shown(agent.name))) from None
    return Invitation(user, password)


@dataclass(frozen=True)
class StaffValues:
    name: str
    email: str
    team: str | None


@dataclass
class StaffPreview:
    good: list[tuple[int, StaffValues, bool]] = field(default_factory=list)  # line, values, exists
    errors: list[tuple[int, str]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class StaffImportReport:
    created: int = 0
    updated: int = 0
    invitations: list[Invitation] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _agent_by_email(email: str) -> Agent | None:
    return db.session.scalar(
        select(Agent).where(func.lower(Agent.email) == email).order_by(Agent.id).limit(1)
    )


def _check_owner(values: StaffValues) -> None:
    """Refuse an e-mail that belongs to someone who is not this employee."""
    user = find_user(values.email)
    agent = _agent_by_email(values.email)
    linked = _linked_user(agent) if agent is not None else None
    if linked is not None and linked is not user:
        raise ValidationFailed(_("%(name)s already has a user account.", name=shown(agent.name)))
    if user is None:
        return
    if user.role != EMPLOYEE or (
        user.agent_id is not None and (agent is None or user.agent_id != agent.id)
    ):
        raise ValidationFailed(
            _("The e-mail %(email)s belongs to another user.", email=shown(values.email))
        )


def preview_staff(table: Table) -> StaffPreview:
    """Check every row as the import will; nothing is written."""
    columns = find_columns(table.header, ALIASES)
    if "name" not in columns or "email" not in columns:
        raise ValidationFailed(_("The file needs name and email columns."))
    used = set(columns.values())
    preview = StaffPreview(
        errors=list(table.errors),
        ignored_columns=[name for name in table.header if name not in used],
    )
    seen: set[str] = set()
    for row in table.rows:
        raw = {key: row.values.get(column, "") for key, column in columns.items()}
        try:
            name = clean_text(raw.get("name"), field=columns["name"], max_length=MAX_NAME)
            if not name:
                raise ValidationFailed(_("The name is empty."))
            email = email_address(raw.get("email"), field=columns["email"])
            if email in seen:
                raise ValidationFailed(
                    _("The e-mail %(email)s repeats in this file.", email=shown(email))
                )
            team = clean_text(
                raw.get("team"), field=columns.get("team", "team"), max_length=MAX_TEAM
            )
            values = StaffValues(name=name, email=email, team=team)
            _check_owner(values)
        except ValidationFailed as exc:
            preview.errors.append((row.line, str(exc)))
            continue
        seen.add(email)
        preview.good.append((row.line, values, _agent_by_email(email) is not None))
    preview.errors.sort()
    return preview


def import_staff(table: Table) -> StaffImportReport:
    """Create or update agents by e-mail and give each an employee user (new ones get a
    temporary password, listed once). Each row is stored in its own savepoint."""
    preview = preview_staff(table)
    stored = store_rows(
        ((line, values) for line, values, _exists in preview.good),
        unchanged,
        _store,
        lambda values: _(
            "The e-mail %(email)s could not be stored; import the file again.",
            email=shown(values.email),
        ),
        refusals=(IntegrityError, ValidationFailed, Conflict),
    )
    return StaffImportReport(
        created=stored.created,
        updated=stored.updated,
        invitations=[invitation for invitation in stored.results if invitation is not None],
        errors=sorted(preview.errors + stored.errors),
    )


def _store(values: StaffValues) -> tuple[Invitation | None, bool]:
    agent = _agent_by_email(values.email)
    created = agent is None
    if agent is None:
        agent = Agent(name=values.name, email=values.email)
        db.session.add(agent)
    agent.name = values.name
    agent.team = values.team
    db.session.flush()
    user = find_user(values.email)
    if user is None:
        return invite(agent, values.email), created
    user.name = values.name
    if user.agent_id is None:
        user.agent = agent
    db.session.flush()
    return None, created
