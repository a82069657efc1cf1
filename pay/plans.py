"""A KPI plan: a fixed part, a variable part split between indicators, levels, cap, penalties.

Every number is a :class:`~decimal.Decimal`. A plan is checked by the web app before it is
stored; :func:`Plan.from_dict` only converts what was stored back into these types.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# The figures a plan can pay on: the system's own figures for one person and one period.
# Each is "higher is better" except cost per lead.
INDICATORS = (
    "view_lead",  # leads per 100 views of the campaigns the person owns (percent)
    "lead_sale",  # won leads per 100 of the person's leads (percent)
    "revenue",  # sale amounts of the person's won leads
    "won_leads",  # how many of the person's leads were won
    "appointments_held",  # meetings, measurements and first contacts held
    "cost_per_lead",  # spend of the owned campaigns per lead (lower is better)
    "qa_score",  # average review score of the person's calls (0-100)
    "mystery_score",  # average mystery-shop score at the person's location (0-100)
    "objection_handling",  # calls with an objection that still ended in a won lead (percent)
)
LOWER_IS_BETTER = frozenset({"cost_per_lead"})
# What a level's value means: a percent of the indicator's share of the variable part, a
# percent of the person's revenue, or an amount per unit of the figure.
PAY_KINDS = ("share", "revenue_percent", "per_unit")
# Levels from lowest to highest; "below" is under the threshold and pays nothing.
LEVELS = ("below", "threshold", "target", "stretch")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Indicator:
    key: str
    weight: Decimal  # percent of the variable part; the weights of a plan sum to 100
    threshold: Decimal
    target: Decimal
    stretch: Decimal
    pay: str  # one of PAY_KINDS
    # What the threshold, target and stretch levels pay (see PAY_KINDS).
    threshold_pays: Decimal
    target_pays: Decimal
    stretch_pays: Decimal
    # Above target the part of the figure over the target pays this many times more
    # (1: no accelerator). For "share": each percent above target adds this many percent of
    # the share.
    accelerator: Decimal = Decimal(1)
    # Below the threshold the variable part is reduced by this percent of it (0: no penalty).
    penalty: Decimal = Decimal(0)

    @property
    def lower_is_better(self) -> bool:
        return self.key in LOWER_IS_BETTER

    def pays_at(self, level: str) -> Decimal:
        return {
            "threshold": self.threshold_pays,
            "target": self.target_pays,
            "stretch": self.stretch_pays,
        }.get(level, Decimal(0))

    def bound(self, level: str) -> Decimal:
        return {"threshold": self.threshold, "target": self.target, "stretch": self.stretch}[level]

    def as_dict(self) -> dict[str, str]:
        return {name: str(getattr(self, name)) for name in _INDICATOR_FIELDS}


_INDICATOR_FIELDS = tuple(Indicator.__dataclass_fields__)
_DECIMAL_FIELDS = tuple(name for name in _INDICATOR_FIELDS if name not in ("key", "pay"))


@dataclass(frozen=True)
class Plan:
    fixed: Decimal  # paid whatever the figures
    variable: Decimal  # the variable part at 100 % (the base of shares and penalties)
    cap: Decimal | None  # the most the variable part pays, or None
    max_reduction: Decimal  # the most penalties take, in percent of the variable part
    indicators: tuple[Indicator, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "fixed": str(self.fixed),
            "variable": str(self.variable),
            "cap": None if self.cap is None else str(self.cap),
            "max_reduction": str(self.max_reduction),
            "indicators": [indicator.as_dict() for indicator in self.indicators],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        indicators = tuple(
            Indicator(
                key=str(item["key"]),
                pay=str(item["pay"]),
                **{name: Decimal(str(item[name])) for name in _DECIMAL_FIELDS if name in item},
            )
            for item in data.get("indicators", [])
        )
        cap = data.get("cap")
        return cls(
            fixed=Decimal(str(data["fixed"])),
            variable=Decimal(str(data["variable"])),
            cap=None if cap in (None, "") else Decimal(str(cap)),
            max_reduction=Decimal(str(data.get("max_reduction", HUNDRED))),
            indicators=indicators,
        )
