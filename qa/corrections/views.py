"""Corrections of objection flags: marked on the call page, decided by QA leads, exported."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qa.corrections import bp
from qa.corrections.forms import CorrectionFilterForm, DecisionForm, MissedForm, WrongFlagForm
from qa.errors import back_on_error
from qa.extensions import db
from qa.models import Call, Finding, ObjectionCorrection, TranscriptSegment
from qa.roles import requires
from qa.services.calls import corrections as correction_service
from qa.services.errors import ValidationFailed
from qa.services.validation import page_number
from qa.urls import safe_next
from qa.vocabulary import CORRECTION_KIND, OBJECTION

EXPORT_LANGS = ("ru", "en")


def _line_url(call: Call, segment: TranscriptSegment | None) -> str:
    if segment is None:
        return url_for("calls.detail", call_id=call.id)
    return url_for(
        "calls.detail", call_id=call.id, t=round(segment.start, 2), _anchor=f"seg-{segment.id}"
    )


def _refuse_form_errors(form: Any) -> None:
    """A form that did not validate (an expired CSRF token) is refused with its messages."""
    messages = [str(error) for errors in form.errors.values() for error in errors]
    raise ValidationFailed("; ".join(messages) or _("The form could not be read; try again."))


def _marked(row: ObjectionCorrection) -> None:
    flash(
        _(
            "Marked: %(kind)s (%(label)s). A QA lead will review it.",
            kind=CORRECTION_KIND.label(row.kind),
            label=OBJECTION.label(row.label),
        ),
        "success",
    )


@bp.route("/calls/<int:call_id>/findings/<int:finding_id>/wrong", methods=["POST"])
@requires("calls.edit")
def mark_wrong(call_id: int, finding_id: int):  # type: ignore[no-untyped-def]
    call = db.get_or_404(Call, call_id)
    finding = db.get_or_404(Finding, finding_id)
    if finding.call_id != call.id:
        abort(404)
    back = _line_url(call, finding.segment)
    back_on_error(back)
    form = WrongFlagForm()
    if not form.validate_on_submit():
        _refuse_form_errors(form)
    row = correction_service.mark_wrong(finding, current_user)
    db.session.commit()
    _marked(row)
    return redirect(back)


@bp.route("/calls/<int:call_id>/segments/<int:segment_id>/missed", methods=["POST"])
@requires("calls.edit")
def mark_missed(call_id: int, segment_id: int):  # type: ignore[no-untyped-def]
    call = db.get_or_404(Call, call_id)
    segment = db.get_or_404(TranscriptSegment, segment_id)
    if segment.call_id != call.id:
        abort(404)
    back = _line_url(call, segment)
    back_on_error(back)
    form = MissedForm()
    if not form.validate_on_submit():
        _refuse_form_errors(form)
    row = correction_service.mark_missed(
        segment,
        form.label.data,
        start=form.start.data,
        end=form.end.data,
        words=form.words.data,
        user=current_user,
    )
    db.session.commit()
    _marked(row)
    return redirect(back)


@bp.route("/")
@requires("corrections")
def index():  # type: ignore[no-untyped-def]
    form = CorrectionFilterForm(request.args)
    filters = correction_service.CorrectionFilters()
    if form.validate():
        filters = correction_service.CorrectionFilters(
            status=form.status.data or None,
            label=form.label.data or None,
            lang=form.lang.data or None,
        )
    elif "status" not in form.errors:
        filters = correction_service.CorrectionFilters(status=form.status.data or None)
    pagination = correction_service.list_corrections(filters, page_number(request.args.get("page")))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "corrections/index.html",
        pagination=pagination,
        form=form,
        args=args,
        decision_form=DecisionForm(formdata=None),
        next_url=request.full_path,
        export_langs=EXPORT_LANGS,
    ), (400 if form.errors else 200)


@bp.route("/<int:correction_id>/decide", methods=["POST"])
@requires("corrections")
def decide(correction_id: int):  # type: ignore[no-untyped-def]
    correction = db.get_or_404(ObjectionCorrection, correction_id)
    back = safe_next(request.form.get("next")) or url_for("corrections.index")
    back_on_error(back)
    form = DecisionForm()
    if not form.validate_on_submit():
        _refuse_form_errors(form)
    if not (form.accept.data or form.reject.data):
        raise ValidationFailed(_("Choose Accept or Reject."))
    correction_service.decide(correction, bool(form.accept.data), form.note.data, current_user)
    db.session.commit()
    flash(_("Accepted.") if correction.status == "accepted" else _("Rejected."), "success")
    return redirect(back)


def _json_lines(rows: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


@bp.route("/training.jsonl")
@requires("corrections")
def export():  # type: ignore[no-untyped-def]
    """Accepted corrections of one language as training turns, one JSON object per line."""
    lang = request.args.get("lang", "")
    if lang not in EXPORT_LANGS:
        raise ValidationFailed(_("Choose the language of the export: ru or en."))
    body = _json_lines(correction_service.accepted_training_rows(lang))
    return Response(
        body,
        mimetype="application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="corrections.{lang}.jsonl"'},
    )
