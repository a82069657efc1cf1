from __future__ import annotations

import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qa.errors import show_form_on_error
from qa.extensions import db
from qa.models import ScorecardTemplate
from qa.roles import requires
from qa.scorecards import bp
from qa.scorecards.forms import ScorecardForm
from qa.services.quality import scorecard_defaults as default_service
from qa.services.quality import scorecards as scorecard_service
from qa.services.validation import record_id


def _json(definition: dict) -> str:  # type: ignore[type-arg]
    return json.dumps(definition, ensure_ascii=False, indent=2)


def _form(template: ScorecardTemplate | None) -> ScorecardForm:
    form = ScorecardForm(obj=template)
    form.default_languages.choices = [
        (code, default_service.language_name(code)) for code in default_service.languages()
    ]
    form.default_teams.choices = [(team, team) for team in default_service.teams()]
    if request.method == "GET" and template is not None:
        form.language.data = template.language or ""
        form.default_languages.data = default_service.default_values(template, "language")
        form.default_teams.data = default_service.default_values(template, "team")
    return form


def _save_defaults(form: ScorecardForm, template: ScorecardTemplate) -> None:
    default_service.set_defaults(
        template,
        language_codes=form.default_languages.data or [],
        team_names=form.default_teams.data or [],
    )


@bp.route("/")
@requires("scorecards")
def index():  # type: ignore[no-untyped-def]
    return render_template("scorecards/index.html", templates=scorecard_service.list_templates())


@bp.route("/new", methods=["GET", "POST"])
@requires("scorecards")
def new():  # type: ignore[no-untyped-def]
    form = _form(None)
    if request.method == "GET":
        form.definition.data = _json(scorecard_service.STARTER_DEFINITION)
    page = show_form_on_error(
        lambda: render_template("scorecards/edit.html", form=form, template=None)
    )
    if form.validate_on_submit():
        template = scorecard_service.create_template(
            form.name.data or "", form.description.data, form.definition.data or "",
            current_user, language=form.language.data,
        )
        _save_defaults(form, template)
        db.session.commit()
        flash(_("Scorecard “%(name)s” created.", name=template.name), "success")
        return redirect(url_for("scorecards.detail", template_id=template.id))
    return page(), (400 if request.method == "POST" else 200)


@bp.route("/<int:template_id>")
@requires("scorecards")
def detail(template_id: int):  # type: ignore[no-untyped-def]
    template = db.get_or_404(ScorecardTemplate, template_id)
    number = record_id(request.args.get("version"), field="version")
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
    form = _form(template)
    if request.method == "GET":
        latest = template.current
        form.definition.data = _json(
            latest.definition if latest else scorecard_service.STARTER_DEFINITION
        )
    page = show_form_on_error(lambda: _edit_page(form, template))
    if form.validate_on_submit():
        version = scorecard_service.update_template(
            template,
            name=form.name.data or "",
            description=form.description.data,
            active=bool(form.active.data),
            definition=form.definition.data or "",
            user=current_user,
            language=form.language.data,
        )
        _save_defaults(form, template)
        db.session.commit()
        if version is None:
            flash(_("Scorecard saved; the items did not change."), "success")
        else:
            flash(_("Scorecard saved as version %(number)d.", number=version.number), "success")
        return redirect(url_for("scorecards.detail", template_id=template.id))
    return page(), (400 if request.method == "POST" else 200)


def _edit_page(form: ScorecardForm, template: ScorecardTemplate) -> str:
    in_use = bool(template.current and scorecard_service.version_in_use(template.current))
    return render_template("scorecards/edit.html", form=form, template=template, in_use=in_use)
