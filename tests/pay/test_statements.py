"""The pay arithmetic on small plans whose every amount is worked out in the comments."""

from __future__ import annotations

from decimal import Decimal as D

from pay import Indicator, Plan, compute, max_reduction_exceeded, round_money
from pay.statements import level_of


def _indicator(key: str, **kw: object) -> Indicator:
    values: dict[str, object] = {
        "weight": D(100),
        "threshold": D(5),
        "target": D(10),
        "stretch": D(15),
        "pay": "share",
        "threshold_pays": D(50),
        "target_pays": D(100),
        "stretch_pays": D(150),
    }
    values.update(kw)
    return Indicator(key=key, **values)  # type: ignore[arg-type]


def _plan(*indicators: Indicator, **kw: object) -> Plan:
    values: dict[str, object] = {
        "fixed": D("30000"),
        "variable": D("20000"),
        "cap": None,
        "max_reduction": D(50),
    }
    values.update(kw)
    return Plan(indicators=indicators, **values)  # type: ignore[arg-type]


def test_levels_follow_the_bounds_and_lower_is_better_for_cost() -> None:
    conversion = _indicator("view_lead")
    assert [level_of(conversion, D(x)) for x in ("4.99", "5", "9.99", "10", "15", "40")] == [
        "below",
        "threshold",
        "threshold",
        "target",
        "stretch",
        "stretch",
    ]
    cost = _indicator("cost_per_lead", threshold=D(500), target=D(400), stretch=D(300))
    assert [level_of(cost, D(x)) for x in ("501", "500", "400", "299")] == [
        "below",
        "threshold",
        "target",
        "stretch",
    ]
    assert level_of(conversion, None) == "below"


def test_share_pays_the_level_percent_of_the_weighted_variable_part() -> None:
    plan = _plan(
        _indicator("view_lead", weight=D(60)),
        _indicator("lead_sale", weight=D(40), threshold=D(20), target=D(30), stretch=D(40)),
    )
    # view_lead 12 % -> target: 20000 x 60 % x 100 % = 12000.
    # lead_sale 25 % -> threshold: 20000 x 40 % x 50 % = 4000.
    result = compute(plan, {"view_lead": D(12), "lead_sale": D(25)})
    assert result.line("view_lead").amount == D("12000.00")  # type: ignore[union-attr]
    assert result.line("lead_sale").level == "threshold"  # type: ignore[union-attr]
    assert result.variable == D("16000.00")
    assert result.total == D("46000.00")


def test_revenue_percent_with_an_accelerator_above_target() -> None:
    revenue = _indicator(
        "revenue",
        pay="revenue_percent",
        threshold=D(100000),
        target=D(200000),
        stretch=D(400000),
        threshold_pays=D(2),
        target_pays=D(3),
        stretch_pays=D(3),
        accelerator=D("1.5"),
    )
    # 260000 -> target, 3 %: 200000 + 60000 x 1.5 = 290000; x 3 % = 8700.
    result = compute(_plan(revenue), {"revenue": D(260000)})
    assert result.line("revenue").amount == D("8700.00")  # type: ignore[union-attr]


def test_per_unit_rounds_each_line_half_up_to_kopecks() -> None:
    held = _indicator(
        "appointments_held",
        pay="per_unit",
        threshold=D(1),
        target=D(10),
        stretch=D(100),
        threshold_pays=D("333.335"),
        target_pays=D("333.335"),
        stretch_pays=D("333.335"),
    )
    # 3 x 333.335 = 1000.005 -> 1000.01 (half up; banker's rounding would give 1000.00).
    result = compute(_plan(held), {"appointments_held": D(3)})
    assert result.line("appointments_held").amount == D("1000.01")  # type: ignore[union-attr]
    assert round_money(D("0.125")) == D("0.13")


def test_the_cap_takes_off_the_excess() -> None:
    plan = _plan(_indicator("view_lead"), cap=D("25000"))
    # stretch: 20000 x 150 % = 30000, capped at 25000: a cap line of -5000.
    result = compute(plan, {"view_lead": D(20)})
    assert result.line("cap").amount == D("-5000")  # type: ignore[union-attr]
    assert result.variable == D("25000")


def test_penalties_are_limited_and_never_below_zero() -> None:
    plan = _plan(
        _indicator("view_lead", weight=D(50), penalty=D(30)),
        _indicator("lead_sale", weight=D(50), penalty=D(30)),
        max_reduction=D(40),
    )
    assert max_reduction_exceeded(plan)
    # Both below: penalties 6000 + 6000 = 12000, limited to 40 % = 8000; earned 0, so the
    # floor gives the 8000 back and the variable part is zero. Fixed stays whole.
    result = compute(plan, {"view_lead": D(1), "lead_sale": D(2)})
    assert result.line("penalty:view_lead").amount == D("-6000.00")  # type: ignore[union-attr]
    assert result.line("limit").amount == D("4000.00")  # type: ignore[union-attr]
    assert result.line("floor").amount == D("8000.00")  # type: ignore[union-attr]
    assert result.variable == 0
    assert result.total == D("30000.00")
    # One at stretch (50 % x 150 % x 20000 = 15000), one below: 15000 - 6000 = 9000.
    mixed = compute(plan, {"view_lead": D(20), "lead_sale": D(2)})
    assert mixed.variable == D("9000.00")
    assert sum(line.amount for line in mixed.lines) == mixed.total


def test_no_figure_pays_nothing_and_takes_nothing() -> None:
    plan = _plan(_indicator("qa_score", penalty=D(10)))
    result = compute(plan, {})
    assert result.variable == 0
    assert result.line("penalty:qa_score") is None


def test_what_if_names_the_next_level_and_its_pay() -> None:
    plan = _plan(_indicator("view_lead"))
    (row,) = compute(plan, {"view_lead": D("7.5")}).what_if
    assert (row.level, row.needed, row.gap, row.amount) == (
        "target",
        D(10),
        D("2.5"),
        D("20000.00"),
    )
    assert compute(plan, {"view_lead": D(16)}).what_if == ()


def test_plan_round_trips_through_its_stored_form() -> None:
    plan = _plan(
        _indicator("revenue", pay="revenue_percent", accelerator=D("1.5")), cap=D("1000.50")
    )
    assert Plan.from_dict(plan.as_dict()) == plan
