"""Request ids: taken from the proxy or made, echoed, and named in every log line."""

from __future__ import annotations

import io
import json
import logging
import re

from flask import Flask, current_app
from flask.testing import FlaskClient

from qa.request_log import HEADER, make_handler


def test_request_id_from_the_proxy_is_echoed(client: FlaskClient) -> None:
    response = client.get("/healthz", headers={HEADER: "edge-42.abc_DEF"})
    assert response.headers[HEADER] == "edge-42.abc_DEF"


def test_request_id_is_made_when_missing_or_malformed(client: FlaskClient) -> None:
    made = [client.get("/login").headers[HEADER] for _ in range(2)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", rid) for rid in made)
    assert made[0] != made[1]
    for hostile in ("a b", "x" * 129, "id\u0000nul", "<script>"):
        rid = client.get("/healthz", headers={HEADER: hostile}).headers[HEADER]
        assert re.fullmatch(r"[0-9a-f]{32}", rid), hostile


def _logged_lines(app: Flask, log_format: str, request_id: str) -> tuple[str, list[str]]:
    @app.get("/probe-log")
    def probe() -> str:
        current_app.logger.warning("probe says %s", "hello")
        return "ok"

    stream = io.StringIO()
    handler = make_handler(log_format, stream)
    app.logger.addHandler(handler)
    try:
        response = app.test_client().get("/probe-log", headers={HEADER: request_id})
    finally:
        app.logger.removeHandler(handler)
    return response.headers[HEADER], stream.getvalue().splitlines()


def test_json_log_lines_carry_the_request_id(app: Flask) -> None:
    echoed, lines = _logged_lines(app, "json", "req-json-1")
    assert echoed == "req-json-1"
    [line] = lines
    record = json.loads(line)
    assert record["request_id"] == "req-json-1"
    assert record["message"] == "probe says hello"
    assert record["level"] == "WARNING"


def test_text_log_lines_carry_the_request_id(app: Flask) -> None:
    _, lines = _logged_lines(app, "text", "req-text-1")
    [line] = lines
    assert "[req-text-1] probe says hello" in line
    assert "WARNING" in line


def test_outside_a_request_the_id_is_a_dash() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("qa.test_request_log")
    handler = make_handler("json", stream)
    logger.addHandler(handler)
    try:
        logger.warning("no request")
    finally:
        logger.removeHandler(handler)
    assert json.loads(stream.getvalue())["request_id"] == "-"
