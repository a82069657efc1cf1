from flask import current_app, render_template, request

from qa.calls import bp
from qa.extensions import db
from qa.models import Call
from qa.roles import requires
from qa.services import calls as call_service


@bp.route("/")
@requires("calls.view")
def index():  # type: ignore[no-untyped-def]
    page = request.args.get("page", 1, type=int)
    pagination = call_service.list_calls(page, current_app.config["PAGE_SIZE"])
    return render_template("calls/index.html", pagination=pagination)


@bp.route("/<int:call_id>")
@requires("calls.view")
def detail(call_id: int):  # type: ignore[no-untyped-def]
    call = db.get_or_404(Call, call_id)
    return render_template("calls/detail.html", call=call)
