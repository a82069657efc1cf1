from flask import Blueprint

bp = Blueprint("scorecards", __name__, url_prefix="/scorecards")

from qa.scorecards import views  # noqa: E402,F401  (routes register on import)
