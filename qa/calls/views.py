"""Calls list, upload, the call page with its player and transcript, corrections and exports."""

from __future__ import annotations

import mimetypes
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from jinja2 import TemplateNotFound

from qa.calls import bp
from qa.calls.forms import (
    ActionForm,
    CallFilterForm,
    CorrectionForm,
    SpeakerForm,
    UploadForm,
)
from qa.extensions import db
from qa.models import Call, TranscriptSegment
from qa.roles import can, requires
from qa.services.calls import listing as call_service
from qa.services.calls import transcripts as transcript_service
from qa.services.calls.conversation_facts import conversation_facts
from qa.services.calls.recordings import recording_abspath
from qa.services.errors import ServiceError, ValidationFailed
from qa.timefmt import company_zone, stored_from_local
from qa.urls import safe_next
from qa.vocabulary import OBJECTION_FLAG, SPEAKER

SCORECARD_PARTIAL = "reviews/_scorecard_form.html"


@bp.app_context_processor
def call_labels() -> dict[str, Any]:
    """Names of flags (objections; tracker labels show as they are) and speakers, by value."""
    return {
        "flag_labels": {term.value: term.label for term in OBJECTION_FLAG},
        "speaker_labels": {term.value: term.label for term in SPEAKER},
    }


def fill_filter_choices(form: CallFilterForm) -> None:
    """Agent and campaign choices for the filter forms (calls list and search)."""
    form.agent.choices = [(None, _("Any agent"))] + [
        (a.id, a.name) for a in call_service.agent_choices()
    ]
    form.campaign.choices = [(None, _("Any campaign"))] + [
        (c.id, c.name) for c in call_service.campaign_choices()
    ]


def filters_from(form: CallFilterForm) -> call_service.CallFilters:
    """The service filters from a validated (or partly valid) filter form."""
    reviewed = {"yes": True, "no": False}.get(form.reviewed.data or "")
    valid_dates = not (form.date_from.errors or form.date_to.errors)
    return call_service.CallFilters(
        status=form.status.data or None,
        agent_id=form.agent.data,
        campaign_id=form.campaign.data,
        date_from=form.date_from.data if valid_dates else None,
        date_to=form.date_to.data if valid_dates else None,
        flag=form.flag.data or None,
        reviewed=reviewed,
        assigned_to=current_user.id if form.mine.data else None,
        text=form.q.data or None,
        sort=form.sort.data or "newest",
    )


def filter_args() -> dict[str, Any]:
    """The current query string without the page, for pagination and sort links."""
    return {k: v for k, v in request.args.items() if k != "page" and v}


@bp.route("/")
@requires("calls.view")
def index():  # type: ignore[no-untyped-def]
    form = CallFilterForm(request.args)
    fill_filter_choices(form)
    form.validate()
    filters = filters_from(form)
    page = request.args.get("page", 1, type=int)
    pagination = call_service.list_calls(page, current_app.config["PAGE_SIZE"], filters)
    counts = call_service.count_calls(filters)
    reviewed = call_service.reviewed_call_ids([c.id for c in pagination.items])
    return render_template(
        "calls/index.html",
        pagination=pagination,
        form=form,
        counts=counts,
        reviewed=reviewed,
        args=filter_args(),
        action_form=ActionForm(),
    )


