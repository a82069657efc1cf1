"""Template globals: navigation by role and small formatting filters.

Times and stored values are shown only through the filters here: ``moment`` and ``day`` (company
time zone, reader's language, see ``qa.timefmt``) and ``term`` (``qa.vocabulary``).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_babel import format_date, format_decimal, get_locale, get_translations, refresh
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from qa import timefmt
from qa.roles import ROLE_LABELS, can
from qa.services.notifications.inbox import unread_count
from qa.vocabulary import VOCABULARIES

# (endpoint, label, area): the top navigation, filtered by the user's role.
NAVIGATION = (
    ("calls.index", _l("Calls"), "calls.view"),
    ("search.index", _l("Search"), "calls.view"),
    ("reviews.queue", _l("My queue"), "reviews"),
    ("reviews.index", _l("Reviews"), "reviews"),
    ("coaching.library", _l("Coaching"), "coaching.library"),
    ("agents.index", _l("Agents"), "calls.view"),
    ("ads.index", _l("Ad audits"), "ads"),
    ("campaigns.index", _l("Campaigns"), "campaigns"),
    ("dashboard.index", _l("Dashboard"), "dashboard"),
    ("mystery.waves", _l("Mystery shopping"), "mystery"),
    ("shopping.mine", _l("My assignments"), "shopping"),
    ("locations.managed", _l("My locations"), "managed_locations"),
    ("coaching.mine", _l("My coaching"), "coaching.mine"),
    ("my_work.overview", _l("My work"), "my_work"),
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
    ("jobs.index", _l("Transcription jobs"), "jobs"),
    ("leads.index", _l("Leads"), "leads"),
    ("locations.index", _l("Locations"), "mystery"),
    ("mystery.scenarios", _l("Shopping scenarios"), "mystery"),
    ("admin.users", _l("Users"), "users"),
    ("admin.settings", _l("Company settings"), "settings"),
    ("admin.objection_models_page", _l("Objection models"), "settings"),
    ("admin.api_tokens_page", _l("API tokens"), "api_tokens"),
    ("admin.audit", _l("Audit trail"), "audit"),
    ("admin.personal_data", _l("Delete personal data"), "privacy"),
)


def active_item(endpoint: str | None, endpoints: list[str]) -> str | None:
    """The one navigation item to highlight on the page of ``endpoint``.

    The item of that very page wins; otherwise the first item of the same area (blueprint), so
    a page under "Reviews" that is not itself an item still lights one item, never two.
    """
    if not endpoint:
        return None
    if endpoint in endpoints:
        return endpoint
    area = endpoint.split(".")[0]
    return next((item for item in endpoints if item.split(".")[0] == area), None)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["get_locale"] = get_locale
    # Flask-Babel caches the locale on ``g``; choose it afresh for every request even where an
    # app context outlives requests (CLI, tests).
    app.before_request(refresh)
    app.before_request(timefmt.forget_company_zone)

    @app.context_processor
    def translations() -> dict[str, object]:
        """``_()`` and ``ngettext()`` bound to this render's catalog.

        Flask-Babel's template functions find the request's locale and catalog again for each
        string (hundreds on a call page). These behave as Jinja's new-style ones do (escaped,
        always %-formatted); macros imported without context still use Flask-Babel's.
        """
        catalog = get_translations()

        @pass_context
        def gettext(context: Context, string: str, **variables: Any) -> str:
            text = catalog.ugettext(string)
            if context.eval_ctx.autoescape:
                text = Markup(text)  # noqa: S704 - the catalog, as Jinja does; % escapes values
            return text % variables

        @pass_context
        def ngettext(
            context: Context, singular: str, plural: str, num: int, **variables: Any
        ) -> str:
            variables.setdefault("num", num)
            text = catalog.ungettext(singular, plural, num)
            if context.eval_ctx.autoescape:
                text = Markup(text)  # noqa: S704 - the catalog, as Jinja does; % escapes values
            return text % variables

        return {"gettext": gettext, "ngettext": ngettext}

    @app.context_processor
    def navigation() -> dict[str, object]:
        if not current_user.is_authenticated:
            return {"nav_items": (), "admin_nav_items": ()}
        role = current_user.role
        items = [item for item in NAVIGATION if can(role, item[2])]
        admin_items = [item for item in ADMIN_NAVIGATION if can(role, item[2])]
        return {
            "nav_items": items,
            "admin_nav_items": admin_items,
            "active_nav": active_item(request.endpoint, [i[0] for i in items + admin_items]),
            "role_labels": ROLE_LABELS,
            "can": lambda area: can(role, area),
            "unread_notifications": unread_count(current_user),
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

    @app.template_filter("line_text")
    def line_text(segment: Any) -> str:
        """A transcript line outside the call page: redacted where the company redacts."""
        from qa.services.calls.redaction import shown_text

        return shown_text(segment, False)

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
        return "–" if seconds is None else timefmt.seconds_clock(seconds)
