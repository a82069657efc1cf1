"""The search blueprint; its routes are in views.py, imported by qa.blueprints."""

from flask import Blueprint

bp = Blueprint("search", __name__, url_prefix="/search")
