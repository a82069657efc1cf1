"""The trackers blueprint; its routes are in views.py, imported by qa.blueprints."""

from flask import Blueprint

bp = Blueprint("trackers", __name__, url_prefix="/trackers")
