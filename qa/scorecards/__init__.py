"""The scorecards blueprint; its routes are in views.py, imported by qa.blueprints."""

from flask import Blueprint

from qa.services.quality.scorecard_defaults import language_name

bp = Blueprint("scorecards", __name__, url_prefix="/scorecards")

# Scorecard pages and the scorecard form name the language of a scorecard or a call.
bp.add_app_template_global(language_name, "language_name")
