"""A pay statement as a dispute subject: what is pay-specific about disputing one of its lines.

The flow (window, reason, one open dispute per line, notifications, the decision) is the one of
:mod:`qa.services.quality.disputes`; this only says who raises (the employee, on their own
approved statement), who decides (admins), what the lines are and where each reader sees it. An
upheld line is corrected by fixing the data and calculating the month again: the frozen
statement stays as it was and the correction is a new version, linked from the dispute.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from qa.models import Dispute, PayStatement, User
from qa.roles import ADMIN, EMPLOYEE
from qa.services.errors import NotFound
from qa.services.pay.statements import can_see, shown_lines
from qa.services.quality.dispute_subject import DisputeSubject
from qa.services.validation import shown


class PayLines(DisputeSubject):
    """A statement whose lines its employee disputes; admins decide."""

    deciders = frozenset({ADMIN})
    resolve_endpoint = "pay.resolve"

    def __init__(self, statement: PayStatement) -> None:
        self.statement = statement

    def exists(self) -> bool:
        return self.statement.id is not None

    def final_since(self) -> datetime | None:
        return self.statement.approved_at if self.statement.frozen else None

    def may_raise(self, user: User) -> bool:
        return (
            user.role == EMPLOYEE
            and user.agent_id is not None
            and user.agent_id == self.statement.agent_id
            and self.statement.frozen
        )

    def check_visible(self, user: User) -> None:
        if not can_see(self.statement, user):
            raise NotFound(_("Nothing was found at this address."))

    def choices(self) -> list[tuple[str, str]]:
        return [(line.key, line.text) for line in shown_lines(self.statement.lines)]

    def unknown_item(self, key: object) -> str:
        return _("Unknown line: %(key)s.", key=shown(key))

    def refused(self) -> str:
        return _("You may not dispute this statement.")

    def key_of(self) -> dict[str, Any]:
        return {"statement": self.statement}

    def disputes_where(self) -> Any:
        return Dispute.statement_id == self.statement.id

    def link(self, dispute: Dispute, reader: User) -> str:
        # One page for both: the employee's own statement (it shows the decision), where an
        # admin decides.
        return f"/pay/statements/{self.statement.id}#disputes"

    def params(self, dispute: Dispute) -> dict[str, Any]:
        return {
            "statement_id": self.statement.id,
            "month": self.statement.period.isoformat(),
            "item": dict(self.choices()).get(dispute.item_key, dispute.item_key),
        }
