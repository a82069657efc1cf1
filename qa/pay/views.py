import os

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from qa.errors import back_on_error
from qa.extensions import db
from qa.import_messages import flash_row_errors
from qa.pay import bp
from qa.pay.forms import (
    ApproveForm,
    CalculateForm,
    ConfirmImportForm,
    DisputeLineForm,
    ExportForm,
    PlanForm,
    ResolveForm,
    TableUploadForm,
)
from qa.reviews.disputes import decide_from_form, raise_from_form
from qa.roles import requires
from qa.services import staged_files
from qa.services.errors import Conflict, NotFound, ValidationFailed
from qa.services.pay import appointments as appointment_service
from qa.services.pay import plans as plan_service
from qa.services.pay import statements as statement_service
from qa.services.quality import disputes as dispute_service
from qa.services.tabular import parse_table, read_upload
from qa.services.validation import page_number


def _imports_dir() -> str:
    return os.path.join(current_app.instance_path, "imports")


@bp.route("/")
@requires("pay")
def index():  # type: ignore[no-untyped-def]
    """The team's statements for a month side by side, totals per role, what pay bought."""
    month = statement_service.parse_month(request.args.get("month"))
    statements = statement_service.month_statements(month)
    return render_template(
        "pay/index.html",
        month=month,
        statements=statements,
        totals=statement_service.totals(statements),
        calculate_form=CalculateForm(month=month.strftime("%Y-%m")),
        export_form=ExportForm(month=month.strftime("%Y-%m")),
    )


@bp.route("/calculate", methods=["POST"])
@requires("pay")
def calculate():  # type: ignore[no-untyped-def]
    form = CalculateForm()
    if not form.validate_on_submit():
        flash(_("Month: expected YYYY-MM."), "danger")
        return redirect(url_for("pay.index"))
    back_on_error(url_for("pay.index"))
    month = statement_service.parse_month(form.month.data)
    report = statement_service.calculate_month(month)
    db.session.commit()
    flash(
        _(
            "Statements: %(created)d new, %(updated)d drafts recalculated, %(versions)d new "
            "versions of approved ones, %(same)d unchanged.",
            created=report.created,
            updated=report.updated,
            versions=report.new_versions,
            same=report.unchanged,
        ),
        "success",
    )
    if report.without_plan:
        flash(
            _("No plan for the role of: %(names)s.", names=", ".join(report.without_plan)),
            "warning",
        )
    return redirect(url_for("pay.index", month=month.strftime("%Y-%m")))


@bp.route("/export", methods=["POST"])
@requires("pay")
def export():  # type: ignore[no-untyped-def]
    form = ExportForm()
    if not form.validate_on_submit():
        abort(400)
    month = statement_service.parse_month(form.month.data)
    back_on_error(url_for("pay.index", month=month.strftime("%Y-%m")))
    fmt = form.fmt.data or "csv"
    data = statement_service.export(month, fmt, current_user)
    db.session.commit()
    mimetype = (
        "text/csv"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return Response(
        data,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f"attachment; filename=pay-{month.strftime('%Y-%m')}.{fmt}"
        },
    )


@bp.route("/statements/<int:statement_id>")
@requires("my_pay")
def statement(statement_id: int):  # type: ignore[no-untyped-def]
    """One statement: every line with its figure, target, level and amount; printable."""
    found = statement_service.get_statement(statement_id, current_user)
    return render_template(
        "pay/statement.html",
        statement=found,
        lines=statement_service.shown_lines(found.lines),
        versions=statement_service.versions(found) if current_user.role == "admin" else [found],
        difference=statement_service.difference(found),
        approve_form=ApproveForm() if current_user.role == "admin" else None,
        dispute=dispute_service.page_context(found, current_user),
        dispute_form=DisputeLineForm(),
        resolve_form=ResolveForm(),
        raise_url=url_for("pay.dispute", statement_id=found.id),
        corrects=statement_service.corrected_disputes(found),
    )


@bp.route("/statements/<int:statement_id>/sources/<kind>")
@requires("my_pay")
def sources(statement_id: int, kind: str):  # type: ignore[no-untyped-def]
    """The leads, campaigns, appointments, calls or reviews behind one figure."""
    found = statement_service.get_statement(statement_id, current_user)
    if kind not in statement_service.SOURCE_MODELS:
        abort(404)
    return render_template(
        "pay/sources.html",
        statement=found,
        kind=kind,
        records=statement_service.sources(found, kind),
    )


@bp.route("/statements/<int:statement_id>/approve", methods=["POST"])
@requires("pay")
def approve(statement_id: int):  # type: ignore[no-untyped-def]
    found = statement_service.get_statement(statement_id, current_user)
    if not ApproveForm().validate_on_submit():
        abort(400)
    back_on_error(url_for("pay.statement", statement_id=found.id))
    statement_service.approve(found, current_user)
    db.session.commit()
    flash(_("Statement approved; it will not change any more."), "success")
    return redirect(url_for("pay.statement", statement_id=found.id))


