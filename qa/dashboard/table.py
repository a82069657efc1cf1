"""The figures table as cells: how each figure is written and which drill-down it opens."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from qa.models.company import LEAD_CHANNELS
from qa.services.marketing.dashboards import Figures

NONE = "–"  # nothing to divide by: no views, leads, calls or reviews


@dataclass(frozen=True)
class Cell:
    text: str
    metric: str | None = None  # the drill-down behind the figure
    band: str | None = None  # red, amber or green against its target


def _grouped(value: float | Decimal, places: int) -> str:
    return f"{value:,.{places}f}".replace(",", " ")


def percent(value: float | None) -> str:
    return NONE if value is None else f"{value:.1f} %"


def count(value: float | None) -> str:
    return NONE if value is None else _grouped(value, 0)


def money(value: Decimal | None) -> str:
    return NONE if value is None else _grouped(value, 2)


def score(value: float | None) -> str:
    return NONE if value is None else f"{value:.1f}"


def figure_cells(row: Figures) -> list[Cell]:
    """The cells after the campaign's name and kind, in the order of the table's columns."""
    bands = row.bands
    return [
        Cell(count(row.views)),
        Cell(money(row.spend)),
        Cell(str(row.leads.leads), "leads"),
        Cell(percent(row.view_to_lead), "leads", bands.get("view_to_lead")),
        Cell(percent(row.lead_to_sale), "won", bands.get("lead_to_sale")),
        Cell(money(row.cost_per_lead), "leads"),
        *(Cell(money(row.cost_per_channel_lead(ch)), f"leads_{ch}") for ch in LEAD_CHANNELS),
        Cell(money(row.cost_per_sale), "won"),
        Cell(percent(row.repeat_rate), "repeat"),
        Cell(percent(row.price_share), "price_calls"),
        Cell(percent(row.assortment_share), "assortment_calls"),
        Cell(score(row.lead_quality), "leads"),
        Cell(score(row.qa_score), "reviewed_calls"),
        Cell(score(row.shop_score)),
        Cell(percent(row.ad_pass_share), "ad_texts", bands.get("ad_audit")),
    ]
