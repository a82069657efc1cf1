"""Calls list, upload, the call page with its player and transcript, corrections and exports."""

from __future__ import annotations

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
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from qa.calls import bp
from qa.calls.forms import (
    ActionForm,
    CallFilterForm,
    CorrectionForm,
    MergeForm,
    SpeakerForm,
    SplitForm,
    UploadForm,
)
from qa.calls.media import recording_response
from qa.comments.views import call_comments
from qa.corrections.forms import MissedForm, WrongFlagForm
from qa.errors import back_on_error, show_form_on_error
from qa.extensions import db
from qa.models import Call, TranscriptSegment
from qa.roles import can, requires
from qa.services.calls import corrections as correction_service
from qa.services.calls import intake, line_splits, redaction, redaction_runs
from qa.services.calls import listing as call_service
from qa.services.calls import transcripts as transcript_service
from qa.services.calls.conversation_facts import conversation_facts
from qa.services.errors import ValidationFailed
from qa.services.quality import coaching as coaching_service
from qa.services.quality.reviews import scorecard_form_context
from qa.services.validation import finite_float, page_number, record_id
from qa.timefmt import company_zone
from qa.urls import safe_next
from qa.vocabulary import OBJECTION_FLAG, SPEAKER

SCORECARD_PARTIAL = "reviews/_scorecard_form.html"
# Player start offsets (``?t=``) beyond any recording the upload limits allow.
MAX_START = 24 * 3600
_UNSET = object()


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
    valid_dates = not (form.date_from.errors or form.date_to.errors)

    def valid(field: Any) -> Any:
        """A field the user got wrong is flagged on the form and left out of the filters."""
        return None if field.errors else field.data

    reviewed = {"yes": True, "no": False}.get(valid(form.reviewed) or "")
    return call_service.CallFilters(
        status=valid(form.status) or None,
        agent_id=valid(form.agent),
        campaign_id=valid(form.campaign),
        date_from=form.date_from.data if valid_dates else None,
        date_to=form.date_to.data if valid_dates else None,
        flag=valid(form.flag) or None,
        reviewed=reviewed,
        assigned_to=current_user.id if form.mine.data else None,
        text=valid(form.q) or None,
        sort=valid(form.sort) or "newest",
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
    page = page_number(request.args.get("page"))
    counts = call_service.count_calls(filters)
    pagination = call_service.list_calls(
        page, current_app.config["PAGE_SIZE"], filters, total=counts.total
    )
    reviewed = call_service.reviewed_call_ids([c.id for c in pagination.items])
    return render_template(
        "calls/index.html",
        pagination=pagination,
        form=form,
        counts=counts,
        reviewed=reviewed,
        args=filter_args(),
        action_form=ActionForm(),
    ), (400 if form.errors else 200)


def _upload_form(formdata: Any = _UNSET) -> UploadForm:
    form = UploadForm() if formdata is _UNSET else UploadForm(formdata=formdata)
    form.agent.choices = [(None, _("Not set"))] + [
        (a.id, a.name) for a in call_service.agent_choices()
    ]
    form.campaign.choices = [(None, _("Not set"))] + [
        (c.id, c.name) for c in call_service.campaign_choices()
    ]
    form.called_at.description = _("Company time (%(zone)s)", zone=company_zone())
    return form


@bp.route("/upload", methods=["GET", "POST"])
@requires("calls.edit")
def upload():  # type: ignore[no-untyped-def]
    form = _upload_form()
    if form.validate_on_submit():
        try:
            agent_id = form.agent.data
            if form.new_agent.data and not agent_id:
                agent_id = call_service.find_or_create_agent(form.new_agent.data).id
            lead_id = call_service.find_lead(form.lead.data).id if form.lead.data else None
            meta = intake.recording_metadata(
                agent_channel=form.agent_channel.data,
                language=form.language.data,
                title=form.title.data,
                phone=form.phone.data,
                called_at=form.called_at.data,
                agent_id=agent_id,
                campaign_id=form.campaign.data,
                lead_id=lead_id,
                uploaded_by=current_user,
            )
        except ValidationFailed as exc:
            db.session.rollback()  # an agent created above goes too
            flash(str(exc), "danger")
            return _upload_page(form, 400)
        files = [(f.stream, f.filename) for f in form.files.data if f]
        outcome = intake.take_in_batch(files, meta)
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
        return _upload_page(form, 400)
    return _upload_page(form, 400 if form.errors else 200)


def _upload_page(form: UploadForm, status: int) -> tuple[str, int]:
    config = current_app.config
    limits = {
        "recording_mb": _megabytes(config["MAX_RECORDING_BYTES"]),
        "request_mb": _megabytes(config["MAX_CONTENT_LENGTH"]),
    }
    return render_template("calls/upload.html", form=form, limits=limits), status


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error: RequestEntityTooLarge):  # type: ignore[no-untyped-def]
    """A request over MAX_CONTENT_LENGTH is refused unread: say so on the upload page."""
    config = current_app.config
    flash(
        _(
            "This upload is larger than %(batch)s MB, the limit for one request, so nothing was "
            "stored. Upload the recordings in smaller batches (each recording up to %(file)s MB).",
            batch=_megabytes(config["MAX_CONTENT_LENGTH"]),
            file=_megabytes(config["MAX_RECORDING_BYTES"]),
        ),
        "danger",
    )
    return _upload_page(_upload_form(formdata=None), 413)


