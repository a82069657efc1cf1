"""Template globals: navigation by role and small formatting filters.

Times and stored values are shown only through the filters here: ``moment`` and ``day`` (company
time zone, reader's language, see ``qa.timefmt``) and ``term`` (``qa.vocabulary``).
"""

from __future__ import annotations

from flask import Flask
from flask_babel import format_date, format_decimal, get_locale, refresh
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from qa import timefmt
from qa.roles import ROLE_LABELS, can
from qa.vocabulary import VOCABULARIES

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
    ("mystery.waves", _l("Mystery shopping"), "mystery"),
    ("shopping.mine", _l("My assignments"), "shopping"),
    ("locations.managed", _l("My locations"), "managed_locations"),
    ("pay.index", _l("Pay"), "pay"),
    ("pay.mine", _l("My pay"), "my_pay"),
)
# The "Settings" menu: set-up pages used less often than the daily ones above.
ADMIN_NAVIGATION = (
    ("scorecards.index", _l("Scorecards"), "scorecards"),
    ("trackers.index", _l("Trackers and glossary"), "trackers"),
    ("corrections.index", _l("Flag corrections"), "corrections"),
    ("reviews.sampling", _l("Sampling rules"), "sampling"),
    ("calibration.index", _l("Calibration"), "calibration"),
    ("leads.index", _l("Leads"), "leads"),
    ("locations.index", _l("Locations"), "mystery"),
    ("mystery.scenarios", _l("Shopping scenarios"), "mystery"),
    ("admin.users", _l("Users"), "users"),
    ("admin.settings", _l("Company settings"), "settings"),
    ("admin.objection_models_page", _l("Objection models"), "settings"),
    ("admin.api_tokens_page", _l("API tokens"), "api_tokens"),
)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["get_locale"] = get_locale
    # Flask-Babel caches the locale on ``g``; choose it afresh for every request even where an
    # app context outlives requests (CLI, tests).
    app.before_request(refresh)
    app.before_request(timefmt.forget_company_zone)

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

    app.add_template_filter(timefmt.format_moment, "moment")
    app.add_template_filter(timefmt.format_day, "day")
    app.add_template_filter(timefmt.format_clock, "time_of_day")

    @app.template_filter("money")
    def money(value: object) -> str:
        """An amount with two decimals in the reader's locale (pay statements, exports)."""
        if value is None:
            return "–"
        return format_decimal(value, format="#,##0.00")

    @app.template_filter("number")
    def number(value: object) -> str:
        """A figure as it was computed (up to two decimals) in the reader's locale."""
        if value is None:
            return "–"
        return format_decimal(value, format="#,##0.##")

    @app.template_filter("month_name")
    def month_name(value: object) -> str:
        """A month as "March 2026" / "март 2026"."""
        return format_date(value, format="LLLL yyyy")

    @app.template_filter("term")
    def term(value: str | None, vocabulary: str) -> str:
        """A stored value's display name: ``{{ lead.status|term('lead_status') }}``."""
        return VOCABULARIES[vocabulary].label(value)

    @app.template_filter("term_colour")
    def term_colour(value: str | None, vocabulary: str) -> str:
        return VOCABULARIES[vocabulary].colour(value)

    @app.template_global()
    def vocabulary_json(*names: str) -> dict[str, dict[str, str]]:
        """Display names for scripts; render with ``|tojson`` in a JSON data block."""
        return {name: VOCABULARIES[name].as_dict() for name in names}

    app.jinja_env.globals["vocabularies"] = VOCABULARIES

    @app.template_filter("clock")
    def clock(seconds: float | None) -> str:
        """Seconds as m:ss or h:mm:ss."""
        if seconds is None:
            return "–"
        total = int(round(seconds))
        hours, rest = divmod(total, 3600)
        minutes, secs = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
