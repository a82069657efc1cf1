from __future__ import annotations

from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from qa.calls.views import call_page
from qa.comments.views import review_comments
from qa.errors import back_on_error, show_form_on_error
from qa.extensions import db
from qa.models import Call, Review, SamplingRule, ScorecardVersion
from qa.models.review import DUPLICATE
from qa.reviews import bp
from qa.reviews.disputes import decide_from_form, raise_from_form
from qa.reviews.forms import (
    ActionForm,
    DisputeForm,
    ResolveDisputeForm,
    ReviewFilterForm,
    ReviewForm,
    SamplingRuleForm,
    int_or_none,
    item_values,
)
from qa.roles import requires
from qa.services.calls import trackers as tracker_service
from qa.services.errors import NotFound, ValidationFailed
from qa.services.quality import disputes as dispute_service
from qa.services.quality import drafts as draft_service
from qa.services.quality import own_work
from qa.services.quality import reviews as review_service
from qa.services.quality import sampling as sampling_service
from qa.services.quality import scorecards as scorecard_service
from qa.services.quality import subjects as subject_service
from qa.services.validation import MAX_ID, page_number, record_id
from qa.timefmt import format_moment
from qa.urls import safe_next
from qa.vocabulary import OBJECTION_FLAG


@bp.route("/")
@requires("reviews")
def index():  # type: ignore[no-untyped-def]
    form = ReviewFilterForm(request.args)
    reviewers, agents = review_service.filter_choices()
    form.reviewer.choices = [("", _("Any reviewer"))] + [(u.id, u.name) for u in reviewers]
    form.agent.choices = [("", _("Any agent"))] + [(a.id, a.name) for a in agents]
    form.validate()
    # A field the user got wrong is flagged on the form and left out of the filters.
    valid = {field.name: (None if field.errors else field.data) for field in form}
    filters = review_service.ReviewFilters(
        reviewer_id=valid["reviewer"],
        agent_id=valid["agent"],
        date_from=valid["date_from"],
        date_to=valid["date_to"],
        score_min=valid["score_min"],
        score_max=valid["score_max"],
    )
    page = page_number(request.args.get("page"))
    pagination = review_service.list_reviews(filters, page, current_app.config["PAGE_SIZE"])
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("reviews/index.html", pagination=pagination, form=form, args=args), (
        400 if form.errors else 200
    )


@bp.route("/queue")
@requires("reviews")
def queue():  # type: ignore[no-untyped-def]
    open_items, done = sampling_service.my_queue(current_user)
    return render_template("reviews/queue.html", open_items=open_items, done=done)


def _score_page(call: Call, status: int = 200, **context: Any):  # type: ignore[no-untyped-def]
    context["call"] = call
    return render_template("reviews/score.html", **context), status


@bp.route("/call/<int:call_id>", methods=["GET", "POST"])
@requires("reviews")
def submit(call_id: int):  # type: ignore[no-untyped-def]
    call = db.get_or_404(Call, call_id)
    if request.method == "GET":
        context = review_service.scorecard_form_context(
            call,
            current_user,
            template_id=record_id(request.args.get("template"), field="template"),
            review_id=record_id(request.args.get("review"), field="review"),
        )
        context.pop("call")
        return _score_page(call, next_url=safe_next(request.args.get("next")), **context)

    form = ReviewForm()
    review, version = _posted_scorecard(form, call)
    keys = [item.key for item in scorecard_service.definition_of(version).items]
    values, comments = item_values(request.form, keys)
    submitted = {k: {"value": values[k], "comment": comments[k]} for k in keys}
    next_url = safe_next(form.next.data)
    context = {
        "scorecard_version": version,
        "suggestions": review_service.suggestions_for(call, version),
        "answers": submitted,
        "overall_comment": form.comment.data or "",
        "next_url": next_url,
        "templates": [],
        "draft": None,  # what was posted is shown, not the stored draft
    }
    missing = [key for key in keys if not values[key]]

    def form_again(status: int = 400, **extra: Any) -> Any:
        """The form with the reviewer's answers; from the call page, the call page again."""
        shown = {**context, "review": review, "missing": missing, **extra}
        if form.page.data == "call":
            return call_page(call, scorecard=shown, status=status)
        return _score_page(call, status, **shown)

    show_form_on_error(lambda: form_again(form_version=int_or_none(form.version.data))[0])
    if not form.validate_on_submit():
        raise ValidationFailed(_("The form could not be read; please try again."))
    try:
        saved = review_service.save_review(
            subject_service.subject_for_call(call),
            version,
            current_user,
            values=values,
            comments=comments,
            comment=form.comment.data,
            review=review,
            expected_version=int_or_none(form.version.data),
        )
    except review_service.AlreadyReviewed as exc:
        # A second click on "save": the first one's review is what the reviewer wants to see.
        stored_id = exc.review.id
        db.session.rollback()
        flash(str(exc), "info")
        return redirect(url_for("reviews.detail", review_id=stored_id), 303)
    except review_service.ReviewConflict as exc:
        # Shown with the stored review beside the user's answers, so they can merge by hand.
        db.session.rollback()
        current = db.get_or_404(Review, review.id) if review else None
        flash(str(exc), "danger")
        return form_again(409, review=current, conflict=True, missing=[])
    if review is None:
        own_work.tell_reviewed(saved, current_user)
    db.session.commit()
    if saved.score is None:
        flash(_("Review saved: no item applied, so there is no score."), "success")
    else:
        flash(_("Review saved: %(score).0f%%.", score=saved.score), "success")
    if form.then.data == "next":
        return redirect(_next_in_queue(saved))
    return redirect(next_url or url_for("reviews.detail", review_id=saved.id))


