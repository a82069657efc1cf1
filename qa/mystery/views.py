import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qa.errors import back_on_error, show_form_on_error
from qa.extensions import db
from qa.models import Scenario, ShopAssignment, ShopEvidence, Wave
from qa.mystery import bp
from qa.mystery.forms import MoveForm, ScenarioForm, WaveForm
from qa.reviews.forms import DisputeForm, ResolveDisputeForm, ReviewForm, int_or_none, item_values
from qa.roles import requires
from qa.services.errors import ValidationFailed
from qa.services.mystery import assignments as assignment_service
from qa.services.mystery import checks as report_checks
from qa.services.mystery import locations as location_service
from qa.services.mystery import results as report_service
from qa.services.mystery import scenarios as scenario_service
from qa.services.mystery import validation as validation_service
from qa.services.mystery import waves as wave_service
from qa.services.quality import disputes as dispute_service
from qa.services.quality import reviews as review_service
from qa.services.quality import scorecards as scorecard_service
from qa.services.validation import record_id, shown
from qa.shopping.views import send_evidence


@bp.route("/scenarios/")
@requires("mystery")
def scenarios():  # type: ignore[no-untyped-def]
    return render_template("mystery/scenarios.html", scenarios=scenario_service.list_scenarios())


@bp.route("/scenarios/new", methods=["GET", "POST"])
@requires("mystery")
def scenario_new():  # type: ignore[no-untyped-def]
    return _edit_scenario(None)


@bp.route("/scenarios/<int:scenario_id>/edit", methods=["GET", "POST"])
@requires("mystery")
def scenario_edit(scenario_id: int):  # type: ignore[no-untyped-def]
    return _edit_scenario(db.get_or_404(Scenario, scenario_id))


def _edit_scenario(scenario: Scenario | None):  # type: ignore[no-untyped-def]
    form = ScenarioForm(obj=scenario, templates=scorecard_service.list_templates())
    if scenario is not None and not form.is_submitted():
        form.template_id.data = str(scenario.template_id or "")
        form.objection_lines.data = scenario_service.objection_lines(scenario)
    page = show_form_on_error(lambda: render_template(
        "mystery/scenario_edit.html", form=form, scenario=scenario,
        labels=scenario_service.objection_labels(),
    ))
    if form.validate_on_submit():
        values = scenario_service.ScenarioValues(
            name=form.name.data or "", legend=form.legend.data or "",
            channel=form.channel.data or "",
            objections=scenario_service.parse_objection_lines(form.objection_lines.data),
            template_id=record_id(form.template_id.data, field=_("Scorecard")),
            needs_recording=bool(form.needs_recording.data),
            needs_photos=bool(form.needs_photos.data),
            needs_receipt=bool(form.needs_receipt.data),
            min_narrative_chars=form.min_narrative_chars.data,
            lockout_days=form.lockout_days.data,
            report_deadline_days=form.report_deadline_days.data,
        )
        scenario_service.save_scenario(values, scenario)
        db.session.commit()
        flash(_("Scenario saved."), "success")
        return redirect(url_for("mystery.scenarios"))
    return page(), (400 if form.errors else 200)


@bp.route("/waves/")
@requires("mystery")
def waves():  # type: ignore[no-untyped-def]
    return render_template("mystery/waves.html", waves=wave_service.list_waves())


@bp.route("/waves/new", methods=["GET", "POST"])
@requires("mystery")
def wave_new():  # type: ignore[no-untyped-def]
    people = wave_service.shoppers()
    form = WaveForm(scenarios=scenario_service.list_scenarios(), shoppers=people)
    locations = [loc for loc in location_service.list_locations() if loc.active]
    page = show_form_on_error(lambda: render_template(
        "mystery/wave_new.html", form=form, locations=locations, shoppers=people,
        chosen=request.form,
    ))
    if form.validate_on_submit():
        plan = wave_service.WavePlan(
            name=form.name.data or "",
            scenario_id=record_id(form.scenario_id.data, field=_("Scenario")),
            starts_on=form.starts_on.data, ends_on=form.ends_on.data,
            locations={
                record_id(raw, field=_("Location")) or 0: record_id(
                    request.form.get(f"shopper-{raw}"), field=_("Shopper"))
                for raw in form.locations.data or []
            },
            shoppers=[record_id(raw, field=_("Shopper")) or 0 for raw in form.shoppers.data or []],
        )
        wave = wave_service.schedule_wave(plan, current_user)
        db.session.commit()
        flash(_("Wave scheduled: %(n)d assignments.", n=len(wave.assignments)), "success")
        return redirect(url_for("mystery.wave_detail", wave_id=wave.id))
    return page(), (400 if form.errors else 200)


@bp.route("/waves/<int:wave_id>")
@requires("mystery")
def wave_detail(wave_id: int):  # type: ignore[no-untyped-def]
    return render_template("mystery/wave_detail.html", wave=db.get_or_404(Wave, wave_id))


