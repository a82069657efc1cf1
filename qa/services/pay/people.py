"""Finding the person a file or the API names: by e-mail, else by exact name."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from qa.extensions import db
from qa.models import Agent
from qa.services.errors import ValidationFailed
from qa.services.validation import shown


def agent_named(text: str | None, *, field: str) -> Agent | None:
    """The agent with this e-mail or name (None for empty text); ValidationFailed otherwise."""
    if not text:
        return None
    query = (
        select(Agent)
        .where((func.lower(Agent.email) == text.lower()) | (Agent.name == text))
        .order_by(Agent.id)
        .limit(2)
    )
    found = list(db.session.scalars(query))
    if len(found) != 1:
        message = (
            _("%(field)s: no employee %(value)s.", field=field, value=shown(text))
            if not found
            else _(
                "%(field)s: several employees are called %(value)s; use the e-mail.",
                field=field,
                value=shown(text),
            )
        )
        raise ValidationFailed(message)
    return found[0]
