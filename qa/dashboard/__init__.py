from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

from qa.dashboard import views  # noqa: E402,F401  (routes register on import)
