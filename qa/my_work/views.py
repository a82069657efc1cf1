"""An employee's own work: overview, their calls (read-only) and reviews, acknowledge, dispute.

Every lookup goes through qa.services.quality.own_work: another employee's call or review id
is "not found", whether or not it exists.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qa.calls.media import recording_response
from qa.calls.views import MAX_START
from qa.comments.views import call_comments, review_comments
from qa.errors import back_on_error
from qa.extensions import db
from qa.models import Call, Review
from qa.my_work import bp
from qa.my_work.forms import AcknowledgeForm, DisputeForm
from qa.reviews.disputes import raise_from_form
from qa.reviews.forms import ResolveDisputeForm
from qa.roles import requires
from qa.services.calls import redaction_runs
from qa.services.calls import transcripts as transcript_service
from qa.services.errors import NotFound
from qa.services.pay import statements as statement_service
from qa.services.quality import coaching as coaching_service
from qa.services.quality import disputes as dispute_service
from qa.services.quality import own_work
from qa.services.quality import reviews as review_service
from qa.services.validation import finite_float


def _own_call(call_id: int) -> Call:
    try:
        return own_work.get_call(current_user, call_id)
    except NotFound:
        abort(404)


def _own_review(review_id: int) -> Review:
    try:
        return own_work.get_review(current_user, review_id)
    except NotFound:
        abort(404)


@bp.route("/")
@requires("my_work")
def overview():  # type: ignore[no-untyped-def]
    """Scores over time (call QA and mystery shops apart), objection rates, calls and reviews,
    and how many assigned coaching examples are still unseen; for someone paid on results,
    this month's pay estimate."""
    overview = own_work.overview(current_user)
    agent = overview.agent if overview is not None else None
    estimate = statement_service.estimate(agent) if agent and agent.pay_role else None
    return render_template(
        "my_work/overview.html",
        overview=overview,
        estimate=estimate,
        coaching_unseen=coaching_service.unseen_count(current_user),
    )


@bp.route("/calls/<int:call_id>")
@requires("my_work")
def call(call_id: int):  # type: ignore[no-untyped-def]
    """One of the employee's calls: player, transcript with comments, objection findings, its
    reviews."""
    item = _own_call(call_id)
    recording_state = redaction_runs.recording_for_viewer(
        item, current_user, request.args.get("original") == "1"
    )
    page = render_template(
        "my_work/call.html",
        call=item,
        recording_state=recording_state,
        page=transcript_service.build_call_page(
            item, current_user, request.args.get("original") == "1"
        ),
        start_at=max(
            0.0,
            finite_float(request.args.get("t"), field="t", minimum=None, maximum=MAX_START) or 0.0,
        ),
        recording_url=url_for(
            "my_work.recording",
            call_id=item.id,
            original=request.args.get("original") == "1" or None,
        ),
        reviews=[
            own_work.review_state(current_user, r)
            for r in own_work.reviews_of_call(current_user, item)
        ],
        **call_comments(item),
    )
    db.session.commit()  # the audit event of this view
    return page


@bp.route("/calls/<int:call_id>/recording")
@requires("my_work")
def recording(call_id: int):  # type: ignore[no-untyped-def]
    return recording_response(_own_call(call_id))


@bp.route("/reviews/<int:review_id>")
@requires("my_work")
def review(review_id: int):  # type: ignore[no-untyped-def]
    """The scorecard breakdown with item comments, Acknowledge, Dispute, and the disputes'
    outcome and history."""
    item = _own_review(review_id)
    return render_template(
        "my_work/review.html",
        review=item,
        breakdown=review_service.review_breakdown(item),
        state=own_work.review_state(current_user, item),
        acknowledged=dispute_service.acknowledgement_of(item, current_user),
        may_acknowledge=dispute_service.may_acknowledge(item, current_user),
        dispute=dispute_service.page_context(item, current_user),
        dispute_form=DisputeForm(choices=dispute_service.item_choices(item)),
        resolve_form=ResolveDisputeForm(),
        acknowledge_form=AcknowledgeForm(),
        raise_url=url_for("my_work.dispute", review_id=item.id),
        **review_comments(item),
    )


@bp.route("/reviews/<int:review_id>/acknowledge", methods=["POST"])
@requires("my_work")
def acknowledge(review_id: int):  # type: ignore[no-untyped-def]
    item = _own_review(review_id)
    if not AcknowledgeForm().validate_on_submit():
        abort(400)
    back_on_error(url_for("my_work.review", review_id=item.id))
    dispute_service.acknowledge(item, current_user)
    db.session.commit()
    flash(_("Review acknowledged."), "success")
    return redirect(url_for("my_work.review", review_id=item.id))


@bp.route("/reviews/<int:review_id>/disputes", methods=["POST"])
@requires("my_work")
def dispute(review_id: int):  # type: ignore[no-untyped-def]
    """The employee disputes one item of the review, or the whole review, with a reason."""
    item = _own_review(review_id)
    return raise_from_form(
        item,
        DisputeForm(choices=dispute_service.item_choices(item)),
        url_for("my_work.review", review_id=item.id),
        _("Dispute saved. A QA lead will decide it."),
    )
