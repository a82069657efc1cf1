from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qa.agents import bp
from qa.agents.forms import AgentLocationForm
from qa.errors import back_on_error
from qa.extensions import db
from qa.models import Agent
from qa.roles import can, requires
from qa.services.mystery import locations as location_service
from qa.services.mystery import results as mystery_report_service
from qa.services.quality import agents as agent_service
from qa.services.validation import record_id


@bp.route("/")
@requires("calls.view")
def index():  # type: ignore[no-untyped-def]
    return render_template("agents/index.html", summaries=agent_service.list_agents())


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
