"""Production serving: static caching, proxy headers, and gunicorn with the shipped config."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from flask import Flask, request

from qa import create_app
from qa.extensions import db
from qa.gunicorn_conf import workers_for
from tests.web.app_config import app_settings

ROOT = Path(__file__).resolve().parents[2]


def test_static_urls_carry_a_content_version_and_are_cached_for_a_year(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/login").get_data(as_text=True)
    urls = re.findall(r'(?:src|href)="(/(?:bootstrap/)?static/[^"]+)"', page)
    assert urls, "the login page loads static files"
    for url in urls:
        assert re.search(r"\?v=[0-9a-f]{12}$", url), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        response.close()


def test_static_without_version_is_revalidated(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/static/qa.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    response.close()


def test_version_changes_with_the_content(app: Flask, tmp_path: Path) -> None:
    static = Path(app.static_folder or "")
    probe = static / "probe-version.css"
    try:
        probe.write_text("a{}")
        with app.test_request_context():
            from flask import url_for

            first = url_for("static", filename="probe-version.css")
            os.utime(probe, (1, 1))
            probe.write_text("b{}")
            second = url_for("static", filename="probe-version.css")
        assert first != second
    finally:
        probe.unlink()


def _remote_seen(tmp_path: Path, proxies: int) -> tuple[str, str]:
    app = create_app(
        app_settings(tmp_path, f"sqlite:///{tmp_path / 'qa.sqlite3'}", TRUSTED_PROXIES=proxies)
    )

    @app.get("/probe-remote")
    def probe() -> str:
        return f"{request.remote_addr} {request.scheme}"

    body = app.test_client().get(
        "/probe-remote",
        headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    address, scheme = body.get_data(as_text=True).split()
    return address, scheme


def test_forwarded_headers_believed_only_behind_a_trusted_proxy(tmp_path: Path) -> None:
    assert _remote_seen(tmp_path / "direct", 0) == ("10.0.0.2", "http")
    assert _remote_seen(tmp_path / "proxied", 1) == ("203.0.113.9", "https")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str | urllib.request.Request) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a local URL
        return response.status, response.read().decode()


def test_gunicorn_serves_the_app_with_the_shipped_config(tmp_path: Path) -> None:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    assert gunicorn.exists(), "gunicorn is a dependency of the app: reinstall the environment"
    port = _free_port()
    instance = tmp_path / "instance"
    env = {
        **os.environ,
        "QA_INSTANCE_PATH": str(instance),
        "QA_SECRET_KEY": "serving-test-secret",
        "QA_DATABASE_URL": f"sqlite:///{tmp_path / 'qa.sqlite3'}",
        "QA_QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite3'}",
        "QA_GUNICORN_BIND": f"127.0.0.1:{port}",
        "QA_GUNICORN_WORKERS": "1",
        "QA_GUNICORN_ACCESS_LOG": str(tmp_path / "access.log"),
    }
    database = create_app(app_settings(tmp_path, env["QA_DATABASE_URL"]))
    with database.app_context():
        db.create_all()
        db.engine.dispose()
    command = [str(gunicorn), "-c", "qa/gunicorn_conf.py", "qa:create_app()"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE)  # noqa: S603
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = _get(base + "/healthz")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    _, err = server.communicate()
                    pytest.fail(f"gunicorn did not start: {err.decode()[-2000:]}")
                time.sleep(0.2)
        assert (status, body.strip()) == (200, '{"status":"ok"}')
        status, body = _get(base + "/readyz")
        assert status == 200
        login = base + "/login"
        request = urllib.request.Request(login, headers={"X-Request-ID": "edge-77"})  # noqa: S310
        status, body = _get(request)
        assert status == 200
        assert 'name="password"' in body
        status, body = _get(base + "/metrics")
        assert status == 200
        assert 'qa_http_requests_total{endpoint="auth.login",method="GET",status="200"} 1.0' in body
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert server.returncode == 0
    log = (tmp_path / "access.log").read_text()
    assert "GET /login" in log
    assert re.search(r"GET /login\S* HTTP/1\.1\" 200 .* edge-77$", log, re.MULTILINE), log
    assert "GET /healthz" in log


def test_workers_follow_the_cores_up_to_the_cap() -> None:
    assert workers_for(1, 8) == 3
    assert workers_for(2, 8) == 5
    assert workers_for(16, 8) == 8
