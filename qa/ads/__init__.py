from flask import Blueprint

bp = Blueprint("ads", __name__, url_prefix="/ads")

from qa.ads import views  # noqa: E402,F401  (routes register on import)
