"""Blueprint registration and the home page redirect."""

from __future__ import annotations

from flask import Flask, redirect, url_for
from flask_login import current_user

from qa.roles import can, requires

# First area the role can use, in order: where "home" sends a user after login.
HOME_BY_AREA = (
    ("calls.view", "calls.index"),
    ("dashboard", "dashboard.index"),
)


def register(app: Flask) -> None:
    from qa import (
        admin,
        ads,
        agents,
        api,
        auth,
        calibration,
        calls,
        campaigns,
        dashboard,
        leads,
        reviews,
        scorecards,
        search,
        trackers,
    )

    for module in (auth, admin, calls, search, reviews, ads, dashboard, campaigns, leads):
        app.register_blueprint(module.bp)
    for module in (scorecards, calibration, agents, trackers):
        app.register_blueprint(module.bp)
    api.register(app)

    @app.route("/")
    @requires("account")
    def home():  # type: ignore[no-untyped-def]
        for area, endpoint in HOME_BY_AREA:
            if can(current_user.role, area):
                return redirect(url_for(endpoint))
        return redirect(url_for("auth.account"))
