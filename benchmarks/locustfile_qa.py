"""Simulated users of a running qa-review for ``bench_load.py`` (locust, headless).

Reviewers log in, browse the calls list and call pages, and submit reviews through the
scorecard form (its CSRF token and fields parsed from the page); marketing users look at the
dashboard too. ``BENCH_LOAD_WORLD`` names a JSON file written by ``bench_load.py``: the users'
emails, their password and the ids of the calls.

Requests sent in the first ``BENCH_LOAD_WARMUP`` seconds (the users arriving and logging in,
each login a deliberately slow password hash) are reported under names starting "warm-up", so
the other rows show the pages as the 50 users use them once all are in.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from pathlib import Path

from form_fields import CSRF, FormFields
from locust import HttpUser, between, task

WORLD = json.loads(Path(os.environ["BENCH_LOAD_WORLD"]).read_text(encoding="utf-8"))
_reviewers = itertools.cycle(WORLD["reviewers"])
_marketers = itertools.cycle(WORLD["marketers"])
_STEADY_FROM = time.monotonic() + float(os.environ.get("BENCH_LOAD_WARMUP", "0"))


def label(name: str) -> str:
    """The request's row in the report: warm-up rows apart from the steady state's."""
    return name if time.monotonic() >= _STEADY_FROM else f"warm-up {name}"


class Staff(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    email = ""

    def on_start(self) -> None:
        page = self.client.get("/login", name=label("/login"))
        token = CSRF.search(page.text)
        with self.client.post(
            "/login",
            data={
                "email": self.email,
                "password": WORLD["password"],
                "csrf_token": token.group(1) if token else "",
            },
            name=label("/login [POST]"),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")

    def call_id(self) -> int:
        return random.choice(WORLD["call_ids"])  # noqa: S311 - load pattern, not secrets

    def page(self, url: str, name: str) -> str:
        """GET a page; one that sends the user back to the login form counts as a failure."""
        with self.client.get(url, name=label(name), catch_response=True) as response:
            if "/login" in response.url:
                response.failure("sent to the login page")
            return response.text

    @task(4)
    def calls_list(self) -> None:
        page = random.randint(1, WORLD["call_pages"])  # noqa: S311
        self.page(f"/calls/?page={page}", "/calls/?page=[n]")

    @task(4)
    def call_page(self) -> None:
        self.page(f"/calls/{self.call_id()}", "/calls/[id]")


class Reviewer(Staff):
    weight = 9

    def on_start(self) -> None:
        self.email = next(_reviewers)
        super().on_start()

    @task(2)
    def review(self) -> None:
        call_id = self.call_id()
        form = FormFields("scorecard-form")
        form.feed(self.page(f"/calls/{call_id}", "/calls/[id]"))
        if not form.found or not form.action:
            return  # no scorecard on this call's page
        data = dict(form.hidden)
        for name, values in form.radios.items():
            data[name] = random.choice(values)  # noqa: S311
        data["comment"] = "Проверено под нагрузкой."
        with self.client.post(
            form.action,
            data=data,
            name=label("/reviews/call/[id] [POST]"),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # 302/303: saved (or already reviewed by this reviewer: shown); 409: changed since.
            if response.status_code not in (302, 303, 409):
                response.failure(f"review answered {response.status_code}")


class Marketer(Staff):
    weight = 1

    def on_start(self) -> None:
        self.email = next(_marketers)
        super().on_start()

    @task(4)
    def dashboard(self) -> None:
        self.page("/dashboard/", "/dashboard/ (30 days)")

    @task(1)
    def dashboard_year(self) -> None:
        self.page(
            f"/dashboard/?from={WORLD['year_from']}&to={WORLD['today']}", "/dashboard/ (365 days)"
        )
