from flask import Blueprint

bp = Blueprint("search", __name__, url_prefix="/search")

from qa.search import views  # noqa: E402,F401  (routes register on import)
