"""The locations blueprint; its routes are in views.py, imported by qa.blueprints."""

from flask import Blueprint

bp = Blueprint("locations", __name__, url_prefix="/locations")
