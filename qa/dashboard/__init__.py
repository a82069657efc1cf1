"""The dashboard blueprint; its routes are in views.py, imported by qa.blueprints."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
