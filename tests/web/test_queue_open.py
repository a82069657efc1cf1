"""Many processes opening one new SQLite queue file at the same moment (a worker starting while
``qa transcribe --enqueue`` runs): every one of them opens it and queues its message."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from huey import SqliteHuey

from qa.queue import make_huey

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 8
ROUNDS = 4

# Everything slow is imported before the agreed moment; importing qa.queue then opens the queue
# named by QA_QUEUE_URL (as `qa worker` and `qa transcribe` do at start) and queues one message.
CHILD = """
import sys, time
import huey, qa.config
start = float(sys.argv[1])
while time.time() < start:
    pass
import qa.queue
qa.queue.huey.storage.enqueue(b"hello")
"""


def open_together(queue_file: Path, start_in: float) -> list[subprocess.CompletedProcess[str]]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QA_QUEUE_URL": f"sqlite:///{queue_file}",
        "QA_QUEUE_NAME": "open-test",
    }
    start = str(time.time() + start_in)
    procs = [
        subprocess.Popen(  # noqa: S603 - this interpreter, our own code
            [sys.executable, "-c", CHILD, start],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    done = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return done


def test_processes_opening_a_new_queue_file_together_all_succeed(tmp_path: Path) -> None:
    for round_ in range(ROUNDS):
        queue_file = tmp_path / f"round-{round_}" / "queue.sqlite3"
        results = open_together(queue_file, start_in=4.0)
        failed = [r.stderr[-2000:] for r in results if r.returncode != 0]
        assert not failed, failed[0]
        storage = make_huey(f"sqlite:///{queue_file}", "open-test").storage
        assert storage.queue_size() == PROCESSES
        storage.close()


def test_the_sqlite_queue_uses_the_retrying_storage(tmp_path: Path) -> None:
    queue = make_huey(f"sqlite:///{tmp_path / 'queue.sqlite3'}", "open-test")
    assert isinstance(queue, SqliteHuey)
    assert type(queue.storage).__name__ == "QueueStorage"
    assert queue.storage.filename == str(tmp_path / "queue.sqlite3")
