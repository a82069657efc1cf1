from flask import current_app, render_template, request

from qa.ads import bp
from qa.roles import requires
from qa.services import ads as ad_service


@bp.route("/")
@requires("ads")
def index():  # type: ignore[no-untyped-def]
    page = request.args.get("page", 1, type=int)
    pagination = ad_service.list_ad_texts(page, current_app.config["PAGE_SIZE"])
    return render_template("ads/index.html", pagination=pagination)