def _posted_scorecard(form: ReviewForm, call: Call) -> tuple[Review | None, ScorecardVersion]:
    """The review being changed (if any) and the scorecard version a posted form is for."""
    if form.review_id.data:
        review = _posted_row(Review, form.review_id.data)
        # Calibration answers and kept duplicates are not edited here (the form shows neither).
        if (
            review.call is not call
            or review.calibration_session_id is not None
            or review.status == DUPLICATE
        ):
            abort(404)
        return review, review.scorecard_version
    return None, _posted_row(ScorecardVersion, form.scorecard_version_id.data)


def _posted_row(model: Any, raw: object) -> Any:
    """The row a hidden id field names; 404 for no such row (nor an id past any database's)."""
    number = int_or_none(raw) or 0
    if not 0 < number <= MAX_ID:
        abort(404)
    return db.get_or_404(model, number)


def _next_in_queue(saved: Review) -> str:
    """The call page of the reviewer's next open queue item, else the queue (it is empty)."""
    following = sampling_service.next_in_queue(current_user, skip_subject_id=saved.subject_id)
    if following is None or following.call is None:
        flash(_("Your queue is empty: nothing more to review."), "info")
        return url_for("reviews.queue")
    return url_for("calls.detail", call_id=following.call.id, _anchor="scorecard")


