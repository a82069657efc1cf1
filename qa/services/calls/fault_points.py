"""Named moments in a job's life where the fault tests stop a worker.

Only an app in TESTING mode honours FAULT_PAUSE_AT (the settings drop it otherwise): a comma-
separated list of phases. At each, the worker writes a marker file ``<phase>-<job id>-<pid>``
into FAULT_MARKER_DIR and waits until the test deletes it (go on), kills the worker, or
FAULT_PAUSE_SECONDS pass; without a marker folder it just sleeps that long (slow jobs).
"""

from __future__ import annotations

import os
import time

from qa.settings import settings

# In the order a job meets them: message taken, model loading, Whisper running, rows written.
PHASES = ("dequeued", "loading", "transcribing", "writing")


def pause_at(phase: str, job_id: int) -> None:
    """Hold the worker here when a test asked for this phase; otherwise return at once."""
    cfg = settings()
    if cfg.fault_pause_at is None or phase not in cfg.fault_pause_at.split(","):
        return
    if not cfg.fault_marker_dir:
        time.sleep(cfg.fault_pause_seconds)
        return
    marker = os.path.join(cfg.fault_marker_dir, f"{phase}-{job_id}-{os.getpid()}")
    with open(marker, "w", encoding="utf-8"):
        pass
    deadline = time.monotonic() + cfg.fault_pause_seconds
    while os.path.exists(marker) and time.monotonic() < deadline:
        time.sleep(0.02)
