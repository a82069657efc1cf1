from flask import Blueprint

bp = Blueprint("leads", __name__, url_prefix="/leads")

from qa.leads import views  # noqa: E402,F401  (routes register on import)
