"""Request ids and log lines: every request carries an id, every log line written names it.

The id comes from the proxy's ``X-Request-ID`` when it looks like one (letters, digits, ``-``,
``_``, ``.``, up to 128 characters), else a new one; the response echoes it, so one request can
be followed from the proxy's log through the app's to the client. ``LOG_FORMAT = "json"`` writes
one JSON object per line (python-json-logger) for log collectors; ``"text"`` stays readable.
"""

from __future__ import annotations

import logging
import re
import sys
import uuid
from typing import TextIO

from flask import Flask, Response, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

HEADER = "X-Request-ID"
_VALID = re.compile(r"[A-Za-z0-9._-]{1,128}")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"


def request_id() -> str | None:
    """The current request's id; None outside a request."""
    if not has_request_context():
        return None
    rid: str | None = g.get("request_id")
    return rid


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` ("-" outside a request) to every record it passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id() or "-"
        return True


def make_handler(log_format: str, stream: TextIO | None = None) -> logging.Handler:
    """A handler writing ``log_format`` ("text" or "json") lines with the request id."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RequestIdFilter())
    if log_format == "json":
        handler.setFormatter(JsonFormatter(JSON_FIELDS, rename_fields={"levelname": "level"}))
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    return handler


def init_app(app: Flask) -> None:
    log_format = str(app.config["LOG_FORMAT"]).lower()
    if log_format not in ("text", "json"):
        raise ValueError(f"QA_LOG_FORMAT must be text or json, not {log_format!r}")
    if not app.testing:
        # The app's and its libraries' loggers go through one handler on the root logger.
        root = logging.getLogger()
        root.handlers = [h for h in root.handlers if not getattr(h, "qa_request_log", False)]
        handler = make_handler(log_format)
        handler.qa_request_log = True  # type: ignore[attr-defined]
        root.addHandler(handler)
        root.setLevel(app.config["LOG_LEVEL"])
        from flask.logging import default_handler

        app.logger.removeHandler(default_handler)

    @app.before_request
    def take_request_id() -> None:
        given = request.headers.get(HEADER, "")
        g.request_id = given if _VALID.fullmatch(given) else uuid.uuid4().hex

    @app.after_request
    def echo_request_id(response: Response) -> Response:
        rid = request_id()
        if rid:
            response.headers[HEADER] = rid
        return response
