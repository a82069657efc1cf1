from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qa.calibration import bp
from qa.calibration.forms import CalibrationSessionForm
from qa.errors import back_on_error, show_form_on_error
from qa.extensions import db
from qa.models import CalibrationSession
from qa.reviews.forms import ActionForm, ReviewForm, int_or_none, item_values
from qa.roles import can, requires
from qa.services.errors import Conflict, NotFound, ValidationFailed
from qa.services.quality import calibration as calibration_service
from qa.services.quality import reviews as review_service
from qa.services.quality import scorecards as scorecard_service
from qa.services.quality import subjects as subject_service


def _session_or_404(session_id: int) -> CalibrationSession:
    session = db.get_or_404(CalibrationSession, session_id)
    if not calibration_service.can_view(session, current_user):
        abort(403)
    return session


@bp.route("/")
@requires("reviews")
def index():  # type: ignore[no-untyped-def]
    sessions = calibration_service.list_sessions(current_user)
    return render_template("calibration/index.html", sessions=sessions)


@bp.route("/new", methods=["GET", "POST"])
@requires("calibration")
def new():  # type: ignore[no-untyped-def]
    form = CalibrationSessionForm()
    templates, calls, people = calibration_service.form_choices()
    form.template.choices = [(t.id, t.name) for t in templates]
    form.calls.choices = [
        (c.id, f"{c.display_title} · {c.agent.name if c.agent else '–'}") for c in calls
    ]
    form.participants.choices = [(u.id, u.name) for u in people]
    page = show_form_on_error(lambda: render_template("calibration/new.html", form=form))
    if form.validate_on_submit():
        session = calibration_service.create_session(
            name=form.name.data or "",
            template_id=form.template.data,
            call_ids=form.calls.data or [],
            participant_ids=form.participants.data or [],
            consensus=form.consensus.data or "",
            user=current_user,
        )
        db.session.commit()
        flash(_("Calibration session started."), "success")
        return redirect(url_for("calibration.detail", session_id=session.id))
    return page(), (400 if request.method == "POST" else 200)


@bp.route("/<int:session_id>")
@requires("reviews")
def detail(session_id: int):  # type: ignore[no-untyped-def]
    session = _session_or_404(session_id)
    return render_template(
        "calibration/detail.html",
        session=session,
        progress=calibration_service.progress(session),
        action_form=ActionForm(),
    )


@bp.route("/<int:session_id>/subjects/<int:subject_id>", methods=["GET", "POST"])
@requires("reviews")
def score(session_id: int, subject_id: int):  # type: ignore[no-untyped-def]
    session = _session_or_404(session_id)
    try:
        subject = calibration_service.session_subject(session, subject_id)
        calibration_service.check_can_score(session, current_user)
    except NotFound:
        abort(404)
    except ValidationFailed:
        abort(403)
    except Conflict as exc:
        flash(str(exc), "warning")
        return redirect(url_for("calibration.detail", session_id=session.id))
    version = session.scorecard_version
    review = calibration_service.own_review(session, subject, current_user)
    call = subject.call
    context = {
        "scorecard_version": version,
        "suggestions": review_service.suggestions_for(call, version) if call else {},
        "review": review,
        "calibration_session": session,
        "form_action": url_for("calibration.score", session_id=session.id, subject_id=subject.id),
        "other_reviews": [],
        "templates": [],
        "evidence_template": subject_service.describe(subject).evidence_template,
    }
    if request.method == "GET":
        return render_template("reviews/score.html", call=call, **context)
    form = ReviewForm()
    keys = [item.key for item in scorecard_service.definition_of(version).items]
    values, comments = item_values(request.form, keys)
    submitted = {k: {"value": values[k], "comment": comments[k]} for k in keys}
    show_form_on_error(
        lambda: render_template(
            "reviews/score.html", call=call, **context,
            answers=submitted, overall_comment=form.comment.data or "",
        )
    )
    if not form.validate_on_submit():
        raise ValidationFailed(_("The form could not be read; please try again."))
    try:
        review_service.save_review(
            subject, version, current_user, values=values, comments=comments,
            # A form opened before the first save carries no version: it is a second submit.
            comment=form.comment.data, review=review if form.version.data else None,
            expected_version=int_or_none(form.version.data),
            calibration_session_id=session.id,
        )
    except review_service.AlreadyReviewed as exc:
        # A second click on "save": the first one's answers are stored and stay blind.
        db.session.rollback()
        flash(str(exc), "info")
        return redirect(url_for("calibration.detail", session_id=session.id), 303)
    except Conflict as exc:
        # Shown with the stored answers, so the reviewer can merge by hand.
        db.session.rollback()
        flash(str(exc), "danger")
        context.update(
            answers=submitted, overall_comment=form.comment.data or "", conflict=True,
            review=calibration_service.own_review(session, subject, current_user),
        )
        return render_template("reviews/score.html", call=call, **context), 409
    db.session.commit()
    flash(_("Your calibration answers are saved. Others’ answers appear when the session closes."),
          "success")
    return redirect(url_for("calibration.detail", session_id=session.id))


@bp.route("/<int:session_id>/close", methods=["POST"])
@requires("calibration")
def close(session_id: int):  # type: ignore[no-untyped-def]
    session = db.get_or_404(CalibrationSession, session_id)
    back_on_error(url_for("calibration.detail", session_id=session.id))
    if ActionForm().validate_on_submit():
        calibration_service.close_session(session)
        db.session.commit()
        flash(_("Session closed: the report is ready."), "success")
        return redirect(url_for("calibration.report", session_id=session.id))
    return redirect(url_for("calibration.detail", session_id=session.id))


@bp.route("/<int:session_id>/report")
@requires("reviews")
def report(session_id: int):  # type: ignore[no-untyped-def]
    session = _session_or_404(session_id)
    if session.is_open:
        flash(_("The report is available once the session is closed."), "info")
        return redirect(url_for("calibration.detail", session_id=session.id))
    return render_template(
        "calibration/report.html",
        session=session,
        report=calibration_service.build_report(session),
        can_run=can(current_user.role, "calibration"),
    )