@bp.route("/upload", methods=["GET", "POST"])
@requires("calls.edit")
def upload():  # type: ignore[no-untyped-def]
    form = UploadForm()
    form.agent.choices = [(None, _("Not set"))] + [
        (a.id, a.name) for a in call_service.agent_choices()
    ]
    form.campaign.choices = [(None, _("Not set"))] + [
        (c.id, c.name) for c in call_service.campaign_choices()
    ]
    form.called_at.description = _("Company time (%(zone)s)", zone=company_zone())
    if form.validate_on_submit():
        try:
            agent_id = form.agent.data
            if form.new_agent.data and not agent_id:
                agent_id = call_service.find_or_create_agent(form.new_agent.data).id
            lead_id = call_service.find_lead(form.lead.data).id if form.lead.data else None
        except ValidationFailed as exc:
            flash(str(exc), "danger")
            return render_template("calls/upload.html", form=form), 400
        details = call_service.UploadDetails(
            agent_id=agent_id,
            campaign_id=form.campaign.data,
            lead_id=lead_id,
            phone=form.phone.data or None,
            # The form field has no zone: the time was typed in the company's.
            called_at=stored_from_local(form.called_at.data) if form.called_at.data else None,
            language=form.language.data or None,
            agent_channel=form.agent_channel.data or "left",
            title=form.title.data or None,
        )
        files = [(f.stream, f.filename or "") for f in form.files.data if f]
        outcome = call_service.upload_recordings(files, details, current_user)
        db.session.commit()
        for name, reason in outcome.rejected:
            flash(_("%(name)s was not stored: %(reason)s", name=name, reason=reason), "danger")
        if outcome.stored:
            flash(
                ngettext(
                    "%(num)d recording stored and queued for transcription.",
                    "%(num)d recordings stored and queued for transcription.",
                    len(outcome.stored),
                ),
                "success",
            )
            if len(outcome.stored) == 1 and not outcome.rejected:
                return redirect(url_for("calls.detail", call_id=outcome.stored[0].id))
            return redirect(url_for("calls.index"))
        return render_template("calls/upload.html", form=form), 400
    status = 400 if form.errors else 200
    return render_template("calls/upload.html", form=form), status


@bp.route("/<int:call_id>")
@requires("calls.view")
def detail(call_id: int):  # type: ignore[no-untyped-def]
    call = db.get_or_404(Call, call_id)
    page = transcript_service.build_call_page(call)
    context: dict[str, Any] = _scorecard_context(call)
    context.update(
        call=call,
        page=page,
        facts=conversation_facts(call),
        start_at=max(0.0, request.args.get("t", 0.0, type=float)),
        action_form=ActionForm(),
        speaker_form=SpeakerForm(),
        correction_form=CorrectionForm(),
    )
    return render_template("calls/detail.html", **context)


def _scorecard_context(call: Call) -> dict[str, Any]:
    """What the reviews part's scorecard partial needs, once that partial exists."""
    if not can(current_user.role, "reviews"):
        return {}
    try:
        current_app.jinja_env.get_template(SCORECARD_PARTIAL)
        from qa.services.quality.reviews import scorecard_form_context
    except (TemplateNotFound, ImportError):
        return {}
    return {
        **scorecard_form_context(call, current_user),
        "scorecard_partial": SCORECARD_PARTIAL,
        # After saving, the reviewer comes back to the call rather than to the review page.
        "next_url": url_for("calls.detail", call_id=call.id, _anchor="scorecard"),
    }


@bp.route("/<int:call_id>/status")
@requires("calls.view")
def status(call_id: int):  # type: ignore[no-untyped-def]
    from qa.services.calls.jobs import job_status

    call = db.get_or_404(Call, call_id)
    return jsonify(job_status(call))


@bp.route("/<int:call_id>/cancel", methods=["POST"])
@requires("calls.edit")
def cancel(call_id: int):  # type: ignore[no-untyped-def]
    from qa.services.calls.jobs import cancel_job, latest_job

    call = db.get_or_404(Call, call_id)
    if ActionForm().validate_on_submit():
        job = latest_job(call)
        if job is None:
            flash(_("This call has no transcription job."), "warning")
        else:
            try:
                cancel_job(job)
            except ServiceError as exc:
                flash(str(exc), "danger")
            else:
                db.session.commit()
                flash(_("Transcription cancelled."), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("calls.detail", call_id=call.id))


@bp.route("/<int:call_id>/retry", methods=["POST"])
@requires("calls.edit")
def retry(call_id: int):  # type: ignore[no-untyped-def]
    from qa.services.calls.jobs import enqueue_transcription, latest_job, retry_job

    call = db.get_or_404(Call, call_id)
    if ActionForm().validate_on_submit():
        job = latest_job(call)
        try:
            if job is not None:
                retry_job(job)
            else:
                enqueue_transcription(call)
        except ServiceError as exc:
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(_("Transcription queued again."), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("calls.detail", call_id=call.id))


