"""Browser tests: the real app on a live server thread, driven in Debian's Chromium.

The server runs on 127.0.0.1 with a free port and a temporary SQLite database; transcription jobs
run on a worker thread with the configured (real) Whisper engine, just as a ``qa worker`` would.
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app, has_app_context
from werkzeug.serving import make_server

from qa import create_app
from qa.extensions import db
from tests.conftest import require_or_skip

CHROMIUM = os.environ.get("QA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "browser test password"  # noqa: S105 - a throwaway account on a temporary database


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here drives a browser."""
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Use the system Chromium; Playwright's own browser downloads are never used."""
    found = os.path.isfile(CHROMIUM) or shutil.which(CHROMIUM) is not None
    require_or_skip(found, f"Chromium not found at {CHROMIUM} (set QA_CHROMIUM)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_FLAGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A laptop-sized window in English, so assertions read the English UI."""
    return {**browser_context_args, "viewport": {"width": 1400, "height": 900}, "locale": "en-US"}


@dataclass
class LiveServer:
    url: str
    app: Flask
    jobs_done: queue.Queue[int]


class JobWorker(threading.Thread):
    """Runs queued transcription jobs and ad video audits in this process, like ``qa worker``
    with one thread."""

    def __init__(self, app: Flask) -> None:
        super().__init__(name="browser-test-worker", daemon=True)
        self.app = app
        self.inbox: queue.Queue[int] = queue.Queue()
        self.done: queue.Queue[int] = queue.Queue()
        self.stopping = threading.Event()

    def send(self, job_id: int, delay: float | None = None) -> None:
        self.inbox.put(job_id)

    def send_video_audit(self, video_id: int) -> None:
        self.inbox.put(-video_id)  # negative: an ad video to audit

    def run(self) -> None:
        from qa.services.calls.job_runner import run_transcription_job
        from qa.services.marketing.ad_video_jobs import run_video_audit

        while not self.stopping.is_set():
            try:
                item = self.inbox.get(timeout=0.2)
            except queue.Empty:
                continue
            with self.app.app_context():
                if item < 0:
                    run_video_audit(-item)
                    continue
                run_transcription_job(item)
            self.done.put(item)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app on a free port with a fresh database, a queue worker thread and two users."""
    from qa import tasks

    root = tmp_path_factory.mktemp("live")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'qa.sqlite3'}",
            "RECORDINGS_DIR": str(root / "recordings"),
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        _seed(app)
    worker = JobWorker(app)
    worker.start()
    original_send = tasks.HueyJobQueue.send

    def send_job(queue: tasks.HueyJobQueue, job_id: int, delay: float | None = None) -> None:
        # Jobs committed by the live server go to its worker thread; any other app (web tests
        # running later in the same session) keeps the real queue.
        if has_app_context() and current_app._get_current_object() is app:  # type: ignore[attr-defined]
            worker.send(job_id, delay)
        else:
            original_send(queue, job_id, delay)

    original_send_video = tasks.HueyJobQueue.send_video_audit

    def send_video(queue: tasks.HueyJobQueue, video_id: int) -> None:
        if has_app_context() and current_app._get_current_object() is app:  # type: ignore[attr-defined]
            worker.send_video_audit(video_id)
        else:
            original_send_video(queue, video_id)

    patch = pytest.MonkeyPatch()
    patch.setattr(tasks.HueyJobQueue, "send", send_job)
    patch.setattr(tasks.HueyJobQueue, "send_video_audit", send_video)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, worker.done)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        worker.stopping.set()
        worker.join(timeout=120)
        patch.undo()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_server: LiveServer) -> str:
    """Relative URLs in page.goto() go to the live server."""
    return live_server.url


# The scorecard the end-to-end test fills in: weights 1, 2, 3, 2, 1, the last item critical.
SCORECARD = {
    "sections": [
        {
            "title": "Opening",
            "items": [
                {
                    "key": "greeting",
                    "text": "Greets and introduces the company",
                    "type": "yes_no",
                    "weight": 1,
                    "critical": False,
                    "guidance": "Name, company, offer to help.",
                },
                {
                    "key": "needs",
                    "text": "Asks about the customer's needs",
                    "type": "scale",
                    "max": 3,
                    "weight": 2,
                    "critical": False,
                    "guidance": "0: none … 3: thorough.",
                },
            ],
        },
        {
            "title": "Objections and close",
            "items": [
                {
                    "key": "objection",
                    "text": "Handles price or assortment objections",
                    "type": "yes_no",
                    "weight": 3,
                    "critical": False,
                    "suggest_from": "price",
                    "guidance": "N/A when the customer raised none.",
                },
                {
                    "key": "next_step",
                    "text": "Agrees a concrete next step",
                    "type": "yes_no",
                    "weight": 2,
                    "critical": False,
                    "guidance": "Visit, order, call-back time.",
                },
                {
                    "key": "rudeness",
                    "text": "Polite throughout (no rudeness)",
                    "type": "yes_no",
                    "weight": 1,
                    "critical": True,
                    "guidance": "A 'no' fails the whole review.",
                },
            ],
        },
    ]
}


def _seed(app: Flask) -> None:
    from qa.models import Agent, ScorecardDefault, ScorecardTemplate, ScorecardVersion
    from qa.services.admin.users import create_user

    create_user("reviewer@example.com", "Rita Reviewer", PASSWORD, "reviewer", "en")
    create_user("marketing@example.com", "Mark Marketing", PASSWORD, "marketing", "en")
    db.session.add(Agent(name="Ольга"))
    template = ScorecardTemplate(name="Sales call basics")
    template.versions.append(ScorecardVersion(number=1, definition=SCORECARD))
    # The company's one scorecard: the default for calls in either language.
    template.defaults.extend(
        [ScorecardDefault(kind="language", value=code) for code in ("ru", "en")]
    )
    db.session.add(template)
    db.session.commit()


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots go (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
