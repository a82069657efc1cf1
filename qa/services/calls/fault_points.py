"""Named moments in a job's life where the fault tests stop a worker.

Only an app in TESTING mode honours FAULT_PAUSE_AT (the settings drop it otherwise): the
worker writes a marker file ``<phase>-<job id>-<pid>`` into FAULT_MARKER_DIR and sleeps
FAULT_PAUSE_SECONDS, so a test can kill it exactly there, or slow every job down.
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
    if cfg.fault_pause_at != phase:
        return
    if cfg.fault_marker_dir:
        marker = os.path.join(cfg.fault_marker_dir, f"{phase}-{job_id}-{os.getpid()}")
        with open(marker, "w", encoding="utf-8"):
            pass
    time.sleep(cfg.fault_pause_seconds)
