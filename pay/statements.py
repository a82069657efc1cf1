"""The arithmetic of one pay statement: levels, accelerators, the cap and the penalty floor.

The rules, in the order they apply:

1. Each indicator's figure reaches a level: *below* the threshold, *threshold*, *target* or
   *stretch* (for cost per lead, lower figures reach higher levels).
2. The level pays, by the indicator's kind: *share*, that percent of the indicator's share of
   the variable part (variable x weight / 100); *revenue_percent*, that percent of the person's
   revenue; *per_unit*, that amount for each unit of the figure. A level below the threshold
   pays nothing.
3. Accelerator: for *revenue_percent* on revenue and *per_unit* indicators, the part of the
   figure above the target pays ``accelerator`` times the level's rate.
4. Every line is rounded to kopecks (0.01) half up as it is computed; totals are sums of the
   rounded lines, so the statement adds up exactly as printed.
5. The cap: the indicators together pay at most ``cap``; a line takes off the excess.
6. Penalties: an indicator below its threshold (with a figure) reduces the variable part by
   ``penalty`` percent of the plan's variable part. Together they take at most
   ``max_reduction`` percent of it, and never more than was earned: the variable part never
   goes below zero (a reduced bonus, never a fine), and the fixed part is never touched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from pay.plans import HUNDRED, LEVELS, Indicator, Plan

CENT = Decimal("0.01")
ZERO = Decimal(0)


def round_money(value: Decimal) -> Decimal:
    """To kopecks, half up (the rule every line follows)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Line:
    key: str  # "fixed", an indicator key, "cap", "penalty:<key>", "limit" or "floor"
    kind: str  # "fixed", "indicator", "cap", "penalty", "limit", "floor"
    amount: Decimal
    figure: Decimal | None = None
    target: Decimal | None = None
    level: str | None = None
    indicator: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "key": self.key,
            "kind": self.kind,
            "amount": str(self.amount),
            "figure": None if self.figure is None else str(self.figure),
            "target": None if self.target is None else str(self.target),
            "level": self.level,
            "indicator": self.indicator,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, str | None]) -> Line:
        def number(name: str) -> Decimal | None:
            value = data.get(name)
            return None if value is None else Decimal(value)

        return cls(
            key=str(data["key"]),
            kind=str(data["kind"]),
            amount=Decimal(str(data["amount"])),
            figure=number("figure"),
            target=number("target"),
            level=data.get("level"),
            indicator=data.get("indicator"),
        )


@dataclass(frozen=True)
class WhatIf:
    """What the next level of an indicator needs, and what the line would pay there."""

    indicator: str
    level: str
    needed: Decimal  # the figure that reaches ``level``
    gap: Decimal  # how far the current figure is from it
    amount: Decimal  # the indicator's line at that level


@dataclass(frozen=True)
class Statement:
    lines: tuple[Line, ...]
    fixed: Decimal
    variable: Decimal
    total: Decimal
    what_if: tuple[WhatIf, ...] = field(default=())

    def line(self, key: str) -> Line | None:
        return next((line for line in self.lines if line.key == key), None)


def level_of(indicator: Indicator, figure: Decimal | None) -> str:
    """The highest level ``figure`` reaches ("below" for none or no figure)."""
    if figure is None:
        return "below"
    for level in ("stretch", "target", "threshold"):
        bound = indicator.bound(level)
        reached = figure <= bound if indicator.lower_is_better else figure >= bound
        if reached:
            return level
    return "below"


def _accelerated(indicator: Indicator, figure: Decimal) -> Decimal:
    """The figure with the part above the target counted ``accelerator`` times."""
    if figure <= indicator.target:
        return figure
    return indicator.target + (figure - indicator.target) * indicator.accelerator


def indicator_amount(
    plan: Plan, indicator: Indicator, figure: Decimal | None, revenue: Decimal | None
) -> Decimal:
    """What one indicator's line pays for ``figure`` (rounded)."""
    level = level_of(indicator, figure)
    if figure is None or level == "below":
        return ZERO
    rate = indicator.pays_at(level)
    if indicator.pay == "share":
        share = plan.variable * indicator.weight / HUNDRED
        amount = share * rate / HUNDRED
    elif indicator.pay == "revenue_percent":
        base = _accelerated(indicator, figure) if indicator.key == "revenue" else revenue or ZERO
        amount = base * rate / HUNDRED
    else:
        amount = _accelerated(indicator, figure) * rate
    return round_money(amount)


def compute(
    plan: Plan, figures: Mapping[str, Decimal | None], *, what_if: bool = True
) -> Statement:
    """The statement for one person: ``figures`` maps indicator keys to their values.

    ``what_if`` adds, for each indicator, what its next level needs and would pay.
    """
    revenue = figures.get("revenue")
    lines = [Line(key="fixed", kind="fixed", amount=round_money(plan.fixed))]
    earned = ZERO
    penalties: list[Line] = []
    for indicator in plan.indicators:
        figure = figures.get(indicator.key)
        level = level_of(indicator, figure)
        amount = indicator_amount(plan, indicator, figure, revenue)
        earned += amount
        lines.append(
            Line(
                key=indicator.key,
                kind="indicator",
                amount=amount,
                figure=figure,
                target=indicator.target,
                level=level,
                indicator=indicator.key,
            )
        )
        if figure is not None and level == "below" and indicator.penalty > 0:
            cut = round_money(plan.variable * indicator.penalty / HUNDRED)
            penalties.append(
                Line(
                    key=f"penalty:{indicator.key}",
                    kind="penalty",
                    amount=-cut,
                    figure=figure,
                    target=indicator.threshold,
                    level=level,
                    indicator=indicator.key,
                )
            )
    if plan.cap is not None and earned > plan.cap:
        lines.append(Line(key="cap", kind="cap", amount=plan.cap - earned))
        earned = plan.cap
    lines.extend(penalties)
    reduction = -sum((line.amount for line in penalties), ZERO)
    limit = round_money(plan.variable * plan.max_reduction / HUNDRED)
    if reduction > limit:
        lines.append(Line(key="limit", kind="limit", amount=reduction - limit))
        reduction = limit
    if reduction > earned:
        lines.append(Line(key="floor", kind="floor", amount=reduction - earned))
        reduction = earned
    variable = earned - reduction
    fixed = lines[0].amount
    return Statement(
        lines=tuple(lines),
        fixed=fixed,
        variable=variable,
        total=fixed + variable,
        what_if=tuple(_what_if(plan, figures)) if what_if else (),
    )


def _what_if(plan: Plan, figures: Mapping[str, Decimal | None]) -> list[WhatIf]:
    rows = []
    for indicator in plan.indicators:
        figure = figures.get(indicator.key)
        current = LEVELS.index(level_of(indicator, figure))
        if current + 1 >= len(LEVELS):
            continue
        level = LEVELS[current + 1]
        needed = indicator.bound(level)
        now = figure if figure is not None else ZERO
        gap = now - needed if indicator.lower_is_better else needed - now
        revenue = figures.get("revenue")
        if indicator.key == "revenue":
            revenue = needed
        rows.append(
            WhatIf(
                indicator=indicator.key,
                level=level,
                needed=needed,
                gap=gap,
                amount=indicator_amount(plan, indicator, needed, revenue),
            )
        )
    return rows


def max_reduction_exceeded(plan: Plan) -> bool:
    """True when the plan's penalties together can ask for more than its maximum reduction."""
    return sum((indicator.penalty for indicator in plan.indicators), ZERO) > plan.max_reduction
