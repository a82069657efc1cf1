from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/reviews")

from qa.reviews import views  # noqa: E402,F401  (routes register on import)
