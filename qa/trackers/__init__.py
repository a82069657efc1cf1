from flask import Blueprint

bp = Blueprint("trackers", __name__, url_prefix="/trackers")

from qa.trackers import views  # noqa: E402,F401  (routes register on import)