def _megabytes(size: int) -> str:
    return f"{int(size) / (1024 * 1024):g}"


@bp.route("/<int:call_id>")
@requires("calls.view")
def detail(call_id: int):  # type: ignore[no-untyped-def]
    call = db.get_or_404(Call, call_id)
    page = call_page(call)
    db.session.commit()  # the audit event of this view
    return page


def call_page(
    call: Call, *, scorecard: dict[str, Any] | None = None, status: int = 200
) -> tuple[str, int]:
    """The call page; ``scorecard`` replaces what its scorecard form shows (a posted form that
    could not be saved: the reviewer's answers, the items left unanswered)."""
    recording_state = redaction_runs.recording_for_viewer(
        call, current_user, request.args.get("original") == "1"
    )
    page = transcript_service.build_call_page(
        call, current_user, request.args.get("original") == "1"
    )
    context: dict[str, Any] = _scorecard_context(call)
    context.update(scorecard or {})
    context.update(
        call=call,
        page=page,
        recording_state=recording_state,
        facts=conversation_facts(call),
        # A negative offset plays from the start; NaN or an endless one is refused.
        start_at=max(
            0.0,
            finite_float(request.args.get("t"), field="t", minimum=None, maximum=MAX_START) or 0.0,
        ),
        action_form=ActionForm(),
        speaker_form=SpeakerForm(),
        correction_form=CorrectionForm(),
        split_form=SplitForm(),
        merge_form=MergeForm(),
        flag_form=WrongFlagForm(),
        missed_form=MissedForm(),
        corrections=correction_service.call_corrections(call),
        coaching_examples=(
            coaching_service.call_examples(call)
            if can(current_user.role, "coaching.library")
            else []
        ),
    )
    context.update(call_comments(call))
    return render_template("calls/detail.html", **context), status


