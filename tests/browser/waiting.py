"""Waiting for a condition in the page under the app's strict Content-Security-Policy.

Playwright's ``wait_for_function`` polls a string predicate by evaluating it inside the page,
which the policy's ``script-src 'self'`` refuses as soon as the first check is false; evaluating
from the test (``page.evaluate``, over the DevTools protocol) is not subject to the policy.
"""

from __future__ import annotations

import time

from playwright.sync_api import Page


def wait_until(page: Page, expression: str, timeout: float = 30_000) -> None:
    """Poll ``expression`` in the page until it is truthy; fail after ``timeout`` ms."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout / 1000:g} s: {expression}")
        page.wait_for_timeout(50)
