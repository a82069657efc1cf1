"""Load test: simulated reviewers against gunicorn on 127.0.0.1, driven by locust, headless.

    python benchmarks/bench_load.py                              # SQLite, 50 users, 60 s
    python benchmarks/bench_load.py --db postgres --duration 90
    python benchmarks/bench_load.py --worker                     # a transcription worker runs too

Builds an instance of its own (a temporary folder, and with --db postgres a throwaway
database): the migrations, then a generated world (campaigns, leads, calls with transcripts,
objection findings and reviews, as bench_dashboard.py makes them, at ``--calls`` calls and five
leads per call), a scorecard for the calls, ``--users`` reviewer accounts and a few marketing
ones. It starts gunicorn with qa/gunicorn_conf.py bound to a free port of 127.0.0.1, runs
locust against it for ``--duration`` seconds (``benchmarks/locustfile_qa.py``: log in, calls
list, call pages, scorecard form submitted with its CSRF token, dashboard) and writes p50, p95,
p99 and errors per page to ``--out`` as JSON and markdown. Nothing outside the machine is
contacted.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_dashboard import describe_machine, generate  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import create_engine, insert, text, update  # noqa: E402

from qa import MIGRATIONS_DIR, create_app  # noqa: E402
from qa.extensions import db  # noqa: E402
from qa.models import (  # noqa: E402
    Call,
    ScorecardDefault,
    ScorecardTemplate,
    ScorecardVersion,
    TranscriptSegment,
    User,
)
from tests.pg import throwaway_database  # noqa: E402

PASSWORD = "load benchmark password"  # noqa: S105 - a throwaway local instance
BIN = Path(sys.executable).parent
LINES = (
    ("agent", "Здравствуйте, мебельный салон, чем могу помочь?"),
    ("customer", "Добрый день, я смотрел диван в каталоге, сколько он стоит?"),
    ("agent", "Этот диван стоит сорок девять тысяч, сейчас на него скидка десять процентов."),
    ("customer", "Дороговато, у конкурентов видел дешевле."),
    ("agent", "Понимаю. У нас гарантия три года и доставка бесплатно."),
    ("customer", "А другого цвета есть? Мне нужен серый."),
    ("agent", "Серый будет через неделю, могу записать вас на примерку в салоне."),
    ("customer", "Давайте в субботу утром."),
)


def server_version(uri: str) -> str:
    """ ", PostgreSQL <version>" for a PostgreSQL database, else nothing."""
    if not uri.startswith("postgresql"):
        return ""
    engine = create_engine(uri)
    with engine.connect() as conn:
        version = conn.execute(text("SHOW server_version")).scalar()
    engine.dispose()
    return f", PostgreSQL {version}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def niceness(level: int) -> list[str]:
    """``nice -n LEVEL``: a worker sharing the web server's cores yields them to requests."""
    return ["nice", "-n", str(level)] if level else []


def keep_worker_busy(demo_calls: list[Call], copies: int) -> int:
    """Queue ``copies`` more calls on the demo's recordings, so the worker transcribes for the
    whole run (the demo alone is four short calls); each is a call of its own sharing the file."""
    from qa.services.calls.jobs import enqueue_transcription

    for number in range(copies):
        source = demo_calls[number % len(demo_calls)]
        call = Call(
            title=f"{source.title} ({number + 1})",
            original_filename=source.original_filename,
            recording_path=source.recording_path,
            sha256=f"{number:064x}",
            size_bytes=source.size_bytes,
            duration=source.duration,
            channels=source.channels,
            audio_format=source.audio_format,
            agent_channel=source.agent_channel,
            agent_id=source.agent_id,
            status="uploaded",
        )
        db.session.add(call)
        db.session.flush()
        enqueue_transcription(call)
    return copies


