"""The calibration blueprint; its routes are in views.py, imported by qa.blueprints."""

from flask import Blueprint

bp = Blueprint("calibration", __name__, url_prefix="/calibration")
