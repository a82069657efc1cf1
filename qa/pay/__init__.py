"""The pay blueprint: KPI plans, statements, employees' own pay; routes in views.py."""

from flask import Blueprint

bp = Blueprint("pay", __name__, url_prefix="/pay")
