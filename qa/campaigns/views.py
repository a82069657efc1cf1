from decimal import Decimal

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from qa.campaigns import bp
from qa.campaigns.forms import CampaignForm, TableUploadForm
from qa.errors import show_form_on_error
from qa.extensions import db
from qa.import_messages import flash_row_errors
from qa.models import Campaign
from qa.roles import requires
from qa.services.errors import ValidationFailed
from qa.services.marketing import ad_videos
from qa.services.marketing import campaigns as campaign_service
from qa.services.tabular import read_table


@bp.route("/")
@requires("campaigns")
def index():  # type: ignore[no-untyped-def]
    return render_template(
        "campaigns/index.html",
        campaigns=campaign_service.list_campaigns(),
        upload_form=TableUploadForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("campaigns")
def new():  # type: ignore[no-untyped-def]
    return _edit(None)


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@requires("campaigns")
def edit(campaign_id: int):  # type: ignore[no-untyped-def]
    return _edit(db.get_or_404(Campaign, campaign_id))


def _edit(campaign: Campaign | None):  # type: ignore[no-untyped-def]
    form = CampaignForm(obj=campaign)
    form.owner_id.choices = campaign_service.owner_choices(_("Not set"))
    if campaign is not None and not form.is_submitted():
        form.owner_id.data = str(campaign.owner_id or "")
    page = show_form_on_error(
        lambda: render_template("campaigns/edit.html", form=form, campaign=campaign)
    )
    if form.validate_on_submit():
        values = campaign_service.CampaignValues(
            name=form.name.data or "", channel=form.channel.data or None,
            kind=form.kind.data or "mass", utm_source=form.utm_source.data or None,
            utm_medium=form.utm_medium.data or None, utm_campaign=form.utm_campaign.data or None,
            starts_on=form.starts_on.data, ends_on=form.ends_on.data,
            spend=form.spend.data or Decimal("0"), views=form.views.data or 0,
        )
        owner = campaign_service.find_owner(form.owner_id.data)
        saved = campaign_service.save_campaign(values, campaign)
        campaign_service.set_owner(saved, owner)
        db.session.commit()
        flash(_("Campaign saved."), "success")
        return redirect(url_for("campaigns.detail", campaign_id=saved.id))
    return page(), (400 if form.errors else 200)


@bp.route("/<int:campaign_id>")
@requires("campaigns")
def detail(campaign_id: int):  # type: ignore[no-untyped-def]
    campaign = db.get_or_404(Campaign, campaign_id)
    return render_template(
        "campaigns/detail.html",
        campaign=campaign,
        overview=campaign_service.campaign_overview(campaign),
        videos=ad_videos.campaign_videos(campaign),
    )


@bp.route("/import", methods=["POST"])
@requires("campaigns")
def import_csv():  # type: ignore[no-untyped-def]
    form = TableUploadForm()
    if not form.validate_on_submit():
        for error in form.file.errors:
            flash(str(error), "danger")
        return redirect(url_for("campaigns.index"))
    try:
        table = read_table(form.file.data.stream, form.file.data.filename or "")
        report = campaign_service.import_campaigns(table)
    except ValidationFailed as exc:
        db.session.rollback()
        flash(str(exc), "danger")
        return redirect(url_for("campaigns.index"))
    db.session.commit()
    flash(_("Campaigns: %(created)d created, %(updated)d updated.",
            created=report.created, updated=report.updated), "success")
    flash_row_errors(report.errors)
    return redirect(url_for("campaigns.index"))
