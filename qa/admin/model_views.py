"""Objection model versions: what each retraining learnt and scored, and rollback."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from qa.admin import bp
from qa.errors import back_on_error
from qa.roles import requires
from qa.services.calls import objection_models


@bp.route("/objection-models")
@requires("settings")
def objection_models_page():  # type: ignore[no-untyped-def]
    versions = objection_models.list_versions()
    shipped_active = not any(v.status == "active" for v in versions)
    return render_template(
        "admin/objection_models.html", versions=versions, shipped_active=shipped_active
    )


@bp.route("/objection-models/activate", methods=["POST"])
@requires("settings")
def objection_model_activate():  # type: ignore[no-untyped-def]
    back_on_error(url_for("admin.objection_models_page"))
    choice = request.form.get("version", "")
    if choice != "shipped" and not choice.isdigit():
        flash(_("Choose a model version."), "danger")
        return redirect(url_for("admin.objection_models_page"))
    objection_models.activate(None if choice == "shipped" else int(choice))
    flash(
        _("The chosen model now judges new calls. Rescore stored calls to judge them again."),
        "success",
    )
    return redirect(url_for("admin.objection_models_page"))
