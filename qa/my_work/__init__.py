"""The employee's own work (/me); its routes are in views.py, imported by qa.blueprints."""

from flask import Blueprint

bp = Blueprint("my_work", __name__, url_prefix="/me")
