"""Blueprint registration and the home page redirect."""

from __future__ import annotations

from flask import Flask, redirect, url_for
from flask_login import current_user

from qa.roles import can, requires

# First area the role can use, in order: where "home" sends a user after login.
HOME_BY_AREA = (
    ("calls.view", "calls.index"),
    ("dashboard", "dashboard.index"),
    ("shopping", "shopping.mine"),
    ("managed_locations", "locations.managed"),
    ("my_work", "my_work.overview"),
)


def register(app: Flask) -> None:
    # Importing each area's views adds its routes to the area's blueprint.
    from qa import api
    from qa.admin import model_views as _admin_models  # noqa: F401 - routes on admin.bp
    from qa.admin import privacy_views as _admin_privacy  # noqa: F401 - routes on admin.bp
    from qa.admin import views as admin
    from qa.ads import video_views as _ad_videos  # noqa: F401 - routes on ads.bp
    from qa.ads import views as ads
    from qa.agents import views as agents
    from qa.auth import views as auth
    from qa.calibration import views as calibration
    from qa.calls import views as calls
    from qa.campaigns import views as campaigns
    from qa.coaching import views as coaching
    from qa.comments import views as comments
    from qa.corrections import views as corrections
    from qa.dashboard import views as dashboard
    from qa.jobs import views as jobs
    from qa.leads import views as leads
    from qa.locations import views as locations
    from qa.my_work import views as my_work
    from qa.mystery import views as mystery
    from qa.notifications import views as notifications
    from qa.ops import views as ops
    from qa.pay import views as pay
    from qa.reviews import views as reviews
    from qa.scorecards import views as scorecards
    from qa.search import views as search
    from qa.shopping import views as shopping
    from qa.trackers import views as trackers

    for module in (auth, admin, calls, search, reviews, ads, dashboard, campaigns, leads):
        app.register_blueprint(module.bp)
    for module in (scorecards, calibration, agents, trackers, corrections, coaching, jobs):
        app.register_blueprint(module.bp)
    for module in (locations, mystery, shopping, my_work, comments, notifications, pay, ops):
        app.register_blueprint(module.bp)
    api.register(app)

    @app.route("/")
    @requires("account")
    def home():  # type: ignore[no-untyped-def]
        for area, endpoint in HOME_BY_AREA:
            if can(current_user.role, area):
                return redirect(url_for(endpoint))
        return redirect(url_for("auth.account"))
