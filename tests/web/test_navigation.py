"""Each role sees the navigation for its areas and no links to pages it cannot open."""

from __future__ import annotations

import pytest
from flask import url_for

from qa.roles import ROLES, can
from qa.templating import ADMIN_NAVIGATION, NAVIGATION


@pytest.mark.parametrize("role", ROLES)
def test_navigation_follows_role(app, client, login, role: str) -> None:
    login.as_role(role)
    page = client.get("/account").get_data(as_text=True)
    for endpoint, _label, area in NAVIGATION + ADMIN_NAVIGATION:
        with app.test_request_context():
            url = url_for(endpoint)
        link = f'href="{url}"'
        if can(role, area):
            assert link in page, f"{role} misses {endpoint}"
            assert client.get(url).status_code == 200, endpoint
        else:
            assert link not in page, f"{role} sees {endpoint}"


def test_admin_sees_every_area(app, client, login) -> None:
    login.as_role("admin")
    page = client.get("/account").get_data(as_text=True)
    for endpoint in ("calls.index", "reviews.index", "ads.index", "dashboard.index"):
        with app.test_request_context():
            assert f'href="{url_for(endpoint)}"' in page
