"""The ads blueprint; its routes are in views.py, imported by qa.blueprints."""

from flask import Blueprint

bp = Blueprint("ads", __name__, url_prefix="/ads")
