from flask import current_app, render_template, request

from qa.reviews import bp
from qa.roles import requires
from qa.services import reviews as review_service


@bp.route("/")
@requires("reviews")
def index():  # type: ignore[no-untyped-def]
    page = request.args.get("page", 1, type=int)
    pagination = review_service.list_reviews(page, current_app.config["PAGE_SIZE"])
    return render_template("reviews/index.html", pagination=pagination)
