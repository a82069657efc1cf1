"""Lead-quality figures per campaign, computed in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select

from qa.extensions import db
from qa.models import Campaign, Lead


@dataclass(frozen=True)
class CampaignFunnel:
    campaign: Campaign
    leads: int
    won: int

    @property
    def view_to_lead(self) -> float | None:
        return self.leads / self.campaign.views if self.campaign.views else None

    @property
    def lead_to_sale(self) -> float | None:
        return self.won / self.leads if self.leads else None

    @property
    def cost_per_lead(self) -> Decimal | None:
        return self.campaign.spend / self.leads if self.leads else None


def campaign_funnels() -> list[CampaignFunnel]:
    """Leads and sales per campaign, all time."""
    won = func.sum(case((Lead.status == "won", 1), else_=0))
    query = (
        select(Campaign, func.count(Lead.id), func.coalesce(won, 0))
        .outerjoin(Lead, Lead.campaign_id == Campaign.id)
        .group_by(Campaign.id)
        .order_by(Campaign.name)
    )
    return [
        CampaignFunnel(campaign=campaign, leads=int(leads), won=int(won_count))
        for campaign, leads, won_count in db.session.execute(query)
    ]
