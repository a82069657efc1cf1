"""The admin blueprint; its routes are in views.py, imported by qa.blueprints."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
