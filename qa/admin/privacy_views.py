"""Deleting personal data on request: preview, confirm, and the printable deletion record."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qa.admin import bp
from qa.admin.forms import ErasureForm, ErasureLookupForm
from qa.errors import show_form_on_error
from qa.extensions import db
from qa.models import PersonalDataErasure
from qa.roles import requires
from qa.services.errors import ValidationFailed
from qa.services.privacy import erasure

RECENT_RECORDS = 20


def _page(
    lookup: ErasureLookupForm,
    confirm: ErasureForm | None = None,
    found: erasure.ErasurePlan | None = None,
) -> str:
    records = erasure.recent_records(RECENT_RECORDS)
    return render_template(
        "admin/personal_data.html", lookup=lookup, confirm=confirm, found=found, records=records
    )


@bp.route("/personal-data", methods=["GET", "POST"])
@requires("privacy")
def personal_data():  # type: ignore[no-untyped-def]
    """Find one call or one phone number's data and show what deleting it removes.

    The number travels in a POST body, never in the address (logs keep addresses).
    """
    lookup = ErasureLookupForm(prefix="find")
    show_form_on_error(lambda: _page(lookup))
    if lookup.lookup.data and lookup.validate_on_submit():
        found = erasure.plan(call_id=lookup.call_id.data, phone=lookup.phone.data)
        confirm = ErasureForm(prefix="erase", formdata=None, scope=found.scope, value=found.value)
        return _page(lookup, confirm, found)
    return _page(lookup), (400 if lookup.errors else 200)


@bp.route("/personal-data/delete", methods=["POST"])
@requires("privacy")
def personal_data_delete():  # type: ignore[no-untyped-def]
    """Delete what the preview showed (found again now) and show the deletion record."""
    form = ErasureForm(prefix="erase")
    lookup = ErasureLookupForm(prefix="find", formdata=None)
    show_form_on_error(lambda: _page(lookup))
    if form.scope.data not in ("call", "phone"):
        raise ValidationFailed(_("Give a call ID or a phone number."))
    kind = {"call_id": form.value.data} if form.scope.data == "call" else {"phone": form.value.data}
    found = erasure.plan(**kind)
    if form.scope.data == "call":
        lookup.call_id.data = form.value.data
    else:
        lookup.phone.data = form.value.data
    show_form_on_error(lambda: _page(lookup, form, found))
    if not form.validate_on_submit():
        return _page(lookup, form, found), 400
    record = erasure.erase(
        found,
        requested_by=form.requested_by.data,
        reason=form.reason.data or "",
        actor=current_user,
    )
    db.session.commit()
    return redirect(url_for("admin.erasure_record", record_id=record.id))


@bp.route("/personal-data/records/<int:record_id>")
@requires("privacy")
def erasure_record(record_id: int):  # type: ignore[no-untyped-def]
    """The deletion record, for printing or saving as PDF."""
    record = db.get_or_404(PersonalDataErasure, record_id)
    return render_template(
        "admin/erasure_record.html", record=record, title=_("Deletion record #%(id)d", id=record.id)
    )
