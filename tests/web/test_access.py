"""Access rules for every URL rule, generated from the URL map and qa.roles.AREAS.

A new route is covered the moment it exists: it must declare its area (qa.roles.requires or the
API's token_required), and is then checked for every role and for a logged-out visitor.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from werkzeug.routing import Rule

from qa import create_app
from qa.roles import AREAS, ROLES

# Public by design: the login page, static files, and the probes of load balancers and
# monitors (health and readiness answer anyone; metrics decide by address or token, which
# tests/web/test_metrics.py checks).
PUBLIC_ENDPOINTS = {
    "static", "bootstrap.static", "auth.login", "ops.healthz", "ops.readyz", "ops.metrics_page",
}
_MAP_APP = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def _rules() -> list[Rule]:
    return sorted(
        (r for r in _MAP_APP.url_map.iter_rules() if r.endpoint not in PUBLIC_ENDPOINTS),
        key=lambda r: (r.rule, r.endpoint),
    )


def _area(app: Flask, rule: Rule) -> str | None:
    return getattr(app.view_functions[rule.endpoint], "access_area", None)


def _url(rule: Rule) -> str:
    """The rule with every variable filled by a value that matches its converter."""
    return re.sub(
        r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>",
        lambda m: "999999" if m.group(1) in ("int", "float") else "x",
        rule.rule,
    )


def _method(rule: Rule) -> str:
    return "GET" if "GET" in (rule.methods or ()) else "POST"


RULES = _rules()


def test_every_route_declares_an_area() -> None:
    undeclared = [r.endpoint for r in RULES if _area(_MAP_APP, r) is None]
    assert undeclared == []
    unknown = {_area(_MAP_APP, r) for r in RULES} - set(AREAS) - {"api"}
    assert unknown == set()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.endpoint}")
def test_route_access(app, client, login, rule: Rule) -> None:
    area = _area(app, rule)
    url, method = _url(rule), _method(rule)

    response = client.open(url, method=method)
    if area == "api":
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")

    for role in ROLES:
        login.as_role(role)
        response = client.open(url, method=method)
        if area == "api":
            # A session cookie never authenticates the API.
            assert response.status_code == 401, role
        elif role in AREAS[area]:
            assert response.status_code != 403, f"{role} refused on {url}"
            is_login_redirect = response.status_code == 302 and response.headers[
                "Location"
            ].startswith("/login")
            assert not is_login_redirect or rule.endpoint == "auth.logout", role
        else:
            assert response.status_code == 403, f"{role} allowed on {url}"
        client.post("/logout")
