from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qa.errors import back_on_error
from qa.extensions import db
from qa.models import ShopAssignment
from qa.roles import requires
from qa.services.mystery import assignments as assignment_service
from qa.shopping import bp
from qa.shopping.forms import StartForm


@bp.route("/")
@requires("shopping")
def mine():  # type: ignore[no-untyped-def]
    """The shopper's own assignments, open ones first."""
    return render_template(
        "shopping/mine.html",
        assignments=assignment_service.for_shopper(current_user),
        start_form=StartForm(),
    )


@bp.route("/<int:assignment_id>/start", methods=["POST"])
@requires("shopping")
def start(assignment_id: int):  # type: ignore[no-untyped-def]
    assignment = db.get_or_404(ShopAssignment, assignment_id)
    if not assignment_service.can_see(assignment, current_user):
        abort(404)  # another shopper's: as if it did not exist
    back_on_error(url_for("shopping.mine"))
    if StartForm().validate_on_submit():
        assignment_service.move(assignment, "in_progress", current_user)
        db.session.commit()
        flash(_("Assignment started. Good luck!"), "success")
    return redirect(url_for("shopping.mine"))
