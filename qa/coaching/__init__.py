"""The coaching blueprint; its routes are in views.py, imported by qa.blueprints."""

from flask import Blueprint

bp = Blueprint("coaching", __name__, url_prefix="/coaching")
