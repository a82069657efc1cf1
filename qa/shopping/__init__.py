"""The shopper's own pages; routes in views.py, imported by qa.blueprints."""

from flask import Blueprint

bp = Blueprint("shopping", __name__, url_prefix="/shopping")
