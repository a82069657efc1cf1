"""The scorecards blueprint; its routes are in views.py, imported by qa.blueprints."""

from flask import Blueprint

bp = Blueprint("scorecards", __name__, url_prefix="/scorecards")
