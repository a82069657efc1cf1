from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qa.agents import bp
from qa.agents.forms import AgentLocationForm, ConfirmImportForm, InviteForm, TableUploadForm
from qa.errors import back_on_error
from qa.extensions import db
from qa.import_messages import flash_row_errors, preview_upload, run_staged
from qa.models import Agent
from qa.roles import can, requires
from qa.services.admin import employees as employee_service
from qa.services.mystery import locations as location_service
from qa.services.mystery import results as mystery_report_service
from qa.services.quality import agents as agent_service
from qa.services.tabular import parse_table
from qa.services.validation import record_id


@bp.route("/")
@requires("calls.view")
def index():  # type: ignore[no-untyped-def]
    may_invite = can(current_user.role, "users")
    return render_template(
        "agents/index.html", summaries=agent_service.list_agents(),
        users=employee_service.linked_users() if may_invite else {},
        may_invite=may_invite, invite_form=InviteForm(), upload_form=TableUploadForm(),
    )


@bp.route("/<int:agent_id>")
@requires("calls.view")
def detail(agent_id: int):  # type: ignore[no-untyped-def]
    agent = db.get_or_404(Agent, agent_id)
    location_form = None
    if can(current_user.role, "mystery"):
        location_form = AgentLocationForm(locations=location_service.list_locations())
        location_form.location_id.data = str(agent.location_id or "")
    return render_template("agents/detail.html", overview=agent_service.agent_overview(agent),
                           location_form=location_form,
                           shops=mystery_report_service.for_agent(agent.id))


@bp.route("/<int:agent_id>/location", methods=["POST"])
@requires("mystery")
def set_location(agent_id: int):  # type: ignore[no-untyped-def]
    """The store or branch the agent works at."""
    agent = db.get_or_404(Agent, agent_id)
    back_on_error(url_for("agents.detail", agent_id=agent.id))
    form = AgentLocationForm()
    if form.validate_on_submit():
        location_service.set_agent_location(
            agent, record_id(form.location_id.data, field=_("Location")))
        db.session.commit()
        flash(_("Location saved."), "success")
    return redirect(url_for("agents.detail", agent_id=agent.id))


@bp.route("/<int:agent_id>/invite", methods=["POST"])
@requires("users")
def invite(agent_id: int):  # type: ignore[no-untyped-def]
    """One click: an employee user linked to the agent, its temporary password shown once."""
    agent = db.get_or_404(Agent, agent_id)
    form = InviteForm()
    if not form.validate_on_submit():
        abort(400)
    back_on_error(url_for("agents.index"))
    invitation = employee_service.invite(agent, form.email.data)
    db.session.commit()
    return render_template("agents/invited.html", invitations=[invitation])


@bp.route("/import", methods=["POST"])
@requires("users")
def import_preview():  # type: ignore[no-untyped-def]
    """Check every row of a staff table (name, email, team); nothing is stored yet."""
    form = TableUploadForm()
    if not form.validate_on_submit():
        for error in form.file.errors:
            flash(str(error), "danger")
        return redirect(url_for("agents.index"))
    staged = preview_upload(form.file.data, employee_service.preview_staff)
    if staged is None:
        return redirect(url_for("agents.index"))
    preview, token = staged
    return render_template("agents/import_preview.html", preview=preview,
                           confirm_form=ConfirmImportForm(token=token))


@bp.route("/import/confirm", methods=["POST"])
@requires("users")
def import_confirm():  # type: ignore[no-untyped-def]
    """Import the staged staff table once; new users' temporary passwords are shown once."""
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        flash(_("The import has expired; upload the file again."), "danger")
        return redirect(url_for("agents.index"))
    token = form.token.data or ""
    report = run_staged(token, lambda data: employee_service.import_staff(parse_table(data, token)))
    if report is None:
        return redirect(url_for("agents.index"))
    flash(_("Staff: %(created)d agents created, %(updated)d updated, %(users)d users invited.",
            created=report.created, updated=report.updated, users=len(report.invitations)),
          "success")
    flash_row_errors(report.errors)
    if not report.invitations:
        return redirect(url_for("agents.index"))
    return render_template("agents/invited.html", invitations=report.invitations)
