from flask import Blueprint

bp = Blueprint("calls", __name__, url_prefix="/calls")

from qa.calls import views  # noqa: E402,F401  (routes register on import)
