from flask import render_template

from qa.dashboard import bp
from qa.roles import requires
from qa.services import dashboards


@bp.route("/")
@requires("dashboard")
def index():  # type: ignore[no-untyped-def]
    return render_template("dashboard/index.html", funnels=dashboards.campaign_funnels())
