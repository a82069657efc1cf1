"""Pay library: KPI plans and the arithmetic of a pay statement (plain Python, exact decimals).

No Flask, no database: the web app queries each person's figures in bulk and passes them in.
"""

from pay.plans import INDICATORS, LEVELS, PAY_KINDS, Indicator, Plan
from pay.statements import Line, Statement, WhatIf, compute, max_reduction_exceeded, round_money

__all__ = [
    "INDICATORS",
    "LEVELS",
    "PAY_KINDS",
    "Indicator",
    "Line",
    "Plan",
    "Statement",
    "WhatIf",
    "compute",
    "max_reduction_exceeded",
    "round_money",
]
