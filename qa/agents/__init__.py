from flask import Blueprint

bp = Blueprint("agents", __name__, url_prefix="/agents")

from qa.agents import views  # noqa: E402,F401  (routes register on import)
