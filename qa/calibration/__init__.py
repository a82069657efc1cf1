from flask import Blueprint

bp = Blueprint("calibration", __name__, url_prefix="/calibration")

from qa.calibration import views  # noqa: E402,F401  (routes register on import)
