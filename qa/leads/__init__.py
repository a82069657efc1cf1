"""The leads blueprint; its routes are in views.py, imported by qa.blueprints."""

from flask import Blueprint

bp = Blueprint("leads", __name__, url_prefix="/leads")