def prepare(uri: str, args: argparse.Namespace, world_file: Path) -> None:
    """Migrate and fill the database; write what the simulated users need to ``world_file``."""
    from qa.services.admin.demo import DEFAULT_SCORECARD

    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "benchmark"})
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR)
        started = time.perf_counter()
        generate(args.calls // 100 or 1, args.calls * 5, args.calls)
        # A real scorecard, the default for the calls' language.
        db.session.execute(
            update(ScorecardVersion).where(ScorecardVersion.id == 1),
            {"definition": DEFAULT_SCORECARD},
        )
        db.session.execute(
            update(ScorecardTemplate).where(ScorecardTemplate.id == 1), {"language": "ru"}
        )
        if not args.worker:  # the demo, loaded for the worker below, brings its own default
            db.session.add(ScorecardDefault(template_id=1, kind="language", value="ru"))
        segments = []
        for call_id in range(1, args.calls + 1):
            for position, (speaker, line) in enumerate(LINES):
                segments.append(
                    {
                        "call_id": call_id,
                        "position": position,
                        "speaker": speaker,
                        "channel": 0 if speaker == "agent" else 1,
                        "start": position * 6.0,
                        "end": position * 6.0 + 5.5,
                        "text": line,
                        "machine_text": line,
                        "words": [],
                    }
                )
        for chunk in range(0, len(segments), 20_000):
            db.session.execute(
                insert(TranscriptSegment.__table__), segments[chunk : chunk + 20_000]
            )
        reviewers = [f"reviewer{i:02d}@bench.local" for i in range(1, args.users + 1)]
        marketers = [f"marketing{i}@bench.local" for i in range(1, 4)]
        for email, role in [
            *((e, "reviewer") for e in reviewers),
            *((m, "marketing") for m in marketers),
        ]:
            user = User(email=email, name=email.split("@")[0], role=role)
            user.set_password(PASSWORD)
            db.session.add(user)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        transcribed = db.session.scalars(
            db.select(Call.id).where(Call.status == "transcribed")
        ).all()
        print(
            f"  world: {args.calls} calls ({len(transcribed)} transcribed, {len(segments)} "
            f"transcript lines), {args.calls * 5} leads, {len(reviewers)} reviewers, "
            f"{len(marketers)} marketing users in {time.perf_counter() - started:.1f} s"
        )
        if args.worker:
            from qa.services.admin.demo import load_demo

            demo = load_demo()
            db.session.commit()
            queued = demo.queued + keep_worker_busy(demo.calls, args.worker_calls)
            db.session.commit()
            print(f"  recordings queued for the worker: {queued}")
        db.session.remove()
        db.engine.dispose()
    today = date.today()
    world_file.write_text(
        json.dumps(
            {
                "password": PASSWORD,
                "reviewers": reviewers,
                "marketers": marketers,
                "call_ids": transcribed,
                "call_pages": max(1, args.calls // 25),
                "today": today.isoformat(),
                "year_from": (today - timedelta(days=364)).isoformat(),
            }
        ),
        encoding="utf-8",
    )


def wait_until_up(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - 127.0.0.1
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def read_stats(prefix: Path) -> list[dict[str, object]]:
    """locust's per-request figures (``<prefix>_stats.csv``), the aggregate row last."""
    rows = []
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "method": row["Type"],
                    "name": row["Name"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50_ms": float(row["50%"] or 0),
                    "p95_ms": float(row["95%"] or 0),
                    "p99_ms": float(row["99%"] or 0),
                    "max_ms": float(row["Max Response Time"] or 0),
                    "rps": float(row["Requests/s"] or 0),
                }
            )
    return rows


def markdown(result: dict[str, object]) -> str:
    lines = [
        f"# Load test, {result['database']}, {result['users']} users, {result['duration_s']} s",
        "",
        f'Rows named "warm-up" are the first {result.get("warmup_s", 0)} s, while the users '
        "arrive and log in; the others are the steady state.",
        "",
        f"{result['machine']}; load average before the run {result['load_before']}, "
        f"after {result['load_after']}; gunicorn workers: {result['gunicorn_workers']}; "
        f"transcription worker: "
        f"{'yes, nice ' + str(result.get('worker_nice')) if result['worker'] else 'no'}.",
        "",
        "| request | count | errors | p50 ms | p95 ms | p99 ms | max ms | req/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["requests"]:  # type: ignore[attr-defined]
        lines.append(
            f"| {row['name']} | {row['requests']} | {row['failures']} | {row['p50_ms']:.0f} | "
            f"{row['p95_ms']:.0f} | {row['p99_ms']:.0f} | {row['max_ms']:.0f} | {row['rps']:.1f} |"
        )
    if result["errors"]:
        lines += ["", "Errors:", ""]
        lines += [f"- {e['occurrences']} x {e['name']}: {e['error']}" for e in result["errors"]]  # type: ignore[attr-defined]
    return "\n".join(lines) + "\n"


def run(uri: str, args: argparse.Namespace, instance: Path) -> dict[str, object]:
    world_file = instance / "world.json"
    prepare(uri, args, world_file)
    port = free_port()
    env = {
        **os.environ,
        "QA_INSTANCE_PATH": str(instance),
        "QA_DATABASE_URL": uri,
        "QA_SECRET_KEY": secrets.token_hex(16),
        "QA_GUNICORN_BIND": f"127.0.0.1:{port}",
        "QA_GUNICORN_ACCESS_LOG": str(instance / "access.log"),
        "QA_GUNICORN_ERROR_LOG": str(instance / "error.log"),
        # Every simulated user logs in from 127.0.0.1: the per-address login limit would refuse
        # all but the first few.
        "QA_RATELIMIT_ENABLED": "false",
        "BENCH_LOAD_WORLD": str(world_file),
        "BENCH_LOAD_WARMUP": str(args.warmup),
        "PYTHONPATH": str(ROOT),
    }
    if args.gunicorn_workers:
        env["QA_GUNICORN_WORKERS"] = str(args.gunicorn_workers)
    with ExitStack() as stack:
        server = subprocess.Popen(  # noqa: S603 - our own executables
            [str(BIN / "gunicorn"), "-c", str(ROOT / "qa" / "gunicorn_conf.py"), "qa:create_app()"],
            cwd=ROOT,
            env=env,
        )
        stack.callback(stop, server)
        wait_until_up(f"http://127.0.0.1:{port}/healthz", 300)
        if args.worker:
            worker = subprocess.Popen(  # noqa: S603
                [*niceness(args.worker_nice), str(BIN / "qa"), "worker"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
            )
            stack.callback(stop, worker)
        prefix = instance / "locust"
        load_before = "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
        locust = subprocess.run(  # noqa: S603
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "benchmarks" / "locustfile_qa.py"),
                "--headless",
                "--host",
                f"http://127.0.0.1:{port}",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{args.duration}s",
                "--stop-timeout",
                "10",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            timeout=args.duration + 120,
            check=False,
        )
        load_after = "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
        workers = sum(
            1
            for line in (instance / "error.log").read_text().splitlines()
            if "Booting worker" in line
        )
    errors = []
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with open(failures, encoding="utf-8") as handle:
            errors = [
                {"name": r["Name"], "error": r["Error"], "occurrences": int(r["Occurrences"])}
                for r in csv.DictReader(handle)
            ]
    server_errors = [
        line for line in (instance / "error.log").read_text().splitlines() if "Traceback" in line
    ]
    return {
        "database": args.db,
        "users": args.users,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "worker": args.worker,
        "worker_nice": args.worker_nice if args.worker else None,
        "gunicorn_workers": workers,
        "machine": describe_machine() + server_version(uri),
        "load_before": load_before,
        "load_after": load_after,
        "locust_exit": locust.returncode,
        "requests": read_stats(prefix),
        "errors": errors,
        "server_tracebacks": len(server_errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (at most 600)")
    parser.add_argument(
        "--warmup",
        type=int,
        default=20,
        help="seconds at the start (users arriving, logging in) reported apart as warm-up rows",
    )
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--gunicorn-workers", type=int, default=0, help="default: the config's")
    parser.add_argument("--worker", action="store_true", help="run `qa worker` on the demo calls")
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=10,
        help="CPU niceness of the worker (0: the same priority as the web server)",
    )
    parser.add_argument(
        "--worker-calls",
        type=int,
        default=120,
        help="calls queued for the worker beyond the demo's (copies on the demo's recordings)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    args.duration = min(args.duration, 600)
    print(describe_machine())
    instance = Path(tempfile.mkdtemp(prefix="qa-load-"))
    try:
        os.environ["QA_INSTANCE_PATH"] = str(instance)
        if args.db == "sqlite":
            result = run(f"sqlite:///{instance}/load.sqlite3", args, instance)
        else:
            with throwaway_database(args.pg_url, "qa_load") as uri:
                result = run(uri, args, instance)
    finally:
        if not os.environ.get("BENCH_LOAD_KEEP"):
            shutil.rmtree(instance, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"load-{args.db}-{args.users}u{'-worker' if args.worker else ''}"
    (args.out / f"{stem}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    report = markdown(result)
    (args.out / f"{stem}.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
