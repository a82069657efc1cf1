"""Time the lead-quality dashboard and a drill-down on a large generated data set.

    python benchmarks/bench_dashboard.py                    # SQLite and PostgreSQL
    python benchmarks/bench_dashboard.py --db sqlite --requests 50
    python benchmarks/bench_dashboard.py --pg-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Generates 200 campaigns over the last year, 100,000 leads and 20,000 calls with objection
findings and reviews (bulk inserts into a database built by the migrations), logs in as a
marketing user through the Flask test client and requests each page repeatedly, reporting
p50/p95. PostgreSQL runs in its own database, created and dropped here. Results go to
benchmarks/README-dashboard.md by hand, with the machine they were measured on.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, insert, text  # noqa: E402

from qa import MIGRATIONS_DIR, create_app  # noqa: E402
from qa.extensions import db  # noqa: E402
from qa.models import (  # noqa: E402
    AdAudit,
    AdText,
    Call,
    Campaign,
    Finding,
    Lead,
    Review,
    ReviewSubject,
    ScorecardTemplate,
    ScorecardVersion,
    User,
)
from qa.models.company import LEAD_CHANNELS  # noqa: E402
from tests.pg import throwaway_database  # noqa: E402

PASSWORD = "benchmark password"  # noqa: S105 - a throwaway local database
STATUSES = ("won",) * 35 + ("qualified",) * 15 + ("new",) * 30 + ("lost",) * 20


def generate(n_campaigns: int, n_leads: int, n_calls: int, seed: int = 7) -> dict[str, float]:
    """Fill the empty database; returns seconds per step."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    timings: dict[str, float] = {}
    today = date.today()
    year_ago = today - timedelta(days=365)

    def step(name: str, rows: list[dict[str, object]], model: type) -> None:
        started = time.perf_counter()
        for chunk in range(0, len(rows), 20_000):
            db.session.execute(insert(model.__table__), rows[chunk : chunk + 20_000])
        db.session.commit()
        timings[name] = time.perf_counter() - started

    campaigns = []
    for i in range(1, n_campaigns + 1):
        start = year_ago + timedelta(days=rng.randrange(0, 350))
        days = rng.randrange(14, 91)
        campaigns.append(
            {
                "id": i,
                "name": f"Кампания {i:03d}",
                "kind": "mass" if rng.random() < 0.7 else "targeted",
                "channel": rng.choice(("yandex", "vk", "radio", "outdoor")),
                "utm_source": "bench",
                "utm_campaign": f"c{i}",
                "starts_on": start,
                "ends_on": start + timedelta(days=days - 1),
                "spend": Decimal(rng.randrange(10_000, 500_000)),
                "views": rng.randrange(5_000, 1_000_000),
            }
        )
    step("campaigns", campaigns, Campaign)

    leads = []
    for i in range(1, n_leads + 1):
        if rng.random() < 0.9:
            campaign = rng.choice(campaigns)
            run_days = (campaign["ends_on"] - campaign["starts_on"]).days + 14  # late leads too
            day = campaign["starts_on"] + timedelta(days=rng.randrange(run_days))
            campaign_id = campaign["id"]
        else:
            day, campaign_id = year_ago + timedelta(days=rng.randrange(366)), None
        status = rng.choice(STATUSES)
        leads.append(
            {
                "id": i,
                "external_id": f"crm-{i}",
                "campaign_id": campaign_id,
                "created_at": datetime.combine(min(day, today), datetime.min.time())
                + timedelta(seconds=rng.randrange(86_400)),
                "phone": f"+7916{rng.randrange(10**7):07d}",
                "channel": rng.choice(LEAD_CHANNELS),
                "status": status,
                "customer_id": f"cust-{rng.randrange(n_leads // 3)}",
                "sale_amount": Decimal(rng.randrange(1_000, 90_000)) if status == "won" else None,
                "updated_at": datetime.now(),
            }
        )
    step("leads", leads, Lead)

    calls, findings, subjects, reviews = [], [], [], []
    step("scorecard", [{"id": 1, "name": "Продажи", "active": True}], ScorecardTemplate)
    step(
        "scorecard version",
        [{"id": 1, "template_id": 1, "number": 1, "definition": {"sections": []}}],
        ScorecardVersion,
    )
    for i in range(1, n_calls + 1):
        lead = rng.choice(leads) if rng.random() < 0.85 else None
        moment = (
            lead["created_at"]
            if lead
            else datetime.combine(
                year_ago + timedelta(days=rng.randrange(366)), datetime.min.time()
            )
        ) + timedelta(minutes=rng.randrange(-600, 600))
        calls.append(
            {
                "id": i,
                "original_filename": f"call-{i}.wav",
                "recording_path": f"xx/{i}.wav",
                "sha256": uuid.uuid4().hex * 2,
                "size_bytes": 100_000,
                "duration": 180.0,
                "status": "transcribed" if rng.random() < 0.9 else "failed",
                "language": "ru",
                "agent_channel": "left",
                "lead_id": lead["id"] if lead else None,
                "lead_link": "auto" if lead else None,
                "campaign_id": lead["campaign_id"] if lead else None,
                "phone": lead["phone"] if lead else None,
                "called_at": moment,
                "created_at": moment + timedelta(hours=1),
            }
        )
        for label, chance in (("price", 0.3), ("assortment", 0.2), ("tracker.competitor", 0.2)):
            for _hit in range(rng.choice((1, 1, 2)) if rng.random() < chance else 0):
                findings.append(
                    {
                        "call_id": i,
                        "label": label,
                        "text": "дорого",
                        "time_start": 1.0,
                        "time_end": 2.0,
                        "created_at": moment,
                    }
                )
        if rng.random() < 0.25:
            # A review is about the call's review subject (one per call), as the app files it.
            subjects.append({"id": i, "kind": "call", "call_id": i, "occurred_at": moment})
            reviews.append(
                {
                    "subject_id": i,
                    "scorecard_version_id": 1,
                    "status": "submitted",
                    "score": float(rng.randrange(40, 101)),
                    "answers": {},
                    "failed_critical": False,
                    "version": 1,
                    "created_at": moment,
                    "updated_at": moment,
                }
            )
    step("calls", calls, Call)
    step("findings", findings, Finding)
    step("review subjects", subjects, ReviewSubject)
    step("reviews", reviews, Review)

    texts, audits = [], []
    for i, campaign in enumerate(campaigns * 2, start=1):
        texts.append(
            {
                "id": i,
                "campaign_id": campaign["id"],
                "text": "Скидка 20% до пятницы. Звоните!",
                "extra": {},
                "created_at": datetime.now(),
            }
        )
        for _audit in range(rng.randrange(0, 3)):
            audits.append(
                {
                    "ad_text_id": i,
                    "has_offer": True,
                    "has_deadline": rng.random() < 0.8,
                    "has_cta": True,
                    "deadline_expired": False,
                    "result": {},
                    "created_at": datetime.now(),
                }
            )
    step("ad texts", texts, AdText)
    step("ad audits", audits, AdAudit)

    user = User(email="marketing@bench.local", name="Marketing", role="marketing")
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # Explicit ids above: move the sequences past them. Then vacuum and refresh statistics,
        # as autovacuum would after a bulk load.
        for table in (
            "campaigns",
            "leads",
            "calls",
            "ad_texts",
            "scorecard_templates",
            "scorecard_versions",
            "review_subjects",
        ):
            # Table names from the tuple above, not input.
            sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608, E501
            db.session.execute(text(sql))
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    timings["findings rows"] = len(findings)
    timings["reviews rows"] = len(reviews)
    return timings


