"""Gunicorn settings for production: ``gunicorn -c qa/gunicorn_conf.py "qa:create_app()"``.

Each value can be changed by a ``QA_GUNICORN_*`` variable (or a command-line flag, which wins).
Behind nginx or a load balancer also set ``QA_TRUSTED_PROXIES`` (how many proxies) so that the
app sees the client's address and scheme (werkzeug's ProxyFix).
"""

from __future__ import annotations

import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def workers_for(cores: int, cap: int) -> int:
    """The usual ``2 * cores + 1`` sync workers, no more than ``cap`` (memory per worker)."""
    return max(1, min(2 * cores + 1, cap))


bind = os.environ.get("QA_GUNICORN_BIND", "127.0.0.1:8000")
workers = int(
    os.environ.get("QA_GUNICORN_WORKERS")
    or workers_for(_cores(), int(os.environ.get("QA_GUNICORN_MAX_WORKERS", "8")))
)
# Uploads of a batch of recordings can take minutes on a slow link; a worker silent for longer
# than this is restarted.
timeout = int(os.environ.get("QA_GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, staggered, so no slow leak grows without bound.
max_requests = 2000
max_requests_jitter = 200
# "-" is standard output; each line ends with the time taken (microseconds) and the request's id
# (the X-Request-ID the app echoed), which the app's own log lines name too.
accesslog = os.environ.get("QA_GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("QA_GUNICORN_ERROR_LOG", "-")
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s %({x-request-id}o)s'
)


def child_exit(server: object, worker: object) -> None:
    """A worker that stopped leaves its gauges out of /metrics (multiprocess mode only)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined,no-untyped-call]
