from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from qa.errors import show_form_on_error
from qa.extensions import db
from qa.import_messages import flash_row_errors
from qa.locations import bp
from qa.locations.forms import LocationForm, TableUploadForm
from qa.models import Location
from qa.reviews.disputes import raise_from_form
from qa.reviews.forms import DisputeForm, ResolveDisputeForm
from qa.roles import requires
from qa.services.errors import NotFound, ValidationFailed
from qa.services.mystery import assignments as assignment_service
from qa.services.mystery import locations as location_service
from qa.services.quality import disputes as dispute_service
from qa.services.quality import reviews as review_service
from qa.services.tabular import read_table
from qa.services.validation import record_id

# A manager sees a report once it is published, and through its disputes.
VISIBLE_TO_MANAGER = ("published", "disputed", "resolved")


@bp.route("/")
@requires("mystery")
def index():  # type: ignore[no-untyped-def]
    return render_template(
        "locations/index.html",
        locations=location_service.list_locations(),
        upload_form=TableUploadForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("mystery")
def new():  # type: ignore[no-untyped-def]
    return _edit(None)


@bp.route("/<int:location_id>/edit", methods=["GET", "POST"])
@requires("mystery")
def edit(location_id: int):  # type: ignore[no-untyped-def]
    return _edit(db.get_or_404(Location, location_id))


def _edit(location: Location | None):  # type: ignore[no-untyped-def]
    form = LocationForm(obj=location, managers=location_service.managers())
    if location is not None and not form.is_submitted():
        form.manager_id.data = str(location.manager_id or "")
    page = show_form_on_error(
        lambda: render_template("locations/edit.html", form=form, location=location)
    )
    if form.validate_on_submit():
        values = location_service.LocationValues(
            name=form.name.data or "",
            address=form.address.data or None,
            latitude=form.latitude.data or None,
            longitude=form.longitude.data or None,
            phone=form.phone.data or None,
            manager_id=record_id(form.manager_id.data, field=_("Manager")),
            active=bool(form.active.data),
        )
        location_service.save_location(values, location)
        db.session.commit()
        flash(_("Location saved."), "success")
        return redirect(url_for("locations.index"))
    return page(), (400 if form.errors else 200)


@bp.route("/import", methods=["POST"])
@requires("mystery")
def import_csv():  # type: ignore[no-untyped-def]
    form = TableUploadForm()
    if not form.validate_on_submit():
        for error in form.file.errors:
            flash(str(error), "danger")
        return redirect(url_for("locations.index"))
    try:
        table = read_table(form.file.data.stream, form.file.data.filename or "")
        report = location_service.import_locations(table)
    except ValidationFailed as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("locations.index"))
    db.session.commit()
    flash(
        _(
            "Locations: %(created)d created, %(updated)d updated.",
            created=report.created,
            updated=report.updated,
        ),
        "success",
    )
    flash_row_errors(report.errors)
    return redirect(url_for("locations.index"))


@bp.route("/mine")
@requires("managed_locations")
def managed():  # type: ignore[no-untyped-def]
    """A location manager's own locations and the mystery-shopping visits to them."""
    return render_template(
        "locations/managed.html",
        locations=location_service.managed_by(current_user),
        assignments=assignment_service.at_managed_locations(current_user),
    )


def _managed_shop(assignment_id: int):  # type: ignore[no-untyped-def]
    """A visit to a location the user manages, with its report's review (404 otherwise)."""
    try:
        shop = assignment_service.get_for(assignment_id, current_user)
    except NotFound:
        abort(404)
    if shop.location.manager_id != current_user.id:
        abort(404)
    return shop


@bp.route("/mine/shops/<int:shop_id>")
@requires("managed_locations")
def shop(shop_id: int):  # type: ignore[no-untyped-def]
    """A published mystery-shop report at the manager's location, its disputes and outcome."""
    item = _managed_shop(shop_id)
    review = dispute_service.report_review(item) if item.state in VISIBLE_TO_MANAGER else None
    return render_template(
        "locations/shop.html",
        assignment=item,
        review=review,
        breakdown=review_service.review_breakdown(review) if review else None,
        dispute=dispute_service.page_context(review, current_user),
        dispute_form=DisputeForm(choices=dispute_service.item_choices(review) if review else []),
        resolve_form=ResolveDisputeForm(),
        raise_url=url_for("locations.shop_dispute", shop_id=item.id),
    )


@bp.route("/mine/shops/<int:shop_id>/disputes", methods=["POST"])
@requires("managed_locations")
def shop_dispute(shop_id: int):  # type: ignore[no-untyped-def]
    """The location's manager disputes an item of a published report."""
    item = _managed_shop(shop_id)
    review = dispute_service.report_review(item)
    if review is None or item.state not in VISIBLE_TO_MANAGER:
        abort(404)
    return raise_from_form(
        review,
        DisputeForm(choices=dispute_service.item_choices(review)),
        url_for("locations.shop", shop_id=item.id),
        _("Dispute saved. A QA lead will decide it."),
    )
