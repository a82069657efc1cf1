from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/reviews")

from qa.reviews import views  # noqa: E402,F401  (routes register on import)
from qa.services.quality.subjects import describe  # noqa: E402

# Pages that list reviews, queue entries or calibration items show any kind of subject
# through its kind's title, agent and links.
bp.add_app_template_global(describe, "subject_view")
