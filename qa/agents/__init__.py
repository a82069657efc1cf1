"""The agents blueprint; its routes are in views.py, imported by qa.blueprints."""

from flask import Blueprint

bp = Blueprint("agents", __name__, url_prefix="/agents")
