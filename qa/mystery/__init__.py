"""The mystery-shopping blueprint (scenarios, waves, assignments); routes in views.py."""

from flask import Blueprint

bp = Blueprint("mystery", __name__, url_prefix="/mystery")
