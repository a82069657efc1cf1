from typing import Any

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _

from qa.dashboard import bp
from qa.dashboard.forms import DashboardFilterForm
from qa.dashboard.table import figure_cells
from qa.errors import refuse_invalid, show_form_on_error
from qa.extensions import db
from qa.roles import requires
from qa.services.marketing import campaigns as campaign_service
from qa.services.marketing import dashboard_drill, dashboard_exports, dashboards
from qa.services.validation import page_number, record_id


def _filter_form(formdata: Any = None) -> tuple[DashboardFilterForm, dashboards.Period]:
    """The filter form from ``formdata`` and the period it asks for (last 30 days if none).

    A date that cannot be read or used raises ValidationFailed, naming it.
    """
    form = DashboardFilterForm(formdata=formdata)
    form.campaign.choices = [("", _("All campaigns"))] + [
        (str(c.id), c.name) for c in campaign_service.list_campaigns()
    ]
    if formdata is not None:
        refuse_invalid(form)
    today = dashboards.company_today()
    period = dashboards.Period.asked(form.date_from.data, form.date_to.data, today)
    form.date_from.data, form.date_to.data = period.start, period.end
    return form, period


def _period_args(period: dashboards.Period) -> dict[str, Any]:
    return {"from": period.start.isoformat(), "to": period.end.isoformat()}


@bp.route("/")
@requires("dashboard")
def index():  # type: ignore[no-untyped-def]
    # A filter that cannot be used shows its message above the default period's dashboard.
    show_form_on_error(lambda: _dashboard_page(*_filter_form()))
    return _dashboard_page(*_filter_form(request.args))


def _dashboard_page(form: DashboardFilterForm, period: dashboards.Period) -> str:
    chosen = form.campaign.data or ""
    campaign_id = record_id(chosen, field=_("Charts for")) if chosen.isdigit() else None
    dashboard = dashboards.build_dashboard(period, campaign_id)
    # Rendered before the commit (which only stores default settings on first use): a commit
    # expires the campaigns, and reloading them one by one would double the page's time.
    html = render_template(
        "dashboard/index.html",
        form=form,
        dashboard=dashboard,
        chart_data=dashboard_exports.chart_data(dashboard),
        figure_cells=figure_cells,
        # Built once: a page with hundreds of figure links would spend its time in url_for.
        drill_base=url_for("dashboard.drill", **_period_args(period)),
        export_url=url_for("dashboard.export", **_period_args(period)),
    )
    db.session.commit()
    return html


@bp.route("/drill")
@requires("dashboard")
def drill():  # type: ignore[no-untyped-def]
    """The leads, calls or ad texts behind one figure."""
    _form, period = _filter_form(request.args)
    scope = request.args.get("campaign", "all")
    metric = request.args.get("metric", "leads")
    result = dashboard_drill.drill_down(
        period, scope, metric, page_number(request.args.get("page"))
    )
    html = render_template(
        "dashboard/drill.html",
        drill=result,
        period=period,
        period_args=_period_args(period),
        back_url=url_for("dashboard.index", **_period_args(period)),
    )
    db.session.commit()  # after rendering, as on the dashboard
    return html


@bp.route("/export.csv")
@requires("dashboard")
def export():  # type: ignore[no-untyped-def]
    """The figures table as a CSV download."""
    _form, period = _filter_form(request.args)
    body = dashboard_exports.figures_csv(dashboards.build_dashboard(period))
    db.session.commit()
    filename = f"dashboard-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
