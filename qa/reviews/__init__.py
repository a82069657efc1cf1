"""The reviews blueprint; its routes are in views.py, imported by qa.blueprints."""

from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/reviews")