def time_requests(
    get: Callable[[], object], n: int, before: Callable[[], object] | None = None
) -> tuple[float, float, float]:
    """p50, p95 and max in milliseconds over ``n`` requests after two warm-up requests.

    ``before`` runs, untimed, ahead of every request (a write, to time a cache's first build).
    """
    for _ in range(2):
        get()
    samples = []
    for _ in range(n):
        if before is not None:
            before()
        started = time.perf_counter()
        get()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * len(samples))) - 1)]
    return statistics.median(samples), p95, samples[-1]


def run(uri: str, args: argparse.Namespace, instance: str) -> None:
    app: Flask = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": uri,
            "SECRET_KEY": "benchmark",
            "WTF_CSRF_ENABLED": False,
            "RECORDINGS_DIR": os.path.join(instance, "recordings"),
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        started = time.perf_counter()
        upgrade(directory=MIGRATIONS_DIR)
        print(f"  migrations: {time.perf_counter() - started:.1f} s")
        timings = generate(args.campaigns, args.leads, args.calls)
        inserted = sum(v for k, v in timings.items() if not k.endswith("rows"))
        print(
            f"  generated {args.campaigns} campaigns, {args.leads} leads, {args.calls} calls, "
            f"{timings['findings rows']:.0f} findings, {timings['reviews rows']:.0f} reviews "
            f"in {inserted:.1f} s"
        )
        db.session.remove()
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post("/login", data={"email": "marketing@bench.local", "password": PASSWORD})
    assert response.status_code == 302, "login failed"
    today = date.today()

    def page(url: str) -> Callable[[], object]:
        def get() -> object:
            result = client.get(url)
            assert result.status_code == 200, (url, result.status_code)
            return result

        return get

    year = f"from={(today - timedelta(days=364)).isoformat()}&to={today.isoformat()}"
    pages = [
        ("dashboard, last 30 days (default)", "/dashboard/"),
        ("dashboard, last 365 days", f"/dashboard/?{year}"),
        ("dashboard, 30 days, charts for one campaign", "/dashboard/?campaign=1"),
        ("drill-down: calls with price objections, all", "/dashboard/drill?metric=price_calls"),
        (
            "drill-down: leads of campaign 1, 365 days",
            f"/dashboard/drill?{year}&campaign=1&metric=leads",
        ),
        ("CSV export, last 30 days", "/dashboard/export.csv"),
    ]
    for label, url in pages:
        p50, p95, worst = time_requests(page(url), args.requests)
        print(f"  {label:<48} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   max {worst:7.1f} ms")
    written = iter(range(10**9))

    def add_lead() -> None:
        """One committed lead of today: every process must build the figures again."""
        with app.app_context():
            db.session.add(
                Lead(external_id=f"bench-write-{next(written)}", channel="site", status="new")
            )
            db.session.commit()
            db.session.remove()

    for label, url in [
        ("dashboard, 30 days, first request after a write", "/dashboard/"),
        ("dashboard, 365 days, first request after a write", f"/dashboard/?{year}"),
    ]:
        p50, p95, worst = time_requests(page(url), args.requests, before=add_lead)
        print(f"  {label:<48} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   max {worst:7.1f} ms")
    with app.app_context():
        db.engine.dispose()


def describe_machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import sqlite3

    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--campaigns", type=int, default=200)
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=20_000)
    args = parser.parse_args()
    print(describe_machine())
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as instance:
        os.environ["QA_INSTANCE_PATH"] = instance
        if args.db in ("sqlite", "both"):
            print("SQLite")
            run(f"sqlite:///{instance}/bench.sqlite3", args, instance)
        if args.db in ("postgres", "both"):
            with throwaway_database(args.pg_url, "qa_bench") as uri:
                engine = create_engine(uri)
                with engine.connect() as conn:
                    version = conn.execute(text("SHOW server_version")).scalar()
                engine.dispose()
                print(f"PostgreSQL {version}")
                run(uri, args, instance)


if __name__ == "__main__":
    main()
