"""The corrections blueprint; its routes are in views.py, imported by qa.blueprints."""

from flask import Blueprint

bp = Blueprint("corrections", __name__, url_prefix="/corrections")
