"""The reviews blueprint; its routes are in views.py, imported by qa.blueprints."""

from flask import Blueprint

from qa.services.quality.subjects import describe

bp = Blueprint("reviews", __name__, url_prefix="/reviews")

# Pages that list reviews, queue entries or calibration items show any kind of subject
# through its kind's title, agent and links.
bp.add_app_template_global(describe, "subject_view")
