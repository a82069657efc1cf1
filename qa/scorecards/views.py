from __future__ import annotations

import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qa.extensions import db
from qa.models import ScorecardTemplate
from qa.roles import requires
from qa.scorecards import bp
from qa.scorecards.forms import ScorecardForm
from qa.services.errors import ValidationFailed
from qa.services.quality import scorecards as scorecard_service


def _json(definition: dict) -> str:  # type: ignore[type-arg]
    return json.dumps(definition, ensure_ascii=False, indent=2)


@bp.route("/")
@requires("scorecards")
def index():  # type: ignore[no-untyped-def]
    return render_template("scorecards/index.html", templates=scorecard_service.list_templates())


@bp.route("/new", methods=["GET", "POST"])
@requires("scorecards")
def new():  # type: ignore[no-untyped-def]
    form = ScorecardForm()
    if request.method == "GET":
        form.definition.data = _json(scorecard_service.STARTER_DEFINITION)
    if form.validate_on_submit():
        try:
            template = scorecard_service.create_template(
                form.name.data or "", form.description.data, form.definition.data or "",
                current_user,
            )
        except ValidationFailed as exc:
            db.session.rollback()
            form.definition.errors = [str(exc)]
        else:
            db.session.commit()
            flash(_("Scorecard “%(name)s” created.", name=template.name), "success")
            return redirect(url_for("scorecards.detail", template_id=template.id))
    status = 400 if request.method == "POST" else 200
    return render_template("scorecards/edit.html", form=form, template=None), status


@bp.route("/<int:template_id>")
@requires("scorecards")
def detail(template_id: int):  # type: ignore[no-untyped-def]
    template = db.get_or_404(ScorecardTemplate, template_id)
    number = request.args.get("version", type=int)
    versions = {v.number: v for v in template.versions}
    if number is not None and number not in versions:
        abort(404)
    shown = versions[number] if number is not None else template.current
    return render_template(
        "scorecards/detail.html",
        template=template,
        shown=shown,
        counts=scorecard_service.review_counts(template),
    )


@bp.route("/<int:template_id>/edit", methods=["GET", "POST"])
@requires("scorecards")
def edit(template_id: int):  # type: ignore[no-untyped-def]
    template = db.get_or_404(ScorecardTemplate, template_id)
    form = ScorecardForm(obj=template)
    if request.method == "GET":
        latest = template.current
        form.definition.data = _json(
            latest.definition if latest else scorecard_service.STARTER_DEFINITION
        )
    if form.validate_on_submit():
        try:
            version = scorecard_service.update_template(
                template,
                name=form.name.data or "",
                description=form.description.data,
                active=bool(form.active.data),
                definition=form.definition.data or "",
                user=current_user,
            )
        except ValidationFailed as exc:
            db.session.rollback()
            form.definition.errors = [str(exc)]
        else:
            db.session.commit()
            if version is None:
                flash(_("Scorecard saved; the items did not change."), "success")
            else:
                flash(_("Scorecard saved as version %(number)d.", number=version.number), "success")
            return redirect(url_for("scorecards.detail", template_id=template.id))
    status = 400 if request.method == "POST" else 200
    in_use = bool(template.current and scorecard_service.version_in_use(template.current))
    return render_template(
        "scorecards/edit.html", form=form, template=template, in_use=in_use
    ), status
