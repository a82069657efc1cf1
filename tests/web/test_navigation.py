"""Each role sees the navigation for its areas and no links to pages it cannot open."""

from __future__ import annotations

import re

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


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("reviews.index", "reviews.index"),
        ("reviews.queue", "reviews.queue"),
        ("search.index", "search.index"),
        ("jobs.index", "jobs.index"),
        ("reviews.sampling", "reviews.sampling"),
    ],
)
def test_one_navigation_item_is_highlighted(app, client, login, endpoint, expected) -> None:  # type: ignore[no-untyped-def]
    login.as_role("admin")
    with app.test_request_context():
        url, expected_url = url_for(endpoint), url_for(expected)
    page = client.get(url).get_data(as_text=True)
    nav = page.split('id="main-nav"', 1)[1].split("</nav>", 1)[0]
    active = re.findall(r'class="(?:nav-link|dropdown-item)[^"]*\bactive" aria-current="page"\s*'
                        r'href="([^"]+)"', nav)
    assert active == [expected_url]
    # The "Settings" menu is highlighted only when the page is one of its items.
    in_menu = any(expected == item[0] for item in ADMIN_NAVIGATION)
    assert ('dropdown-toggle active' in nav) is in_menu


def test_a_page_outside_the_items_lights_its_area(app, client, login) -> None:  # type: ignore[no-untyped-def]
    from qa.templating import active_item

    items = [endpoint for endpoint, _label, _area in NAVIGATION + ADMIN_NAVIGATION]
    assert active_item("reviews.detail", items) == "reviews.queue"
    assert active_item("reviews.sampling", items) == "reviews.sampling"
    assert active_item("calls.detail", items) == "calls.index"
    assert active_item("auth.account", items) is None
    assert active_item(None, items) is None
