
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from qa.errors import back_on_error
from qa.extensions import db
from qa.import_messages import flash_row_errors, preview_upload, run_staged
from qa.leads import bp
from qa.leads.forms import ConfirmImportForm, LinkCallForm, TableUploadForm, UnlinkCallForm
from qa.models import Call, Lead
from qa.roles import requires
from qa.services.marketing import leads as lead_service
from qa.services.marketing import linking
from qa.services.tabular import parse_table
from qa.services.validation import page_number, record_id


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
    """Check every row of the upload and show what would be imported; nothing is stored yet."""
    form = TableUploadForm()
    if not form.validate_on_submit():
        for error in form.file.errors:
            flash(str(error), "danger")
        return redirect(url_for("leads.index"))
    staged = preview_upload(form.file.data, lead_service.preview_leads)
    if staged is None:
        return redirect(url_for("leads.index"))
    preview, token = staged
    return render_template(
        "leads/preview.html", preview=preview, confirm_form=ConfirmImportForm(token=token)
    )


@bp.route("/import/confirm", methods=["POST"])
@requires("leads")
def import_confirm():  # type: ignore[no-untyped-def]
    """Import the staged file once: a second click finds it claimed or imported."""
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        flash(_("The import has expired; upload the file again."), "danger")
        return redirect(url_for("leads.index"))
    token = form.token.data or ""

    def run(data: bytes) -> tuple[lead_service.LeadImportReport, int]:
        report = lead_service.import_leads(parse_table(data, token))
        return report, linking.auto_link_leads(report.leads)

    outcome = run_staged(token, run)
    if outcome is None:
        return redirect(url_for("leads.index"))
    report, linked = outcome
    flash(_("Leads: %(created)d created, %(updated)d updated, %(linked)d calls linked.",
            created=report.created, updated=report.updated, linked=linked), "success")
    flash_row_errors(report.errors)
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
