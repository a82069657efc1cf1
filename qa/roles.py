"""Who may do what: the single table of roles and areas.

Every view declares its area with :func:`requires`. tests/web/test_route_matrix.py checks every
route of the URL map against a policy written out there, independently of this table: a new
route, or a role added to an area, fails it until the expectation is written down too.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

ADMIN = "admin"
QA_LEAD = "qa_lead"
REVIEWER = "reviewer"
MARKETING = "marketing"
# Mystery shopping: shoppers see only their own assignments; location managers only the
# locations they manage.
SHOPPER = "shopper"
LOCATION_MANAGER = "location_manager"
# Employees (sellers, appointment setters, marketers) linked to their agent record: they see
# only their own calls, reviews and results.
EMPLOYEE = "employee"
STAFF = (ADMIN, QA_LEAD, REVIEWER, MARKETING)
ROLES = (*STAFF, SHOPPER, LOCATION_MANAGER, EMPLOYEE)
ROLE_LABELS = {
    ADMIN: _l("Administrator"),
    QA_LEAD: _l("QA lead"),
    REVIEWER: _l("QA reviewer"),
    MARKETING: _l("Marketing"),
    SHOPPER: _l("Mystery shopper"),
    LOCATION_MANAGER: _l("Location manager"),
    EMPLOYEE: _l("Employee"),
}

# area -> roles allowed. Admin is in every area.
AREAS: dict[str, frozenset[str]] = {
    "account": frozenset(ROLES),
    # The API's description: staff only (shoppers and location managers see no integration).
    "api_docs": frozenset(STAFF),
    "calls.view": frozenset({ADMIN, QA_LEAD, REVIEWER, MARKETING}),
    "calls.edit": frozenset({ADMIN, QA_LEAD, REVIEWER}),
    "reviews": frozenset({ADMIN, QA_LEAD, REVIEWER}),
    # Comments on calls and review items (and replies, edits, deletions): who sees a call or a
    # review is decided per object in qa.services.quality.comments (may_see_call,
    # may_see_review): staff by role, an employee on their own calls and reviews only.
    "comments": frozenset({ADMIN, QA_LEAD, REVIEWER, MARKETING, EMPLOYEE}),
    "scorecards": frozenset({ADMIN, QA_LEAD}),
    "trackers": frozenset({ADMIN, QA_LEAD}),
    # Deciding on reviewers' corrections of objection flags (marking them is calls.edit).
    "corrections": frozenset({ADMIN, QA_LEAD}),
    "sampling": frozenset({ADMIN, QA_LEAD}),
    "calibration": frozenset({ADMIN, QA_LEAD}),
    "jobs": frozenset({ADMIN, QA_LEAD}),
    "ads": frozenset({ADMIN, MARKETING}),
    "campaigns": frozenset({ADMIN, MARKETING}),
    "leads": frozenset({ADMIN, MARKETING}),
    "dashboard": frozenset({ADMIN, MARKETING}),
    "users": frozenset({ADMIN}),
    "settings": frozenset({ADMIN}),
    "api_tokens": frozenset({ADMIN}),
    # The audit trail: who viewed recordings and transcripts, who changed or deleted what.
    "audit": frozenset({ADMIN}),
    # Deleting a customer's personal data on request, and the deletion records.
    "privacy": frozenset({ADMIN}),
    # Mystery shopping: QA leads set up locations, scenarios and waves and edit the reports.
    "mystery": frozenset({ADMIN, QA_LEAD}),
    # Deciding disputes about reviews (calls, mystery shops) and raising them for call reviews.
    "disputes": frozenset({ADMIN, QA_LEAD}),
    # A shopper's own assignments (an admin opens the page too, and sees only theirs).
    "shopping": frozenset({ADMIN, SHOPPER}),
    # A location manager's own locations and the visits to them.
    "managed_locations": frozenset({ADMIN, LOCATION_MANAGER}),
    # An employee's own work: their calls, reviews, results (an admin opens it too).
    "my_work": frozenset({ADMIN, EMPLOYEE}),
    # Coaching: the QA team keeps calls and moments as examples and reads the library; QA leads
    # assign examples to employees, who see only those assigned to them (an admin sees theirs).
    "coaching.create": frozenset({ADMIN, QA_LEAD, REVIEWER}),
    "coaching.library": frozenset({ADMIN, QA_LEAD, REVIEWER}),
    "coaching.assign": frozenset({ADMIN, QA_LEAD}),
    "coaching.mine": frozenset({ADMIN, EMPLOYEE}),
    # Pay tied to results: KPI plans, the team's statements, approval, payroll export, the
    # appointments import and decisions on disputed pay lines. Pay is personal: admins only.
    "pay": frozenset({ADMIN}),
    # An employee's own pay: the live estimate, their approved statements, disputing a line
    # (an admin opens these pages too and sees every statement).
    "my_pay": frozenset({ADMIN, EMPLOYEE}),
}

F = TypeVar("F", bound=Callable[..., Any])


def can(role: str | None, area: str) -> bool:
    """True when ``role`` may use ``area``."""
    return role in AREAS[area]


def requires(area: str) -> Callable[[F], F]:
    """Require a logged-in user whose role may use ``area`` (403 otherwise)."""
    if area not in AREAS:
        raise KeyError(f"unknown area {area!r}")

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not can(current_user.role, area):
                abort(403)
            return view(*args, **kwargs)

        guarded = login_required(wrapped)
        guarded.access_area = area  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorator
