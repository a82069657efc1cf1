"""The life of a mystery-shopping assignment: who may move it from which state to which.

Every change goes through :func:`move`, which checks the transition and the user's part in the
assignment and records an :class:`~qa.models.AssignmentEvent`. Later steps (the shopper's
report, the editor's checks, disputes) call it rather than setting ``state`` themselves.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from sqlalchemy import case, select

from qa.extensions import db
from qa.models import AssignmentEvent, Location, ShopAssignment, User, Wave
from qa.roles import ADMIN, LOCATION_MANAGER, QA_LEAD
from qa.services.errors import Conflict, NotAllowed, NotFound
from qa.services.validation import clean_text
from qa.vocabulary import SHOP_STATE

EDITORS = frozenset({ADMIN, QA_LEAD})


def _is_shopper(assignment: ShopAssignment, user: User) -> bool:
    return assignment.shopper_id == user.id


def _is_editor(assignment: ShopAssignment, user: User) -> bool:
    return user.role in EDITORS


def _is_manager(assignment: ShopAssignment, user: User) -> bool:
    return user.role == LOCATION_MANAGER and assignment.location.manager_id == user.id


def _is_lead(assignment: ShopAssignment, user: User) -> bool:
    return user.role in EDITORS


# (from, to) -> who may make the move.
TRANSITIONS: dict[tuple[str, str], Callable[[ShopAssignment, User], bool]] = {
    ("scheduled", "in_progress"): _is_shopper,
    ("returned", "in_progress"): _is_shopper,
    ("in_progress", "submitted"): _is_shopper,
    ("submitted", "returned"): _is_editor,
    ("submitted", "approved"): _is_editor,
    ("approved", "published"): _is_editor,
    ("published", "disputed"): _is_manager,
    ("disputed", "resolved"): _is_lead,
}
# What a member of staff may do from the assignment page (the shopper starts on their own page).
STAFF_MOVES = ("returned", "approved", "published", "resolved")


def move(
    assignment: ShopAssignment, to_state: str, user: User, comment: str | None = None
) -> AssignmentEvent:
    """Move ``assignment`` to ``to_state`` on behalf of ``user`` and record the event.

    Raises NotFound for a shopper or manager acting on an assignment that is not theirs (they
    must not learn it exists), NotAllowed for a move their role does not make, and Conflict for
    a move the current state does not allow (someone else moved it first).
    """
    if to_state not in SHOP_STATE:
        raise Conflict(_("Unknown state: %(state)s.", state=to_state[:40]))
    note = clean_text(comment, field=_("Comment"), max_length=2000, multiline=True)
    if not can_see(assignment, user):
        raise NotFound(_("Nothing was found at this address."))
    allowed = TRANSITIONS.get((assignment.state, to_state))
    if allowed is None:
        raise Conflict(_("The assignment is %(state)s; it cannot become %(to)s.",
                         state=SHOP_STATE.label(assignment.state),
                         to=SHOP_STATE.label(to_state)))
    if not allowed(assignment, user):
        raise NotAllowed(_("You may not move this assignment to %(to)s.",
                           to=SHOP_STATE.label(to_state)))
    event = AssignmentEvent(assignment=assignment, user=user, from_state=assignment.state,
                            to_state=to_state, comment=note)
    assignment.state = to_state
    db.session.add(event)
    db.session.flush()
    return event


def can_see(assignment: ShopAssignment, user: User) -> bool:
    """Staff see every assignment; a shopper only theirs; a manager those at their locations."""
    if user.role in EDITORS:
        return True
    if _is_shopper(assignment, user):
        return True
    return _is_manager(assignment, user)


def moves_for(assignment: ShopAssignment, user: User) -> list[str]:
    """The states ``user`` may move the assignment to now."""
    return [
        to for (frm, to), allowed in TRANSITIONS.items()
        if frm == assignment.state and allowed(assignment, user)
    ]


def get_for(assignment_id: int, user: User) -> ShopAssignment:
    """The assignment if ``user`` may see it; NotFound otherwise (as if it did not exist)."""
    assignment = db.session.get(ShopAssignment, assignment_id)
    if assignment is None or not can_see(assignment, user):
        raise NotFound(_("Nothing was found at this address."))
    return assignment


_OPEN_FIRST = case(
    (ShopAssignment.state.in_(("scheduled", "in_progress", "returned")), 0), else_=1
)


def for_shopper(user: User) -> list[ShopAssignment]:
    """The shopper's own assignments: open ones first, the soonest window first."""
    query = (
        select(ShopAssignment)
        .join(ShopAssignment.wave)
        .where(ShopAssignment.shopper_id == user.id)
        .order_by(_OPEN_FIRST, Wave.starts_on, ShopAssignment.id)
    )
    return list(db.session.scalars(query))


def at_managed_locations(user: User) -> list[ShopAssignment]:
    """Visits to the locations ``user`` manages, newest window first."""
    query = (
        select(ShopAssignment)
        .join(ShopAssignment.wave)
        .join(ShopAssignment.location)
        .where(Location.manager_id == user.id)
        .order_by(Wave.starts_on.desc(), ShopAssignment.id)
    )
    return list(db.session.scalars(query))