@bp.route("/call/<int:call_id>/draft", methods=["POST"])
@requires("reviews")
def save_draft(call_id: int):  # type: ignore[no-untyped-def]
    """Keep the scorecard form as it is now (the page saves it as the reviewer answers)."""
    call = db.get_or_404(Call, call_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        return jsonify(error=_("The form could not be read; please try again.")), 400
    review, version = _posted_scorecard(form, call)
    keys = [item.key for item in scorecard_service.definition_of(version).items]
    values, comments = item_values(request.form, keys)
    try:
        draft = draft_service.save_draft(
            call,
            version,
            current_user,
            values=values,
            comments=comments,
            comment=form.comment.data,
            review=review,
        )
    except ValidationFailed as exc:
        db.session.rollback()
        return jsonify(error=str(exc)), 400
    db.session.commit()
    return jsonify(saved=_("Draft saved at %(time)s", time=format_moment(draft.updated_at)))


@bp.route("/<int:review_id>")
@requires("reviews")
def detail(review_id: int):  # type: ignore[no-untyped-def]
    review = db.get_or_404(Review, review_id)
    if review.calibration_session_id is not None:
        # Calibration answers are shown only in the session, to keep them blind.
        abort(404)
    breakdown = review_service.review_breakdown(review)
    return render_template(
        "reviews/detail.html",
        review=review,
        breakdown=breakdown,
        dispute=dispute_service.page_context(review, current_user),
        dispute_form=DisputeForm(choices=dispute_service.item_choices(review)),
        resolve_form=ResolveDisputeForm(),
        raise_url=url_for("reviews.dispute_raise", review_id=review.id),
        **review_comments(review),
    )


def _rule_form(rule: SamplingRule | None) -> SamplingRuleForm:
    form = SamplingRuleForm(obj=rule)
    if rule is not None and request.method == "GET":
        form.template.data = rule.template_id
        form.reviewer.data = rule.reviewer_id
    form.template.choices = [("", _("Default scorecard"))] + [
        (t.id, t.name) for t in scorecard_service.list_templates()
    ]
    form.reviewer.choices = [("", _("Round-robin among active reviewers"))] + [
        (u.id, u.name) for u in sampling_service.active_reviewers()
    ]
    trackers = {t.label for t in tracker_service.list_trackers()}
    if rule is not None and rule.flag_label:
        trackers.add(rule.flag_label)  # a tracker deleted since keeps its rule's label
    trackers -= set(OBJECTION_FLAG.values)
    form.flag_label.choices = [
        *OBJECTION_FLAG.choices(_l("No flag")),
        *((label, _("Tracker: %(label)s", label=label)) for label in sorted(trackers)),
    ]
    return form


def _save_rule(form: SamplingRuleForm, rule: SamplingRule | None) -> SamplingRule:
    saved = sampling_service.save_rule(
        rule,
        name=form.name.data or "",
        kind=form.kind.data or "",
        count=form.count.data,
        period=form.period.data or "",
        flag_label=form.flag_label.data,
        template_id=form.template.data,
        reviewer_id=form.reviewer.data,
        active=bool(form.active.data),
        user=current_user,
    )
    db.session.commit()
    flash(_("Rule “%(name)s” saved.", name=saved.name), "success")
    return saved


@bp.route("/sampling", methods=["GET", "POST"])
@requires("sampling")
def sampling():  # type: ignore[no-untyped-def]
    form = _rule_form(None)
    page = show_form_on_error(
        lambda: render_template(
            "reviews/sampling.html",
            form=form,
            rules=sampling_service.list_rules(),
            action_form=ActionForm(),
        )
    )
    if form.validate_on_submit():
        _save_rule(form, None)
        return redirect(url_for("reviews.sampling"))
    return page(), (400 if request.method == "POST" else 200)


@bp.route("/sampling/<int:rule_id>", methods=["GET", "POST"])
@requires("sampling")
def sampling_edit(rule_id: int):  # type: ignore[no-untyped-def]
    rule = db.get_or_404(SamplingRule, rule_id)
    form = _rule_form(rule)
    page = show_form_on_error(
        lambda: render_template("reviews/sampling_edit.html", form=form, rule=rule)
    )
    if form.validate_on_submit():
        _save_rule(form, rule)
        return redirect(url_for("reviews.sampling"))
    return page(), (400 if request.method == "POST" else 200)


@bp.route("/sampling/<int:rule_id>/run", methods=["POST"])
@requires("sampling")
def sampling_run_rule(rule_id: int):  # type: ignore[no-untyped-def]
    rule = db.get_or_404(SamplingRule, rule_id)
    back_on_error(url_for("reviews.sampling"))
    if ActionForm().validate_on_submit():
        created = sampling_service.run_rule(rule)
        db.session.commit()
        flash(
            ngettext("%(num)d call assigned.", "%(num)d calls assigned.", len(created)), "success"
        )
    return redirect(url_for("reviews.sampling"))


@bp.route("/sampling/run", methods=["POST"])
@requires("sampling")
def sampling_run_all():  # type: ignore[no-untyped-def]
    if ActionForm().validate_on_submit():
        result = sampling_service.run_active_rules()
        db.session.commit()
        for problem in result.problems:
            flash(problem, "danger")
        flash(
            ngettext("%(num)d call assigned.", "%(num)d calls assigned.", result.total), "success"
        )
    return redirect(url_for("reviews.sampling"))


@bp.route("/<int:review_id>/disputes", methods=["POST"])
@requires("disputes")
def dispute_raise(review_id: int):  # type: ignore[no-untyped-def]
    """A QA lead disputes a call review on the agent's behalf."""
    review = db.get_or_404(Review, review_id)
    return raise_from_form(
        review,
        DisputeForm(choices=dispute_service.item_choices(review)),
        url_for("reviews.detail", review_id=review.id),
        _("Dispute saved."),
    )


@bp.route("/disputes/<int:dispute_id>/resolve", methods=["POST"])
@requires("disputes")
def dispute_resolve(dispute_id: int):  # type: ignore[no-untyped-def]
    """A QA lead upholds or rejects a dispute; an upheld one may change the item's answer."""
    try:
        dispute = dispute_service.get_dispute(dispute_id, current_user)
    except NotFound:
        abort(404)
    if dispute.review is None:  # a pay statement's line: decided on the statement's page
        abort(404)
    subject = subject_service.describe(dispute.review.subject)
    back = url_for(subject.endpoint, **subject.endpoint_args)
    return decide_from_form(dispute, ResolveDisputeForm(), back)