@bp.route("/assignments/<int:assignment_id>")
@requires("mystery")
def assignment(assignment_id: int):  # type: ignore[no-untyped-def]
    item = db.get_or_404(ShopAssignment, assignment_id)
    # "resolved" is reached by deciding the last open dispute, below.
    moves = [m for m in assignment_service.moves_for(item, current_user)
             if m in assignment_service.STAFF_MOVES and m != "resolved"]
    review = dispute_service.report_review(item)
    return render_template(
        "mystery/assignment.html", assignment=item, moves=moves, move_form=MoveForm(),
        review=review,
        breakdown=review_service.review_breakdown(review) if review else None,
        correctable=review is not None and item.state in validation_service.CORRECTABLE,
        score_form=ReviewForm(),
        dispute=dispute_service.page_context(review, current_user),
        dispute_form=DisputeForm(choices=dispute_service.item_choices(review) if review else []),
        resolve_form=ResolveDisputeForm(), raise_url=None,
        **report_checks.staff_context(item),
    )


@bp.route("/assignments/<int:assignment_id>/scores", methods=["POST"])
@requires("mystery")
def assignment_scores(assignment_id: int):  # type: ignore[no-untyped-def]
    """The editor corrects the report's answers; saved as a revision of its review."""
    item = db.get_or_404(ShopAssignment, assignment_id)
    back_on_error(url_for("mystery.assignment", assignment_id=item.id))
    form = ReviewForm()
    if not form.validate_on_submit():
        abort(400)
    review = dispute_service.report_review(item)
    keys = list(request.form.keys())
    if review is not None:
        keys = [i.key for i in scorecard_service.definition_of(review.scorecard_version).items]
    values, comments = item_values(request.form, keys)
    validation_service.correct_scores(
        item, current_user, values=values, comments=comments, comment=form.comment.data,
        expected_version=int_or_none(form.version.data),
    )
    db.session.commit()
    flash(_("Scores corrected."), "success")
    return redirect(url_for("mystery.assignment", assignment_id=item.id))


@bp.route("/assignments/<int:assignment_id>/move", methods=["POST"])
@requires("mystery")
def assignment_move(assignment_id: int):  # type: ignore[no-untyped-def]
    item = db.get_or_404(ShopAssignment, assignment_id)
    back_on_error(url_for("mystery.assignment", assignment_id=item.id))
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    if form.to_state.data not in assignment_service.STAFF_MOVES:
        raise ValidationFailed(_("Unknown state: %(state)s.", state=shown(form.to_state.data)))
    if form.to_state.data == "returned":
        validation_service.return_to_shopper(item, current_user, form.comment.data,
                                             form.due_on.data)
    else:
        assignment_service.move(item, form.to_state.data or "", current_user, form.comment.data)
    db.session.commit()
    flash(_("Assignment updated."), "success")
    return redirect(url_for("mystery.assignment", assignment_id=item.id))


@bp.route("/evidence/<int:evidence_id>")
@requires("mystery")
def evidence_file(evidence_id: int):  # type: ignore[no-untyped-def]
    """A shopper's photo or receipt, for the editor."""
    return send_evidence(db.get_or_404(ShopEvidence, evidence_id))


@bp.route("/assignments/<int:assignment_id>/print")
@requires("mystery")
def evaluation_print(assignment_id: int):  # type: ignore[no-untyped-def]
    """One evaluation laid out for printing (the print stylesheet hides the page's chrome)."""
    item = db.get_or_404(ShopAssignment, assignment_id)
    review = dispute_service.report_review(item)
    if review is None:
        abort(404)
    return render_template(
        "mystery/print.html", assignment=item, review=review,
        breakdown=review_service.review_breakdown(review),
        disputes=dispute_service.disputes_of(review),
        item_texts=dict(dispute_service.item_choices(review)),
    )


_DOWNLOAD_TYPES = {
    # Werkzeug adds "; charset=utf-8" to text/* types.
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _grouping(allowed: tuple[str, ...]) -> str:
    by = request.args.get("by", allowed[0])
    if by not in allowed:
        raise ValidationFailed(_("Unknown grouping: %(by)s.", by=shown(by)))
    return by


@bp.route("/reports")
@requires("mystery")
def reports():  # type: ignore[no-untyped-def]
    """Mystery-shop results per location, seller, scenario or wave, month by month."""
    show_form_on_error(lambda: render_template(
        "mystery/reports.html", by="location", rows=[], groups=report_service.GROUPS))
    by = _grouping(report_service.GROUPS)
    found = report_service.results()
    return render_template("mystery/reports.html", by=by, rows=report_service.summary(by, found),
                           groups=report_service.GROUPS,
                           turnaround=report_service.turnaround(found))


@bp.route("/reports/export.<fmt>")
@requires("mystery")
def reports_export(fmt: str):  # type: ignore[no-untyped-def]
    if fmt not in _DOWNLOAD_TYPES:
        abort(404)
    by = _grouping(report_service.GROUPS)
    return send_file(io.BytesIO(report_service.export(by, fmt)), mimetype=_DOWNLOAD_TYPES[fmt],
                     as_attachment=True, download_name=f"mystery-shops-{by}.{fmt}")


@bp.route("/league")
@requires("mystery")
def league():  # type: ignore[no-untyped-def]
    """Locations or sellers ranked, with the top and bottom N% marked."""
    show_form_on_error(lambda: render_template(
        "mystery/league.html", by="location", percent=10, table=None,
        groups=report_service.LEAGUE_GROUPS))
    by = _grouping(report_service.LEAGUE_GROUPS)
    raw = request.args.get("percent", "10")
    percent = int(raw) if raw.isdigit() and len(raw) <= 3 else 0
    table = report_service.league(by, percent)
    return render_template("mystery/league.html", by=by, percent=percent, table=table,
                           groups=report_service.LEAGUE_GROUPS,
                           turnaround=report_service.turnaround())
