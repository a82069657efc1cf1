"""Time computing every pay statement for 200 employees over a year of the dashboard's data.

    python benchmarks/bench_pay.py                      # SQLite
    python benchmarks/bench_pay.py --db postgres --pg-url postgresql+psycopg://...

Generates the dashboard benchmark's data (bench_dashboard.generate: 200 campaigns over the last
year, 100,000 leads, 20,000 calls with findings and reviews), then 200 paid agents (40
marketers owning the campaigns, 120 sellers and 40 appointment setters shared out over the
leads), 30,000 appointments and one plan per role. It times calculate_month for each of the
last twelve months (statements created and stored, then committed), a second run over the same
year (drafts recomputed in place), and one employee's live estimate. Results go to
benchmarks/README.md by hand, with the machine.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dashboard import describe_machine, generate  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, insert, select, update  # noqa: E402

from qa import MIGRATIONS_DIR, create_app  # noqa: E402
from qa.extensions import db  # noqa: E402
from qa.models import (  # noqa: E402
    Agent,
    Appointment,
    Call,
    Campaign,
    Lead,
    PayStatement,
    ReviewSubject,
    User,
)
from qa.services.admin.demo_pay import indicator_row  # noqa: E402
from qa.services.pay import plans, statements  # noqa: E402
from tests.pg import throwaway_database  # noqa: E402

ROLES = ("marketer",) * 40 + ("seller",) * 120 + ("setter",) * 40


PLANS = {
    "marketer": [
        indicator_row(
            "view_lead", "50", ("5", "10", "15"), "share", ("50", "100", "150"), penalty="20"
        ),
        indicator_row("cost_per_lead", "30", ("500", "400", "300"), "share", ("50", "100", "150")),
        indicator_row("lead_sale", "20", ("20", "35", "50"), "share", ("50", "100", "150")),
    ],
    "seller": [
        indicator_row(
            "revenue",
            "60",
            ("50000", "150000", "300000"),
            "revenue_percent",
            ("2", "3", "4"),
            accelerator="1.5",
        ),
        indicator_row(
            "lead_sale", "20", ("20", "35", "50"), "share", ("50", "100", "150"), penalty="10"
        ),
        indicator_row("qa_score", "10", ("60", "75", "90"), "share", ("50", "100", "150")),
        indicator_row(
            "objection_handling", "10", ("10", "20", "30"), "share", ("50", "100", "150")
        ),
    ],
    "setter": [
        indicator_row(
            "appointments_held",
            "70",
            ("5", "10", "15"),
            "per_unit",
            ("300", "400", "500"),
            accelerator="2",
            penalty="40",
        ),
        indicator_row("won_leads", "30", ("5", "10", "20"), "per_unit", ("100", "150", "200")),
    ],
}


def add_pay_data(seed: int = 11) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    db.session.execute(
        insert(Agent.__table__),
        [
            {
                "id": 10_000 + i,
                "name": f"Сотрудник {i:03d}",
                "pay_role": role,
                "active": True,
                "created_at": datetime(2025, 1, 1),
            }
            for i, role in enumerate(ROLES)
        ],
    )
    ids = {role: [10_000 + i for i, r in enumerate(ROLES) if r == role] for role in set(ROLES)}
    for campaign_id in db.session.scalars(select(Campaign.id)):
        db.session.execute(
            update(Campaign)
            .where(Campaign.id == campaign_id)
            .values(owner_id=rng.choice(ids["marketer"]))
        )
    # Sellers and setters by lead id modulo their count: one UPDATE each per person.
    db.session.execute(
        update(Lead).values(seller_id=10_040 + Lead.id % 120, setter_id=10_160 + Lead.id % 40)
    )
    # Calls (and the subjects their reviews hang on) belong to the sellers.
    db.session.execute(update(Call).values(agent_id=10_040 + Call.id % 120))
    db.session.execute(update(ReviewSubject).values(agent_id=10_040 + ReviewSubject.call_id % 120))
    lo, hi = db.session.execute(select(func.min(Lead.created_at), func.max(Lead.created_at))).one()
    span = (hi - lo).total_seconds()
    db.session.execute(
        insert(Appointment.__table__),
        [
            {
                "external_id": f"A{i}",
                "kind": rng.choice(("meeting", "measurement", "first_contact")),
                "scheduled_at": lo + timedelta(seconds=rng.random() * span),
                "held": rng.random() < 0.7,
                "setter_id": rng.choice(ids["setter"]),
                "created_at": lo,
                "updated_at": lo,
            }
            for i in range(30_000)
        ],
    )
    admin = User(email="admin@bench.local", name="Admin", role="admin")
    admin.set_password("benchmark password")
    db.session.add(admin)
    for role, rows in PLANS.items():
        plans.save_plan(
            role,
            date(2000, 1, 1),
            {"fixed": "30000", "variable": "20000", "cap": "40000", "max_reduction": "50"},
            rows,
            admin,
        )
    db.session.commit()


def last_twelve_months(today: date) -> list[date]:
    months, month = [], today.replace(day=1)
    for _ in range(12):
        months.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    return months[::-1]


def year_run(months: list[date]) -> float:
    started = time.perf_counter()
    for month in months:
        statements.calculate_month(month)
    db.session.commit()
    return time.perf_counter() - started


def run(uri: str, args: argparse.Namespace, instance: str) -> None:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": uri,
            "SECRET_KEY": "benchmark",
            "RECORDINGS_DIR": os.path.join(instance, "recordings"),
        }
    )
    reuse = bool(args.database) and Path(args.database).exists()
    print("  reusing the kept data" if reuse else "  generating the data")
    with app.app_context():
        if not reuse:
            upgrade(directory=MIGRATIONS_DIR)
            generate(args.campaigns, args.leads, args.calls)
            add_pay_data()
        db.session.execute(PayStatement.__table__.delete())
        db.session.commit()
        db.session.remove()
        months = last_twelve_months(date.today())
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            year_run(months)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
            return
        first = year_run(months)
        count = db.session.scalar(select(func.count(PayStatement.id)))
        print(f"  first run, 12 months: {first:.2f} s ({count} statements stored)")
        again = [year_run(months) for _ in range(args.repeats)]
        print(
            f"  recalculation of the year (nothing changed, nothing rewritten): median "
            f"{statistics.median(again):.2f} s over {args.repeats}"
        )
        seller = db.session.get(Agent, 10_040)
        started = time.perf_counter()
        estimate = statements.estimate(seller)
        print(
            f"  one employee's live estimate: {1000 * (time.perf_counter() - started):.0f} ms"
            f" (total {estimate.result.total if estimate.result else '-'})"
        )
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--campaigns", type=int, default=200)
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--database", help="SQLite file to keep the generated data in (reused)")
    parser.add_argument("--profile", action="store_true", help="profile one year instead")
    args = parser.parse_args()
    print(describe_machine())
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as instance:
        os.environ["QA_INSTANCE_PATH"] = instance
        if args.db == "sqlite":
            path = args.database or f"{instance}/bench.sqlite3"
            run(f"sqlite:///{path}", args, instance)
        else:
            with throwaway_database(args.pg_url, "qa_bench_pay") as uri:
                run(uri, args, instance)


if __name__ == "__main__":
    main()
