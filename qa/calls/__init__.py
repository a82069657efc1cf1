"""The calls blueprint; its routes are in views.py, imported by qa.blueprints."""

from flask import Blueprint

bp = Blueprint("calls", __name__, url_prefix="/calls")
