from __future__ import annotations

from flask import render_template

from qa.agents import bp
from qa.extensions import db
from qa.models import Agent
from qa.roles import requires
from qa.services.quality import agents as agent_service


@bp.route("/")
@requires("calls.view")
def index():  # type: ignore[no-untyped-def]
    return render_template("agents/index.html", summaries=agent_service.list_agents())


@bp.route("/<int:agent_id>")
@requires("calls.view")
def detail(agent_id: int):  # type: ignore[no-untyped-def]
    agent = db.get_or_404(Agent, agent_id)
    return render_template("agents/detail.html", overview=agent_service.agent_overview(agent))
