"""A hand-computed dashboard scenario shared by the KPI and dashboard tests.

Period: 2026-03-01 .. 2026-03-30 (30 days) in Europe/Moscow (UTC+3).

"Весна" (mass): runs 2026-03-16 .. 2026-04-14 (30 days, 15 in the period, share 1/2);
  views 4000 -> 2000, spend 10000 -> 5000. Ten leads: 4 won, 2 qualified, 3 new, 1 lost;
  channels 5 call, 3 site request, 2 store visit. Calls: 4 transcribed in the period (price,
  assortment, both, none), one queued, one outside the period. Reviews 80 and 90 (and a
  calibration review of 10, left out). Ad texts: one passing, one failing, one not audited.
"Retarget" (targeted): no dates (counted in full), 40 views, zero spend, ten leads of which 8
  won; one ad text that passes.
Two leads without a campaign (one won).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from qa.extensions import db
from qa.models import (
    AdAudit,
    AdText,
    CalibrationSession,
    Call,
    Campaign,
    Finding,
    Lead,
    Review,
    ScorecardTemplate,
    ScorecardVersion,
)
from qa.services.marketing.dashboards import Period
from tests.web import factories

PERIOD = Period(date(2026, 3, 1), date(2026, 3, 30))
# Moscow is UTC+3: 2026-03-01 00:00 local is 2026-02-28 21:00 UTC.
FIRST_MOMENT_UTC = datetime(2026, 2, 28, 21, 0)


def utc(day: int, hour: int = 9) -> datetime:
    """A March 2026 moment, given in Moscow time, as stored (naive UTC)."""
    return datetime(2026, 3, day, hour - 3)


def make_finding(call: Call, label: str) -> Finding:
    finding = Finding(call=call, label=label, text="дорого", time_start=1.0, time_end=2.0)
    db.session.add(finding)
    db.session.flush()
    return finding


def make_review(
    call: Call, score: float | None, *, calibration: bool = False, status: str = "submitted"
) -> Review:
    template = ScorecardTemplate(name=f"Card for {call.id}")
    version = ScorecardVersion(template=template, number=1, definition={"sections": []})
    session = None
    if calibration:
        session = CalibrationSession(name="Calibration", scorecard_version=version)
    review = Review(
        call=call, scorecard_version=version, score=score, calibration_session=session,
        status=status,
    )
    db.session.add_all([template, version, review])
    db.session.flush()
    return review


def make_ad_text(campaign: Campaign, *passes: bool) -> AdText:
    """An ad text with one audit per value of ``passes`` (the last one is the latest)."""
    text = AdText(campaign=campaign, text="Скидка 20% до 31 марта. Звоните!", lang="ru")
    db.session.add(text)
    for passed in passes:
        db.session.add(
            AdAudit(
                ad_text=text,
                has_offer=True,
                has_deadline=True,
                has_cta=True,
                deadline_expired=not passed,
            )
        )
    db.session.flush()
    return text


@dataclass
class Scenario:
    spring: Campaign
    retarget: Campaign
    spring_leads: list[Lead]
    price_calls: list[Call]
    assortment_calls: list[Call]
    reviewed_calls: list[Call]


def build() -> Scenario:
    """Store the scenario described in the module docstring."""
    spring = factories.make_campaign(
        name="Весна",
        kind="mass",
        views=4000,
        spend=Decimal("10000"),
        starts_on=date(2026, 3, 16),
        ends_on=date(2026, 4, 14),
    )
    retarget = factories.make_campaign(
        name="Retarget", kind="targeted", views=40, spend=Decimal("0")
    )
    statuses = ["won"] * 4 + ["qualified"] * 2 + ["new"] * 3 + ["lost"]
    channels = ["call"] * 5 + ["site_request"] * 3 + ["store_visit"] * 2
    customers = ["c1", "c2", "c3", "c3"] + [None] * 6
    spring_leads = [
        factories.make_lead(
            external_id=f"S{i}",
            created_at=utc(17 + i),
            campaign_id=spring.id,
            status=status,
            channel=channel,
            customer_id=customer,
        )
        for i, (status, channel, customer) in enumerate(
            zip(statuses, channels, customers, strict=True)
        )
    ]
    # The first lead is created at 00:30 Moscow time on 1 March: inside the period.
    spring_leads[0].created_at = datetime(2026, 2, 28, 21, 30)
    # 23:30 Moscow on 28 February: outside the period although its UTC date is the same.
    factories.make_lead(
        external_id="S-early",
        created_at=datetime(2026, 2, 28, 20, 30),
        campaign_id=spring.id,
        status="won",
        customer_id="c9",
    )
    # Earlier purchases: c1 bought before the period; c2 only had a lost lead.
    factories.make_lead(
        external_id="old-c1", created_at=datetime(2026, 1, 15), status="won", customer_id="c1"
    )
    factories.make_lead(
        external_id="old-c2", created_at=datetime(2026, 1, 16), status="lost", customer_id="c2"
    )
    for i in range(10):
        factories.make_lead(
            external_id=f"R{i}",
            created_at=utc(5 + i),
            campaign_id=retarget.id,
            status="won" if i < 8 else "lost",
            channel="site_request",
            customer_id="c1" if i == 0 else None,
        )
    factories.make_lead(external_id="N1", created_at=utc(3), status="won", customer_id="c7")
    factories.make_lead(external_id="N2", created_at=utc(4), status="new")

    def call(lead: Lead | None, **values: object) -> Call:
        return factories.make_call(
            campaign_id=spring.id,
            lead_id=lead.id if lead else None,
            **{"status": "transcribed", "called_at": utc(20), **values},
        )

    price = call(spring_leads[0])  # won lead: 100 - 20
    assortment = call(spring_leads[4])  # qualified lead: 70 - 20
    both = call(spring_leads[6])  # new lead: 30 - 40 -> 0
    plain = call(None)
    make_finding(price, "price")
    make_finding(price, "price")
    make_finding(assortment, "assortment")
    make_finding(both, "price")
    make_finding(both, "assortment")
    make_finding(plain, "tracker.competitor")
    queued = call(None, status="queued")
    make_finding(queued, "price")
    outside = call(None, called_at=datetime(2026, 4, 2))
    make_finding(outside, "price")
    make_review(price, 80.0)
    make_review(assortment, 90.0)
    make_review(both, 10.0, calibration=True)
    # A double submit kept from before reviews were one per reviewer: a copy, never counted.
    make_review(both, 5.0, status="duplicate")
    make_ad_text(spring, False, True)
    make_ad_text(spring, True, False)
    text = AdText(campaign=spring, text="Не проверено")
    db.session.add(text)
    make_ad_text(retarget, True)
    db.session.commit()
    return Scenario(
        spring=spring,
        retarget=retarget,
        spring_leads=spring_leads,
        price_calls=[price, both],
        assortment_calls=[assortment, both],
        reviewed_calls=[price, assortment],
    )