def _scorecard_context(call: Call) -> dict[str, Any]:
    """What the reviews part's scorecard partial needs."""
    if not can(current_user.role, "reviews"):
        return {}
    return {
        **scorecard_form_context(
            call,
            current_user,
            template_id=record_id(request.args.get("template"), field="template"),
        ),
        "scorecard_partial": SCORECARD_PARTIAL,
        # After saving, the reviewer comes back to the call rather than to the review page.
        "next_url": url_for("calls.detail", call_id=call.id, _anchor="scorecard"),
        "on_call_page": True,
        "chooser_url": url_for("calls.detail", call_id=call.id, _anchor="scorecard"),
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
    back = safe_next(request.form.get("next")) or url_for("calls.detail", call_id=call.id)
    back_on_error(back)
    if ActionForm().validate_on_submit():
        job = latest_job(call)
        if job is None:
            flash(_("This call has no transcription job."), "warning")
        else:
            cancel_job(job)
            db.session.commit()
            flash(_("Transcription cancelled."), "success")
    return redirect(back)


@bp.route("/<int:call_id>/retry", methods=["POST"])
@requires("calls.edit")
def retry(call_id: int):  # type: ignore[no-untyped-def]
    from qa.services.calls.jobs import enqueue_transcription, latest_job, retry_job

    call = db.get_or_404(Call, call_id)
    back = safe_next(request.form.get("next")) or url_for("calls.detail", call_id=call.id)
    back_on_error(back)
    if ActionForm().validate_on_submit():
        job = latest_job(call)
        if job is not None:
            retry_job(job)
        else:
            enqueue_transcription(call)
        db.session.commit()
        flash(_("Transcription queued again."), "success")
    return redirect(back)


@bp.route("/<int:call_id>/recording")
@requires("calls.view")
def recording(call_id: int):  # type: ignore[no-untyped-def]
    """The audio, as the media type of its probed container; never rendered by the browser."""
    return recording_response(db.get_or_404(Call, call_id))


@bp.route("/<int:call_id>/transcript.<fmt>")
@requires("calls.view")
def export(call_id: int, fmt: str):  # type: ignore[no-untyped-def]
    call = db.get_or_404(Call, call_id)
    exported = transcript_service.export_transcript(
        call, fmt, current_user, request.args.get("original") == "1"
    )
    db.session.commit()  # the audit event of this view
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
    if redaction.hidden_from(row, current_user):
        abort(403)
    if redaction.has_hidden_data(row):  # the line's original text and history are shown
        redaction.view_original(call, line=row.id)
    form = CorrectionForm(text=row.text) if request.method == "GET" else CorrectionForm()
    page = show_form_on_error(
        lambda: render_template(
            "calls/segment.html",
            call=call,
            segment=row,
            form=form,
            history=transcript_service.segment_history(row),
            action_form=ActionForm(),
        )
    )
    if request.method == "POST":
        if not can(current_user.role, "calls.edit"):
            abort(403)
        if form.validate_on_submit():
            transcript_service.correct_segment(row, form.text.data or "", current_user)
            db.session.commit()
            flash(_("Correction saved; flags were updated."), "success")
            return redirect(_line_url(call, row))
    db.session.commit()  # the audit event of a view of the original
    return page(), (400 if form.errors else 200)


@bp.route("/<int:call_id>/segments/<int:segment_id>/revert", methods=["POST"])
@requires("calls.edit")
def revert(call_id: int, segment_id: int):  # type: ignore[no-untyped-def]
    call = db.get_or_404(Call, call_id)
    row = db.get_or_404(TranscriptSegment, segment_id)
    if row.call_id != call.id or redaction.hidden_from(row, current_user):
        abort(404)
    back_on_error(_line_url(call, row))
    if ActionForm().validate_on_submit():
        transcript_service.revert_segment(row, current_user)
        db.session.commit()
        flash(_("The machine text is back."), "success")
    return redirect(_line_url(call, row))


def _call_segment(call_id: int, segment_id: int) -> tuple[Call, TranscriptSegment]:
    """The call and one of its lines; another call's line is not found."""
    call = db.get_or_404(Call, call_id)
    row = db.get_or_404(TranscriptSegment, segment_id)
    if row.call_id != call.id:
        abort(404)
    if redaction.hidden_from(row, current_user):
        abort(403)
    return call, row


def _flash_form_errors(form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "warning")


@bp.route("/<int:call_id>/segments/<int:segment_id>/split", methods=["POST"])
@requires("calls.edit")
def split(call_id: int, segment_id: int):  # type: ignore[no-untyped-def]
    call, row = _call_segment(call_id, segment_id)
    back_on_error(_line_url(call, row))
    form = SplitForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return redirect(_line_url(call, row))
    result = line_splits.split_segment(row, form.word.data, current_user)
    db.session.commit()
    if result.estimated:
        flash(
            _(
                "Line split; it has no word timings, so the new line's start time was estimated "
                "from the length of the text. Flags were updated."
            ),
            "warning",
        )
    else:
        flash(_("Line split at the word's start time; flags were updated."), "success")
    return redirect(_line_url(call, result.new_segment))


@bp.route("/<int:call_id>/segments/<int:segment_id>/merge", methods=["POST"])
@requires("calls.edit")
def merge(call_id: int, segment_id: int):  # type: ignore[no-untyped-def]
    call, row = _call_segment(call_id, segment_id)
    back_on_error(_line_url(call, row))
    form = MergeForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return redirect(_line_url(call, row))
    line_splits.merge_segment(row, form.speaker.data, current_user)
    db.session.commit()
    flash(_("Lines merged; flags were updated."), "success")
    return redirect(_line_url(call, row))


@bp.route("/<int:call_id>/segments/<int:segment_id>/undo/<int:edit_id>", methods=["POST"])
@requires("calls.edit")
def undo(call_id: int, segment_id: int, edit_id: int):  # type: ignore[no-untyped-def]
    call, row = _call_segment(call_id, segment_id)
    back = url_for("calls.segment", call_id=call.id, segment_id=row.id)
    back_on_error(back)
    if ActionForm().validate_on_submit():
        line_splits.undo_edit(row, edit_id, current_user)
        db.session.commit()
        flash(_("Undone; flags were updated."), "success")
    return redirect(_line_url(call, row))


def _line_url(call: Call, row: TranscriptSegment) -> str:
    return url_for("calls.detail", call_id=call.id, t=round(row.start, 2), _anchor=f"seg-{row.id}")


@bp.route("/<int:call_id>/swap-roles", methods=["POST"])
@requires("calls.edit")
def swap_roles(call_id: int):  # type: ignore[no-untyped-def]
    call = db.get_or_404(Call, call_id)
    back_on_error(url_for("calls.detail", call_id=call.id))
    if ActionForm().validate_on_submit():
        changed = transcript_service.swap_roles(call, current_user)
        db.session.commit()
        flash(
            ngettext(
                "Agent and customer swapped on %(num)d line; flags were updated.",
                "Agent and customer swapped on %(num)d lines; flags were updated.",
                changed,
            ),
            "success",
        )
    return redirect(url_for("calls.detail", call_id=call.id))


@bp.route("/<int:call_id>/speakers", methods=["POST"])
@requires("calls.edit")
def assign_speakers(call_id: int):  # type: ignore[no-untyped-def]
    call = db.get_or_404(Call, call_id)
    form = SpeakerForm()
    back_on_error(url_for("calls.detail", call_id=call.id))
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "warning")
        return redirect(url_for("calls.detail", call_id=call.id))
    changed = transcript_service.assign_speaker(
        call, form.ids(), form.speaker.data or "", current_user
    )
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
