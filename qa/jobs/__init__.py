"""The jobs blueprint; its routes are in views.py, imported by qa.blueprints."""

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
