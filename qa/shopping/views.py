from datetime import datetime
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qa.errors import back_on_error
from qa.extensions import db
from qa.models import ShopAssignment, ShopEvidence
from qa.roles import requires
from qa.services.errors import NotFound, ServiceError
from qa.services.mystery import assignments as assignment_service
from qa.services.mystery import evidence as evidence_service
from qa.services.mystery import reports as report_service
from qa.shopping import bp
from qa.shopping.forms import RemoveEvidenceForm, ReportForm, StartForm
from qa.timefmt import to_local


@bp.route("/")
@requires("shopping")
def mine():  # type: ignore[no-untyped-def]
    """The shopper's own assignments, open ones first."""
    return render_template(
        "shopping/mine.html",
        assignments=assignment_service.for_shopper(current_user),
        start_form=StartForm(),
    )


@bp.route("/<int:visit_id>/start", methods=["POST"])
@requires("shopping")
def start(visit_id: int):  # type: ignore[no-untyped-def]
    assignment = db.get_or_404(ShopAssignment, visit_id)
    if not assignment_service.can_see(assignment, current_user):
        abort(404)  # another shopper's: as if it did not exist
    back_on_error(url_for("shopping.mine"))
    if StartForm().validate_on_submit():
        assignment_service.move(assignment, "in_progress", current_user)
        db.session.commit()
        flash(_("Assignment started. Good luck!"), "success")
    return redirect(url_for("shopping.mine"))


def _local(moment: datetime | None) -> datetime | None:
    return to_local(moment).replace(tzinfo=None) if moment else None


def send_evidence(item: ShopEvidence) -> Response:
    """A kept photo or receipt as a download of its checked type, never rendered as a page; a
    recording whose audio was deleted (retention, a request) answers 410 with when and why."""
    gone = evidence_service.deleted_recording(item)
    if gone is not None:
        abort(410, description=gone.note)
    if item.kind == "recording" or item.mime_type not in evidence_service.SUFFIXES:
        abort(404)
    try:
        response = send_file(
            evidence_service.file_path(item), mimetype=item.mime_type, as_attachment=True,
            download_name=f"evidence-{item.id}.{evidence_service.SUFFIXES[item.mime_type]}",
            max_age=0,
        )
    except FileNotFoundError:
        abort(404)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _own(assignment_id: int) -> ShopAssignment:
    """The shopper's own assignment; any other id answers 404, as if it did not exist."""
    try:
        return report_service.own_assignment(assignment_id, current_user)
    except NotFound:
        abort(404)


def _answers_from(form: Any) -> tuple[dict[str, str], dict[str, str]]:
    values = {key[5:]: value for key, value in form.items() if key.startswith("item-")}
    comments = {key[8:]: value for key, value in form.items() if key.startswith("comment-")}
    return values, comments


def _render_report(assignment: ShopAssignment, form: ReportForm, status: int = 200):  # type: ignore[no-untyped-def]
    report = report_service.report_of(assignment)
    _version, definition = report_service.scorecard_of(assignment)
    return render_template(
        "shopping/report.html", assignment=assignment, report=report, form=form,
        definition=definition, answers=(report.answers if report else {}) or {},
        editable=assignment.state in report_service.EDITABLE,
        missing=report_service.missing(report) if report else [],
        deleted_recordings=evidence_service.deleted_recordings(report),
        remove_form=RemoveEvidenceForm(),
    ), status


@bp.route("/<int:visit_id>/report", methods=["GET", "POST"])
@requires("shopping")
def report(visit_id: int):  # type: ignore[no-untyped-def]
    """The shopper's report of one visit: one form, saved as a draft or submitted."""
    assignment = _own(visit_id)
    here = url_for("shopping.report", visit_id=assignment.id)
    back_on_error(here)
    saved = report_service.report_of(assignment)
    form = ReportForm(obj=None)
    if request.method == "GET" and saved is not None:
        form.started_at.data = _local(saved.visit_started_at)
        form.ended_at.data = _local(saved.visit_ended_at)
        form.seller.data = saved.seller
        form.wait_minutes.data = saved.wait_minutes
        form.narrative.data = saved.narrative
    if request.method == "GET":
        return _render_report(assignment, form)
    if not form.validate_on_submit():
        return _render_report(assignment, form, 400)
    values, comments = _answers_from(request.form)
    facts = report_service.VisitFacts(
        started_at=form.started_at.data, ended_at=form.ended_at.data, seller=form.seller.data,
        wait_minutes=form.wait_minutes.data, narrative=form.narrative.data,
    )
    draft = report_service.save_draft(assignment, current_user, facts, values, comments)
    refused = []
    uploads = [("recording", form.recording.data)]
    uploads += [("photo", item) for item in form.photos.data or []]
    uploads += [("receipt", item) for item in form.receipt.data or []]
    for kind, upload in uploads:
        if upload is None or not getattr(upload, "filename", ""):
            continue
        try:
            with db.session.begin_nested():
                if kind == "recording":
                    evidence_service.add_recording(draft, upload.stream, upload.filename,
                                                   current_user)
                else:
                    evidence_service.add_file(draft, kind, upload.stream, upload.filename)
        except ServiceError as exc:
            refused.append(str(exc))
    db.session.commit()
    for message in refused:
        flash(message, "danger")
    if form.submit.data and not refused:
        report_service.submit(assignment, current_user)
        db.session.commit()
        flash(_("Report submitted. Thank you!"), "success")
        return redirect(url_for("shopping.mine"))
    if not refused:
        flash(_("Draft saved."), "success")
    return redirect(here)


@bp.route("/<int:visit_id>/report/evidence/<int:evidence_id>/remove", methods=["POST"])
@requires("shopping")
def evidence_remove(visit_id: int, evidence_id: int):  # type: ignore[no-untyped-def]
    assignment = _own(visit_id)
    here = url_for("shopping.report", visit_id=assignment.id)
    back_on_error(here)
    item = db.get_or_404(ShopEvidence, evidence_id)
    if item.report.assignment_id != assignment.id:
        abort(404)
    if not RemoveEvidenceForm().validate_on_submit():
        abort(400)
    report_service.editable_report(assignment, current_user)
    evidence_service.remove(item)
    db.session.commit()
    flash(_("File removed."), "success")
    return redirect(here)


@bp.route("/evidence/<int:evidence_id>")
@requires("shopping")
def evidence_file(evidence_id: int):  # type: ignore[no-untyped-def]
    """A photo or receipt, back to the shopper who handed it in."""
    item = db.get_or_404(ShopEvidence, evidence_id)
    if item.report.assignment.shopper_id != current_user.id:
        abort(404)
    return send_evidence(item)
