import os
import uuid
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from qa.errors import back_on_error
from qa.extensions import db
from qa.leads import bp
from qa.leads.forms import ConfirmImportForm, LinkCallForm, TableUploadForm, UnlinkCallForm
from qa.models import Call, Lead
from qa.roles import requires
from qa.services.errors import ValidationFailed
from qa.services.marketing import leads as lead_service
from qa.services.marketing import linking
from qa.services.tabular import read_table
from qa.services.validation import page_number, record_id


def _imports_dir() -> str:
    path = os.path.join(current_app.instance_path, "imports")
    os.makedirs(path, exist_ok=True)
    return path


@bp.route("/")
@requires("leads")
def index():  # type: ignore[no-untyped-def]
    page = page_number(request.args.get("page"))
    campaign_id = record_id(request.args.get("campaign"), field=_("Campaign"))
    pagination = lead_service.list_leads(page, current_app.config["PAGE_SIZE"], campaign_id)
    return render_template(
        "leads/index.html", pagination=pagination, upload_form=TableUploadForm(),
        campaign_id=campaign_id,
    )


@bp.route("/import", methods=["POST"])
@requires("leads")
def import_preview():  # type: ignore[no-untyped-def]
    """Parse the upload and show what would be imported; nothing is stored yet."""
    form = TableUploadForm()
    if not form.validate_on_submit():
        for error in form.file.errors:
            flash(str(error), "danger")
        return redirect(url_for("leads.index"))
    suffix = Path(form.file.data.filename or "").suffix.lower() or ".csv"
    token = f"{uuid.uuid4().hex}{suffix if suffix in ('.csv', '.xlsx', '.txt') else '.csv'}"
    path = os.path.join(_imports_dir(), token)
    form.file.data.save(path)
    try:
        with open(path, "rb") as handle:
            preview = lead_service.preview_leads(read_table(handle, token))
    except ValidationFailed as exc:
        os.unlink(path)
        flash(str(exc), "danger")
        return redirect(url_for("leads.index"))
    db.session.rollback()
    return render_template(
        "leads/preview.html", preview=preview, confirm_form=ConfirmImportForm(token=token)
    )


@bp.route("/import/confirm", methods=["POST"])
@requires("leads")
def import_confirm():  # type: ignore[no-untyped-def]
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        flash(_("The import has expired; upload the file again."), "danger")
        return redirect(url_for("leads.index"))
    path = os.path.join(_imports_dir(), form.token.data or "")
    if not os.path.exists(path):
        flash(_("The import has expired; upload the file again."), "danger")
        return redirect(url_for("leads.index"))
    try:
        with open(path, "rb") as handle:
            report = lead_service.import_leads(read_table(handle, path))
        linked = linking.auto_link_leads(report.leads)
    except ValidationFailed as exc:
        flash(str(exc), "danger")
        return redirect(url_for("leads.index"))
    db.session.commit()
    os.unlink(path)
    flash(_("Leads: %(created)d created, %(updated)d updated, %(linked)d calls linked.",
            created=report.created, updated=report.updated, linked=linked), "success")
    for line, message in report.errors:
        flash(_("Line %(line)d: %(message)s", line=line, message=message), "danger")
    return redirect(url_for("leads.index"))


@bp.route("/link-call/<int:call_id>", methods=["POST"])
@requires("calls.edit")
def link_call(call_id: int):  # type: ignore[no-untyped-def]
    call = db.get_or_404(Call, call_id)
    form = LinkCallForm()
    back_on_error(url_for("calls.detail", call_id=call.id))
    if form.validate_on_submit():
        lead_id = record_id(form.lead_id.data, field=_("Lead number"))
        lead = db.session.get(Lead, lead_id)
        if lead is None:
            flash(_("There is no lead number %(id)s.", id=form.lead_id.data), "danger")
        else:
            linking.link_call(call, lead)
            db.session.commit()
            flash(_("Call linked to lead %(id)s.", id=lead.id), "success")
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "danger")
    return redirect(url_for("calls.detail", call_id=call.id))


@bp.route("/unlink-call/<int:call_id>", methods=["POST"])
@requires("calls.edit")
def unlink_call(call_id: int):  # type: ignore[no-untyped-def]
    call = db.get_or_404(Call, call_id)
    if UnlinkCallForm().validate_on_submit():
        linking.unlink_call(call)
        db.session.commit()
        flash(_("Call unlinked from its lead."), "info")
    return redirect(url_for("calls.detail", call_id=call.id))
