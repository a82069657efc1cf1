"""The editor's validation of a mystery-shop report: correct scores, return, approve, publish.

Scores are corrected through the review editing code, so every correction is a revision with
who and when; every state change goes through :func:`assignments.move`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask_babel import gettext as _

from qa.models import Review, ShopAssignment, User
from qa.services.errors import Conflict, NotAllowed, ValidationFailed
from qa.services.mystery import assignments as assignment_service
from qa.services.quality.disputes import report_review
from qa.services.quality.reviews import save_review
from qa.services.validation import clean_text, sane_date
from qa.timefmt import local_today

# The editor corrects scores before the report is published (disputes change them after).
CORRECTABLE = ("submitted", "approved")


def correct_scores(
    assignment: ShopAssignment, user: User, *, values: Mapping[str, str],
    comments: Mapping[str, str], comment: str | None, expected_version: int | None,
) -> Review:
    """Save the editor's answers as a new revision of the report's review."""
    if user.role not in assignment_service.EDITORS:
        raise NotAllowed(_("Only an editor corrects the scores."))
    if assignment.state not in CORRECTABLE:
        raise Conflict(_("Scores are corrected only before the report is published."))
    review = report_review(assignment)
    if review is None:
        raise Conflict(_("This visit has no scored report yet."))
    return save_review(
        review.subject, review.scorecard_version, user,  # type: ignore[arg-type]
        values=values, comments=comments, comment=comment, review=review,
        expected_version=expected_version,
    )


def return_to_shopper(
    assignment: ShopAssignment, user: User, comment: object, due_on: date | None
) -> None:
    """Send the report back with what to fix and a new deadline (today or later)."""
    text = clean_text(comment, field=_("Comment"), max_length=2000, required=True,
                      multiline=True)
    if due_on is None:
        raise ValidationFailed(_("Give the shopper a new deadline."))
    sane_date(due_on, field=_("New deadline"))
    if due_on < local_today():
        raise ValidationFailed(_("The new deadline cannot be in the past."))
    assignment_service.move(assignment, "returned", user, text)
    assignment.due_on = due_on
