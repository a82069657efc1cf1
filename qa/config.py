"""Configuration defaults and the production safety check."""

from __future__ import annotations

from flask import Flask

DEV_SECRET_KEY = "dev-insecure-change-me"  # noqa: S105 - the known value check_production rejects


class Defaults:
    """Development-safe defaults; every key can be overridden by a ``QA_<KEY>`` variable."""

    SECRET_KEY = DEV_SECRET_KEY
    # Filled in by create_app relative to the instance folder when left empty.
    SQLALCHEMY_DATABASE_URI = ""
    RECORDINGS_DIR = ""
    QUEUE_URL = ""
    # Statement parameters (password hashes, personal data) never appear in logs or errors.
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {"pool_pre_ping": True, "hide_parameters": True}
    # One recording may be up to MAX_RECORDING_BYTES; one request (a batch of recordings) up to
    # MAX_CONTENT_LENGTH, beyond which the whole request is refused with 413 before it is read.
    MAX_RECORDING_BYTES = 300 * 1024 * 1024
    MAX_CONTENT_LENGTH = 1024 * 1024 * 1024
    MAX_RECORDING_SECONDS = 3 * 3600
    # One ad video may be up to MAX_VIDEO_BYTES and MAX_VIDEO_SECONDS long.
    MAX_VIDEO_BYTES = 200 * 1024 * 1024
    MAX_VIDEO_SECONDS = 5 * 60
    # Mystery-shopping evidence: photos and receipts (files, pixels), and how far from the
    # location a photo's GPS position may be (metres).
    EVIDENCE_DIR = ""
    MAX_EVIDENCE_BYTES = 25 * 1024 * 1024
    MAX_EVIDENCE_PIXELS = 50_000_000
    SHOP_GPS_RADIUS_M = 300
    LANGUAGES = ("ru", "en")
    BABEL_DEFAULT_LOCALE = "ru"
    BABEL_DEFAULT_TIMEZONE = "Europe/Moscow"
    BOOTSTRAP_SERVE_LOCAL = True
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 14 * 24 * 3600
    # Behind HTTPS set QA_SESSION_COOKIE_SECURE=true and QA_REMEMBER_COOKIE_SECURE=true; the
    # defaults stay off so that `make run` works on http://127.0.0.1.
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    # Login attempts per client address (Flask-Limiter syntax); the account lockout above counts
    # per account, this counts per address across accounts.
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a hash method name, not a secret
    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_MINUTES = 15
    WHISPER_ENGINE = "faster-whisper"
    WHISPER_MODEL = "base"
    WHISPER_DEVICE = "cpu"
    WHISPER_COMPUTE_TYPE = "int8"
    WHISPER_THREADS = 2
    WHISPER_BEAM_SIZE = 5
    WHISPER_VAD = True
    WHISPER_BATCH_SIZE = 8
    MODEL_CACHE_DIR = ""
    # Where ``qa train objections`` reads the shipped training turns and the labelled sets a
    # candidate must not score worse on; empty means the files shipped with the code.
    OBJECTION_TRAINING_DIR = ""
    OBJECTION_TEST_SETS: dict[str, list[str]] = {}
    JOB_LEASE_SECONDS = 120
    JOB_MAX_ATTEMPTS = 3
    JOB_RETRY_DELAY = 30
    # Runs whose worker died (out of memory, killed) before a job is failed for good.
    JOB_MAX_LOST_LEASES = 5
    # How often each worker looks for jobs of dead workers and messages the queue lost.
    JOB_SWEEP_SECONDS = 30
    TRANSCRIBE_POLL_SECONDS = 1.0
    PAGE_SIZE = 25
    # How many reverse proxies (nginx, a load balancer) stand in front of the app: their
    # X-Forwarded-For/-Proto/-Host/-Port headers are believed (werkzeug's ProxyFix). 0: none,
    # the headers are ignored (a client could forge them).
    TRUSTED_PROXIES = 0
    # "json": one JSON object per log line (for a log collector); "text": readable lines. Both
    # name the request's id (X-Request-ID from the proxy, else a new one).
    LOG_FORMAT = "text"
    LOG_LEVEL = "WARNING"
    # Who may read /metrics: these addresses or networks (the client's address as ProxyFix
    # gives it), or anyone sending "Authorization: Bearer <METRICS_TOKEN>" when that is set.
    METRICS_ALLOWED_ADDRESSES: tuple[str, ...] | str = ("127.0.0.1", "::1")
    METRICS_TOKEN = ""


class ProductionConfigError(SystemExit):
    """Raised when the app would serve real users with unsafe settings.

    A SystemExit, so that every way of starting the app (``flask run``, a WSGI server, the ``qa``
    command) stops with the one-line message and a non-zero status instead of a traceback.
    """


def check_production(app: Flask, debug: bool = False) -> None:
    """Refuse to serve outside debug/testing with the development or an empty secret key."""
    if debug or app.debug or app.testing:
        return
    if not app.config.get("SECRET_KEY") or app.config["SECRET_KEY"] == DEV_SECRET_KEY:
        raise ProductionConfigError(
            "qa-review: QA_SECRET_KEY is not set: set it in the environment, .env or "
            "instance/config.py, or run `qa init-instance` (--debug allows it for development)."
        )


def default_instance_path() -> str:
    """``QA_INSTANCE_PATH`` or ``instance/`` at the repository root (the queue needs it early)."""
    import os
    from pathlib import Path

    return os.environ.get("QA_INSTANCE_PATH") or str(
        Path(__file__).resolve().parent.parent / "instance"
    )
