"""CPU time per request of the load test's pages, in-process, with a profile of each.

    python benchmarks/profile_pages.py                       # 3,000 calls, 40 requests a page
    python benchmarks/profile_pages.py --profile calls_list  # cProfile's top functions too
    python benchmarks/profile_pages.py --keep /tmp/qa-pages  # build once, reuse the next time

Builds the load test's world (``bench_load.prepare``: migrations, ``--calls`` calls with their
transcripts, the demo scorecard, reviewer and marketing accounts) in a SQLite database of its
own, then logs in as a reviewer through Flask's test client on an app configured as gunicorn
serves it (not testing, not debug) and times each page with the process's CPU clock: the calls
list, a call page, the scorecard submitted from a call page, the login form, and the dashboard
as a marketing user. The load on the machine changes waiting, not these figures, which is why
they are the ones to compare before and after a change.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_load import prepare  # noqa: E402
from form_fields import CSRF, FormFields  # noqa: E402
from sqlalchemy import event  # noqa: E402

from qa import create_app  # noqa: E402
from qa.extensions import db  # noqa: E402


class Queries:
    """Counts the statements the app's engine executes."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_args: object) -> None:
        self.count += 1


def log_in(client, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    token = CSRF.search(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token.group(1) if token else ""},
    )
    if response.status_code != 302:
        raise SystemExit(f"{email} could not log in: {response.status_code}")


def review_submitter(client, world: dict) -> Callable[[], None]:  # type: ignore[no-untyped-def]
    """A request that posts the scorecard form of a random call's page, as locust does.

    The page is fetched outside the timing (``pending``); only the POST is timed.
    """
    pending: list[tuple[str, dict[str, str]]] = []

    def fetch_form() -> None:
        while not pending:
            call_id = random.choice(world["call_ids"])  # noqa: S311
            form = FormFields("scorecard-form")
            form.feed(client.get(f"/calls/{call_id}").get_data(as_text=True))
            if form.found and form.action:
                data = dict(form.hidden)
                for name, values in form.radios.items():
                    data[name] = random.choice(values)  # noqa: S311
                data["comment"] = "Проверено под нагрузкой."
                pending.append((form.action, data))

    def submit() -> None:
        action, data = pending.pop()
        response = client.post(action, data=data)
        if response.status_code not in (302, 303, 409):
            raise SystemExit(f"review POST answered {response.status_code}")

    submit.prepare = fetch_form  # type: ignore[attr-defined]
    return submit


def getter(client, url: Callable[[], str]) -> Callable[[], None]:  # type: ignore[no-untyped-def]
    def get() -> None:
        response = client.get(url())
        if response.status_code != 200:
            raise SystemExit(f"{response.request.path} answered {response.status_code}")

    return get


def measure(
    request: Callable[[], None], count: int, queries: Queries, profile: bool
) -> tuple[list[float], float, str]:
    """CPU ms of each of ``count`` requests, queries per request, and a profile if asked."""
    times = []
    profiler = cProfile.Profile() if profile else None
    total_queries = 0
    for _ in range(count):
        getattr(request, "prepare", lambda: None)()
        queries_before = queries.count
        started = time.process_time()
        if profiler:
            profiler.enable()
        request()
        if profiler:
            profiler.disable()
        times.append((time.process_time() - started) * 1000)
        total_queries += queries.count - queries_before
    per_request = total_queries / count if count else 0.0
    report = ""
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        report = out.getvalue()
    return times, per_request, report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page")
    parser.add_argument("--profile", action="append", default=[], help="page name, or 'all'")
    parser.add_argument("--keep", type=Path, help="instance folder to build once and reuse")
    parser.add_argument("--out", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    args.worker = False
    instance = args.keep or Path(tempfile.mkdtemp(prefix="qa-pages-"))
    instance.mkdir(parents=True, exist_ok=True)
    os.environ["QA_INSTANCE_PATH"] = str(instance)
    uri = f"sqlite:///{instance}/load.sqlite3"
    world_file = instance / "world.json"
    if not world_file.exists():
        prepare(uri, args, world_file)
    world = json.loads(world_file.read_text(encoding="utf-8"))
    random.seed(1)
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "profile", "RATELIMIT_ENABLED": False}
    )
    queries = Queries()
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", queries)
    reviewer = app.test_client()
    log_in(reviewer, world["reviewers"][0], world["password"])
    marketer = app.test_client()
    log_in(marketer, world["marketers"][0], world["password"])
    anonymous = app.test_client()
    pages = {
        "calls_list": getter(
            reviewer,
            lambda: f"/calls/?page={random.randint(1, world['call_pages'])}",  # noqa: S311
        ),
        "call_page": getter(reviewer, lambda: f"/calls/{random.choice(world['call_ids'])}"),  # noqa: S311
        "review_post": review_submitter(reviewer, world),
        "login_form": getter(anonymous, lambda: "/login"),
        "dashboard_30d": getter(marketer, lambda: "/dashboard/"),
    }
    results = {}
    print(f"{'page':<14} {'median ms':>10} {'p90 ms':>8} {'min ms':>8} {'queries':>8}")
    for name, request in pages.items():
        measure(request, 3, queries, False)  # warm: templates compiled, caches filled
        profile = name in args.profile or "all" in args.profile
        times, per_request, report = measure(request, args.requests, queries, profile)
        times.sort()
        results[name] = {
            "median_ms": round(statistics.median(times), 1),
            "p90_ms": round(times[int(len(times) * 0.9) - 1], 1),
            "min_ms": round(times[0], 1),
            "queries": round(per_request, 1),
        }
        r = results[name]
        print(
            f"{name:<14} {r['median_ms']:>10.1f} {r['p90_ms']:>8.1f} {r['min_ms']:>8.1f} "
            f"{r['queries']:>8.1f}"
        )
        if report:
            print(report)
    if args.out:
        args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
