"""The dashboard's figures as chart data (a JSON block on the page) and as a CSV download."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from qa.models.company import LEAD_CHANNELS
from qa.services import exports
from qa.services.marketing.dashboards import Dashboard
from qa.timefmt import format_day


def chart_data(dashboard: Dashboard) -> dict[str, object]:
    """What the trend charts and the funnel draw; sent to the page as a JSON block."""
    trend, bands = dashboard.trend, dashboard.bands

    def pct(values: list[float | None]) -> list[float | None]:
        return [None if v is None else round(v, 2) for v in values]

    view_band = None
    if dashboard.focus.kind == "mass":
        view_band = [bands.mass_view_lead_red, bands.mass_view_lead_green]
    elif dashboard.focus.kind == "targeted":
        view_band = [bands.targeted_view_lead_red, bands.targeted_view_lead_green]
    funnel_labels = {
        "views": _("Views"),
        "leads": _("Leads"),
        "qualified": _("Qualified or won"),
        "won": _("Won"),
    }
    return {
        "title": dashboard.focus.label,
        "weeks": [format_day(week) for week in trend.weeks],
        "leads": trend.leads,
        "won": trend.won,
        "lead_to_sale": pct(trend.lead_to_sale),
        "view_to_lead": pct(trend.view_to_lead),
        "lead_to_sale_band": [bands.lead_sale_red, bands.lead_sale_green_above],
        "view_to_lead_band": view_band,
        "funnel": {
            "labels": [funnel_labels[step] for step, _value in dashboard.funnel],
            "values": [value for _step, value in dashboard.funnel],
        },
        "text": {
            "leads": _("Leads"),
            "won": _("Won"),
            "lead_to_sale": _("Lead → sale, %"),
            "view_to_lead": _("View → lead, %"),
            "red_below": _("red below"),
            "green_from": _("green from"),
            "week_of": _("Week of"),
            "count": _("Count (log scale)"),
        },
    }


CSV_HEADER = [
    "row",
    "campaign_id",
    "kind",
    "views",
    "spend",
    "leads",
    "view_to_lead_pct",
    "view_to_lead_band",
    "qualified_or_won",
    "won",
    "lead_to_sale_pct",
    "lead_to_sale_band",
    "cost_per_lead",
    *(f"cost_per_lead_{channel}" for channel in LEAD_CHANNELS),
    "cost_per_sale",
    "buying_customers",
    "repeat_customers",
    "repeat_rate_pct",
    "transcribed_calls",
    "price_objection_calls_pct",
    "assortment_objection_calls_pct",
    "lead_quality",
    "qa_score",
    "reviews",
    "mystery_shop_score",
    "mystery_shops",
    "ad_texts",
    "ad_texts_audited",
    "ad_texts_passed",
    "ad_audit_pass_pct",
    "ad_audit_band",
]


def figures_csv(dashboard: Dashboard) -> bytes:
    """The figures table as CSV: one line per row, empty cells where a figure has no value."""

    def num(value: float | Decimal | None, places: int = 2) -> str:
        return "" if value is None else f"{value:.{places}f}"

    lines: list[list[exports.Cell]] = []
    for row in [*dashboard.rows, *dashboard.totals, dashboard.overall]:
        lines.append(
            [
                row.label,
                row.campaign.id if row.campaign else "",
                row.kind or "",
                num(row.views, 0),
                num(row.spend),
                row.leads.leads,
                num(row.view_to_lead),
                row.bands.get("view_to_lead") or "",
                row.leads.reached,
                row.leads.won,
                num(row.lead_to_sale),
                row.bands.get("lead_to_sale") or "",
                num(row.cost_per_lead),
                *(num(row.cost_per_channel_lead(channel)) for channel in LEAD_CHANNELS),
                num(row.cost_per_sale),
                row.buyers,
                row.repeat_buyers,
                num(row.repeat_rate),
                row.calls.calls,
                num(row.price_share),
                num(row.assortment_share),
                num(row.lead_quality, 1),
                num(row.qa_score, 1),
                row.calls.reviews,
                num(row.shop_score, 1),
                row.calls.shops,
                row.ads.texts,
                row.ads.audited,
                row.ads.passed,
                num(row.ad_pass_share),
                row.bands.get("ad_audit") or "",
            ]
        )
    return exports.csv_bytes(CSV_HEADER, lines)