@bp.route("/statements/<int:statement_id>/disputes", methods=["POST"])
@requires("my_pay")
def dispute(statement_id: int):  # type: ignore[no-untyped-def]
    found = statement_service.get_statement(statement_id, current_user)
    back = url_for("pay.statement", statement_id=found.id, _anchor="disputes")
    back_on_error(back)  # a refused form goes back to the statement too
    return raise_from_form(found, DisputeLineForm(), back, _("Dispute saved."))


@bp.route("/disputes/<int:dispute_id>/resolve", methods=["POST"])
@requires("pay")
def resolve(dispute_id: int):  # type: ignore[no-untyped-def]
    found = dispute_service.get_dispute(dispute_id, current_user)
    if found.statement_id is None:
        abort(404)
    back = url_for("pay.statement", statement_id=found.statement_id)
    back_on_error(back)  # a refused form goes back to the statement too
    return decide_from_form(found, ResolveForm(), back)


@bp.route("/mine")
@requires("my_pay")
def mine():  # type: ignore[no-untyped-def]
    """The employee's pay so far this month (a live estimate) and their frozen statements."""
    agent = current_user.agent
    estimate = statement_service.estimate(agent) if agent is not None else None
    past = (
        statement_service.agent_statements(agent.id, frozen_only=True) if agent is not None else []
    )
    return render_template(
        "pay/mine.html",
        agent=agent,
        estimate=estimate,
        past=past,
        lines=statement_service.shown_lines(estimate.result.lines)
        if estimate and estimate.result
        else [],
    )


@bp.route("/plans", methods=["GET", "POST"])
@requires("pay")
def plans():  # type: ignore[no-untyped-def]
    form = PlanForm()
    if form.validate_on_submit():
        back_on_error(url_for("pay.plans"))
        rows = [entry.data for entry in form.indicators.entries]
        values = {
            name: form[name].data for name in ("fixed", "variable", "cap", "max_reduction", "note")
        }
        try:
            saved = plan_service.save_plan(
                form.role.data, form.valid_from.data, values, rows, current_user
            )
        except (ValidationFailed, Conflict) as exc:
            db.session.rollback()
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash(_("Plan version saved."), "success")
            for warning in saved.warnings:
                flash(warning, "warning")
            return redirect(url_for("pay.plans"))
    for field, errors in form.errors.items():
        for error in errors if isinstance(errors, list) else [errors]:
            flash(f"{form[field].label.text}: {error}", "danger")
    return render_template(
        "pay/plans.html",
        form=form,
        plans=plan_service.list_plans(),
        definition=plan_service.definition,
    )


@bp.route("/appointments")
@requires("pay")
def appointments():  # type: ignore[no-untyped-def]
    page = page_number(request.args.get("page"))
    return render_template(
        "pay/appointments.html",
        pagination=appointment_service.list_appointments(page, current_app.config["PAGE_SIZE"]),
        upload_form=TableUploadForm(),
    )


@bp.route("/appointments/import", methods=["POST"])
@requires("pay")
def import_preview():  # type: ignore[no-untyped-def]
    form = TableUploadForm()
    if not form.validate_on_submit():
        for error in form.file.errors:
            flash(str(error), "danger")
        return redirect(url_for("pay.appointments"))
    filename = form.file.data.filename or ""
    try:
        data = read_upload(form.file.data.stream)
        preview = appointment_service.preview_appointments(parse_table(data, filename))
    except ValidationFailed as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("pay.appointments"))
    db.session.rollback()
    token = staged_files.stage(data, filename, _imports_dir())
    return render_template(
        "pay/appointments_preview.html",
        preview=preview,
        confirm_form=ConfirmImportForm(token=token),
    )


@bp.route("/appointments/import/confirm", methods=["POST"])
@requires("pay")
def import_confirm():  # type: ignore[no-untyped-def]
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        flash(_("The import has expired; upload the file again."), "danger")
        return redirect(url_for("pay.appointments"))
    token = form.token.data or ""
    try:
        data = staged_files.claim(_imports_dir(), token)
    except Conflict as exc:
        flash(str(exc), "info")
        return redirect(url_for("pay.appointments"))
    except NotFound as exc:
        flash(str(exc), "danger")
        return redirect(url_for("pay.appointments"))
    try:
        report = appointment_service.import_appointments(parse_table(data, token))
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        staged_files.release(_imports_dir(), token)
        flash(str(exc), "danger")
        return redirect(url_for("pay.appointments"))
    except BaseException:
        db.session.rollback()
        staged_files.release(_imports_dir(), token)
        raise
    staged_files.finish(_imports_dir(), token)
    flash(
        _(
            "Appointments: %(created)d created, %(updated)d updated.",
            created=report.created,
            updated=report.updated,
        ),
        "success",
    )
    flash_row_errors(report.errors)
    return redirect(url_for("pay.appointments"))
