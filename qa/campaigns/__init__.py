from flask import Blueprint

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")

from qa.campaigns import views  # noqa: E402,F401  (routes register on import)
