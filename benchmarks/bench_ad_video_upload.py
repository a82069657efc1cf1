"""Time an ad video upload's answer (the audit queued) and the audit a worker then runs.

.venv/bin/python benchmarks/bench_ad_video_upload.py [VIDEO] [--runs N]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa import create_app  # noqa: E402
from qa import queue as queue_module  # noqa: E402
from qa.extensions import db  # noqa: E402
from qa.queue import make_huey  # noqa: E402
from qa.tasks import HueyJobQueue, audit_ad_video  # noqa: E402
from tests.web import factories  # noqa: E402
from tests.web.app_config import app_settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("video", nargs="?", default=str(ROOT / "tests/data/video/ru_both.mp4"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = Path(args.video).read_bytes()
    tmp = Path(tempfile.mkdtemp())
    app = create_app(app_settings(tmp, f"sqlite:///{tmp / 'qa.sqlite3'}"))
    held = make_huey(f"sqlite:///{tmp / 'queue.sqlite3'}", "bench-ad-video")
    held._registry.register(audit_ad_video.task_class)
    queue_module._job_queue = HueyJobQueue(held)
    with app.app_context():
        db.create_all()
        user = factories.make_user(role="marketing")
        db.session.commit()
        client = app.test_client()
        client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
        for run in range(args.runs):
            started = time.perf_counter()
            response = client.post(
                "/ads/videos",
                # A byte more each run: a new file each time, as uploads are.
                data={"files": [(io.BytesIO(data + bytes(run)), Path(args.video).name)]},
                content_type="multipart/form-data",
            )
            answered = time.perf_counter() - started
            db.session.commit()
            message = held.dequeue()
            started = time.perf_counter()
            held.execute(message)
            audited = time.perf_counter() - started
            print(
                f"run {run + 1}: upload answered {response.status_code} in "
                f"{answered * 1000:.0f} ms; the worker's audit took {audited:.1f} s"
            )


if __name__ == "__main__":
    main()