@bp.route("/<int:call_id>/recording")
@requires("calls.view")
def recording(call_id: int):  # type: ignore[no-untyped-def]
    call = db.get_or_404(Call, call_id)
    try:
        path = recording_abspath(call.recording_path, current_app.config["RECORDINGS_DIR"])
    except ValidationFailed:
        abort(404)
    mimetype = mimetypes.guess_type(call.original_filename)[0] or "application/octet-stream"
    try:
        # conditional=True answers Range requests (206), which seeking in <audio> needs.
        return send_file(path, mimetype=mimetype, conditional=True, max_age=3600)
    except FileNotFoundError:
        abort(404, description=_("The recording file is missing from storage."))


@bp.route("/<int:call_id>/transcript.<fmt>")
@requires("calls.view")
def export(call_id: int, fmt: str):  # type: ignore[no-untyped-def]
    call = db.get_or_404(Call, call_id)
    try:
        exported = transcript_service.export_transcript(call, fmt)
    except ValidationFailed as exc:
        abort(404, description=str(exc))
    return Response(
        exported.body,
        mimetype=exported.mimetype,
        headers={"Content-Disposition": _attachment(exported.filename)},
    )


def _attachment(filename: str) -> str:
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "ignore").decode() or "transcript"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


@bp.route("/<int:call_id>/segments/<int:segment_id>", methods=["GET", "POST"])
@requires("calls.view")
def segment(call_id: int, segment_id: int):  # type: ignore[no-untyped-def]
    call = db.get_or_404(Call, call_id)
    row = db.get_or_404(TranscriptSegment, segment_id)
    if row.call_id != call.id:
        abort(404)
    form = CorrectionForm(text=row.text) if request.method == "GET" else CorrectionForm()
    if request.method == "POST":
        if not can(current_user.role, "calls.edit"):
            abort(403)
        if form.validate_on_submit():
            try:
                transcript_service.correct_segment(row, form.text.data or "", current_user)
            except ValidationFailed as exc:
                flash(str(exc), "warning")
            else:
                db.session.commit()
                flash(_("Correction saved; flags were updated."), "success")
                return redirect(_line_url(call, row))
    return render_template(
        "calls/segment.html",
        call=call,
        segment=row,
        form=form,
        history=transcript_service.segment_history(row),
        action_form=ActionForm(),
    ), (400 if form.errors else 200)


@bp.route("/<int:call_id>/segments/<int:segment_id>/revert", methods=["POST"])
@requires("calls.edit")
def revert(call_id: int, segment_id: int):  # type: ignore[no-untyped-def]
    call = db.get_or_404(Call, call_id)
    row = db.get_or_404(TranscriptSegment, segment_id)
    if row.call_id != call.id:
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            transcript_service.revert_segment(row, current_user)
        except ValidationFailed as exc:
            flash(str(exc), "warning")
        else:
            db.session.commit()
            flash(_("The machine text is back."), "success")
    return redirect(_line_url(call, row))


def _line_url(call: Call, row: TranscriptSegment) -> str:
    return url_for("calls.detail", call_id=call.id, t=round(row.start, 2), _anchor=f"seg-{row.id}")


@bp.route("/<int:call_id>/swap-roles", methods=["POST"])
@requires("calls.edit")
def swap_roles(call_id: int):  # type: ignore[no-untyped-def]
    call = db.get_or_404(Call, call_id)
    if ActionForm().validate_on_submit():
        try:
            changed = transcript_service.swap_roles(call, current_user)
        except ValidationFailed as exc:
            flash(str(exc), "warning")
        else:
            db.session.commit()
            flash(
                _("Agent and customer swapped on %(n)d lines; flags were updated.", n=changed),
                "success",
            )
    return redirect(url_for("calls.detail", call_id=call.id))


@bp.route("/<int:call_id>/speakers", methods=["POST"])
@requires("calls.edit")
def assign_speakers(call_id: int):  # type: ignore[no-untyped-def]
    call = db.get_or_404(Call, call_id)
    form = SpeakerForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "warning")
        return redirect(url_for("calls.detail", call_id=call.id))
    try:
        changed = transcript_service.assign_speaker(
            call, form.ids(), form.speaker.data or "", current_user
        )
    except ValidationFailed as exc:
        flash(str(exc), "warning")
    else:
        db.session.commit()
        flash(
            ngettext(
                "Speaker set on %(num)d line; flags were updated.",
                "Speaker set on %(num)d lines; flags were updated.",
                changed,
            ),
            "success",
        )
    return redirect(url_for("calls.detail", call_id=call.id))
