"""The campaigns blueprint; its routes are in views.py, imported by qa.blueprints."""

from flask import Blueprint

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")
