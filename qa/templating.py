"""Template globals: navigation by role and small formatting filters."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale, refresh
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from qa.roles import ROLE_LABELS, can

# (endpoint, label, area): the top navigation, filtered by the user's role.
NAVIGATION = (
    ("calls.index", _l("Calls"), "calls.view"),
    ("search.index", _l("Search"), "calls.view"),
    ("reviews.queue", _l("My queue"), "reviews"),
    ("reviews.index", _l("Reviews"), "reviews"),
    ("agents.index", _l("Agents"), "calls.view"),
    ("ads.index", _l("Ad audits"), "ads"),
    ("campaigns.index", _l("Campaigns"), "campaigns"),
    ("dashboard.index", _l("Dashboard"), "dashboard"),
)
# The "Settings" menu: set-up pages used less often than the daily ones above.
ADMIN_NAVIGATION = (
    ("scorecards.index", _l("Scorecards"), "scorecards"),
    ("trackers.index", _l("Trackers and glossary"), "trackers"),
    ("reviews.sampling", _l("Sampling rules"), "sampling"),
    ("calibration.index", _l("Calibration"), "calibration"),
    ("leads.index", _l("Leads"), "leads"),
    ("admin.users", _l("Users"), "users"),
    ("admin.settings", _l("Company settings"), "settings"),
    ("admin.api_tokens_page", _l("API tokens"), "api_tokens"),
)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["get_locale"] = get_locale
    # Flask-Babel caches the locale on ``g``; choose it afresh for every request even where an
    # app context outlives requests (CLI, tests).
    app.before_request(refresh)

    @app.context_processor
    def navigation() -> dict[str, object]:
        if not current_user.is_authenticated:
            return {"nav_items": (), "admin_nav_items": ()}
        role = current_user.role
        return {
            "nav_items": [item for item in NAVIGATION if can(role, item[2])],
            "admin_nav_items": [item for item in ADMIN_NAVIGATION if can(role, item[2])],
            "role_labels": ROLE_LABELS,
            "can": lambda area: can(role, area),
        }

    @app.template_filter("clock")
    def clock(seconds: float | None) -> str:
        """Seconds as m:ss or h:mm:ss."""
        if seconds is None:
            return "–"
        total = int(round(seconds))
        hours, rest = divmod(total, 3600)
        minutes, secs = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
