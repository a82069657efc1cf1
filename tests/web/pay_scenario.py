"""A month of work (March 2026) and every amount of its pay statements, worked out by hand.

Two marketers own one campaign each; three sellers and two appointment setters share the leads.
All times are local (Europe/Moscow). Every line amount is rounded to kopecks half up.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as D

MONTH = date(2026, 3, 1)
PEOPLE = {
    "M1": "marketer",
    "M2": "marketer",
    "S1": "seller",
    "S2": "seller",
    "S3": "seller",
    "T1": "setter",
    "T2": "setter",
}
# Both campaigns run the whole of March, so all their views and spend count in March.
CAMPAIGNS = {
    "C1": {"owner": "M1", "kind": "mass", "views": 1000, "spend": D("50000")},
    "C2": {"owner": "M2", "kind": "targeted", "views": 200, "spend": D("30000")},
}
# (campaign, seller, setter, status, sale amount, how many)
LEADS = [
    ("C1", "S1", "T1", "won", D("10000.00"), 10),
    ("C1", "S1", "T1", "lost", None, 10),
    ("C1", "S2", "T1", "won", D("15000.00"), 20),
    ("C1", "S2", "T2", "lost", None, 20),
    ("C1", "S3", "T2", "won", D("30000.25"), 2),
    ("C1", "S3", "T2", "new", None, 58),
    ("C2", "S1", "T1", "won", D("20000.00"), 5),
    ("C2", "S1", None, "lost", None, 15),
    ("C2", "S2", "T2", "won", D("12345.67"), 2),
    ("C2", "S3", "T2", "qualified", None, 18),
]
# (setter, held, local time, how many). The last one is on 1 April, local time: not March's.
APPOINTMENTS = [
    ("T1", True, datetime(2026, 3, 12, 11, 0), 14),
    ("T1", False, datetime(2026, 3, 13, 11, 0), 6),
    ("T2", True, datetime(2026, 3, 20, 15, 0), 25),
    ("T2", False, datetime(2026, 3, 21, 15, 0), 5),
    ("T1", True, datetime(2026, 4, 1, 0, 30), 1),
]


def _indicator(
    key: str,
    weight: str,
    bounds: tuple[str, str, str],
    pay: str,
    pays: tuple[str, str, str],
    accelerator: str = "1",
    penalty: str = "0",
) -> dict[str, str]:
    return {
        "key": key,
        "weight": weight,
        "threshold": bounds[0],
        "target": bounds[1],
        "stretch": bounds[2],
        "pay": pay,
        "threshold_pays": pays[0],
        "target_pays": pays[1],
        "stretch_pays": pays[2],
        "accelerator": accelerator,
        "penalty": penalty,
    }


PLANS = {
    "marketer": (
        {"fixed": "40000", "variable": "30000", "cap": "30000", "max_reduction": "50"},
        [
            _indicator(
                "view_lead", "70", ("5", "10", "15"), "share", ("50", "100", "150"), penalty="20"
            ),
            _indicator(
                "cost_per_lead",
                "30",
                ("500", "400", "300"),
                "share",
                ("50", "100", "150"),
                penalty="10",
            ),
        ],
    ),
    "seller": (
        {"fixed": "25000", "variable": "10000", "cap": "20000", "max_reduction": "100"},
        [
            _indicator(
                "revenue",
                "80",
                ("50000", "250000", "500000"),
                "revenue_percent",
                ("5", "6", "7"),
                accelerator="1.5",
            ),
            _indicator(
                "lead_sale", "20", ("20", "40", "60"), "share", ("50", "100", "150"), penalty="25"
            ),
        ],
    ),
    # Its one penalty (40 %) can exceed the maximum reduction (30 %): saving it warns.
    "setter": (
        {"fixed": "20000", "variable": "8000", "cap": "", "max_reduction": "30"},
        [
            _indicator(
                "appointments_held",
                "100",
                ("15", "20", "30"),
                "per_unit",
                ("300", "400", "500"),
                accelerator="2",
                penalty="40",
            ),
        ],
    ),
}

# person -> {line key: (figure, level, amount)}, then the variable part and the total.
EXPECTED = {
    # view -> lead 120 / 1000 = 12.00 % -> target: 30000 x 70 % x 100 % = 21000.00.
    # cost per lead 50000 / 120 = 416.67 (lower is better: <= 500 threshold, <= 400 target)
    # -> threshold: 30000 x 30 % x 50 % = 4500.00. 25500 is under the cap of 30000.
    "M1": (
        {
            "view_lead": ("12.00", "target", "21000.00"),
            "cost_per_lead": ("416.67", "threshold", "4500.00"),
        },
        "25500.00",
        "65500.00",
    ),
    # view -> lead 40 / 200 = 20.00 % -> stretch: 30000 x 70 % x 150 % = 31500.00.
    # cost per lead 30000 / 40 = 750.00 -> below: 0, and a reduction of 10 % x 30000 = 3000.
    # The cap takes 31500 - 30000 = 1500 off; 30000 - 3000 = 27000.00.
    "M2": (
        {
            "view_lead": ("20.00", "stretch", "31500.00"),
            "cost_per_lead": ("750.00", "below", "0.00"),
            "cap": (None, None, "-1500.00"),
            "penalty:cost_per_lead": ("750.00", "below", "-3000.00"),
        },
        "27000.00",
        "67000.00",
    ),
    # 40 leads, 15 won: 37.50 % -> threshold: 10000 x 20 % x 50 % = 1000.00.
    # revenue 10 x 10000 + 5 x 20000 = 200000.00 -> threshold, 5 % = 10000.00.
    "S1": (
        {
            "revenue": ("200000.00", "threshold", "10000.00"),
            "lead_sale": ("37.50", "threshold", "1000.00"),
        },
        "11000.00",
        "36000.00",
    ),
    # revenue 20 x 15000 + 2 x 12345.67 = 324691.34 -> target, 6 %, with the 74691.34 above
    # the target counted 1.5 times: (250000 + 112037.01) x 6 % = 21722.2206 -> 21722.22.
    # 42 leads, 22 won: 52.38 % -> target: 10000 x 20 % = 2000.00. 23722.22 is over the cap
    # of 20000: a cap line of -3722.22.
    "S2": (
        {
            "revenue": ("324691.34", "target", "21722.22"),
            "lead_sale": ("52.38", "target", "2000.00"),
            "cap": (None, None, "-3722.22"),
        },
        "20000.00",
        "45000.00",
    ),
    # revenue 2 x 30000.25 = 60000.50 -> threshold, 5 % = 3000.025 -> 3000.03 (half up;
    # banker's rounding would give 3000.02). 78 leads, 2 won: 2.56 % -> below: 0 and a
    # reduction of 25 % x 10000 = 2500.00. 3000.03 - 2500.00 = 500.03.
    "S3": (
        {
            "revenue": ("60000.50", "threshold", "3000.03"),
            "lead_sale": ("2.56", "below", "0.00"),
            "penalty:lead_sale": ("2.56", "below", "-2500.00"),
        },
        "500.03",
        "25500.03",
    ),
    # 14 held in March (the one on 1 April is April's) -> below: 0, a reduction of
    # 40 % x 8000 = 3200, limited to 30 % = 2400 (a limit line of +800), and more than the 0
    # earned, so the floor gives the 2400 back: the variable part is 0, never negative.
    "T1": (
        {
            "appointments_held": ("14", "below", "0.00"),
            "penalty:appointments_held": ("14", "below", "-3200.00"),
            "limit": (None, None, "800.00"),
            "floor": (None, None, "2400.00"),
        },
        "0.00",
        "20000.00",
    ),
    # 25 held -> target, 400 each, the 5 above the target counted twice: (20 + 10) x 400.
    "T2": ({"appointments_held": ("25", "target", "12000.00")}, "12000.00", "32000.00"),
}
