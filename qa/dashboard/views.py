from typing import Any

from flask import Response, abort, flash, render_template, request, url_for
from flask_babel import gettext as _

from qa.dashboard import bp
from qa.dashboard.forms import DashboardFilterForm
from qa.dashboard.table import figure_cells
from qa.extensions import db
from qa.roles import requires
from qa.services.errors import NotFound, ValidationFailed
from qa.services.marketing import campaigns as campaign_service
from qa.services.marketing import dashboard_drill, dashboard_exports, dashboards


def _filter_form() -> tuple[DashboardFilterForm, dashboards.Period]:
    """The filter form from the query string and the period it asks for (last 30 days if none)."""
    form = DashboardFilterForm(formdata=request.args)
    form.campaign.choices = [("", _("All campaigns"))] + [
        (str(c.id), c.name) for c in campaign_service.list_campaigns()
    ]
    today = dashboards.company_today()
    default = dashboards.Period.last_days(today=today)
    if not form.validate():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
        return form, default
    start, end = form.date_from.data, form.date_to.data
    if start is None and end is None:
        period = default
    else:
        end = end or today
        start = start or dashboards.Period.last_days(today=end).start
        try:
            period = dashboards.Period.checked(start, end)
        except ValidationFailed as exc:
            flash(str(exc), "danger")
            period = default
    form.date_from.data, form.date_to.data = period.start, period.end
    return form, period


def _period_args(period: dashboards.Period) -> dict[str, Any]:
    return {"from": period.start.isoformat(), "to": period.end.isoformat()}


@bp.route("/")
@requires("dashboard")
def index():  # type: ignore[no-untyped-def]
    form, period = _filter_form()
    campaign_id = int(form.campaign.data) if (form.campaign.data or "").isdigit() else None
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
    _form, period = _filter_form()
    scope = request.args.get("campaign", "all")
    metric = request.args.get("metric", "leads")
    page = request.args.get("page", 1, type=int)
    try:
        result = dashboard_drill.drill_down(period, scope, metric, page)
    except NotFound as exc:
        abort(404, description=str(exc))
    except ValidationFailed as exc:
        abort(400, description=str(exc))
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
    _form, period = _filter_form()
    body = dashboard_exports.figures_csv(dashboards.build_dashboard(period))
    db.session.commit()
    filename = f"dashboard-{period.start.isoformat()}-{period.end.isoformat()}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
