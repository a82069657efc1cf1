"""Liveness and readiness: no login, a JSON body naming each check, 503 naming what failed."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from qa import create_app
from qa.extensions import db
from qa.queue import make_huey
from tests.web.app_config import app_settings


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_healthz_answers_without_login_or_database(tmp_path: Path) -> None:
    # A database that cannot be opened: liveness must not notice it.
    app = create_app(app_settings(tmp_path, f"sqlite:///{tmp_path / 'missing' / 'qa.sqlite3'}"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_names_every_check_when_all_answer(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["checks"] == {"database": "ok", "queue": "ok", "recordings": "ok"}
    assert body["failed"] == []


@pytest.fixture
def bare_app(tmp_path: Path) -> Iterator[Flask]:
    app = create_app(app_settings(tmp_path, f"sqlite:///{tmp_path / 'qa.sqlite3'}"))
    yield app
    with app.app_context():
        db.engine.dispose()


def _failed(app: Flask) -> list[str]:
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    for name in body["failed"]:
        assert body["checks"][name] != "ok"
    return list(body["failed"])


def test_readyz_503_when_the_database_does_not_answer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no-such-dir' / 'qa.sqlite3'}"
    app = create_app(app_settings(tmp_path, url))
    assert _failed(app) == ["database"]


def test_readyz_503_when_postgresql_does_not_answer(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://qa@127.0.0.1:{_closed_port()}/qa?connect_timeout=2"
    app = create_app(app_settings(tmp_path, url))
    assert _failed(app) == ["database"]


def test_readyz_503_when_the_redis_queue_does_not_answer(
    bare_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = make_huey(f"redis://127.0.0.1:{_closed_port()}/0", name="qa-readyz-test")
    monkeypatch.setattr("qa.queue.huey", dead)
    assert _failed(bare_app) == ["queue"]


def test_readyz_503_when_the_sqlite_queue_cannot_be_opened(
    bare_app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue_dir = tmp_path / "queue"
    broken = make_huey(f"sqlite:///{queue_dir / 'queue.sqlite3'}", name="qa-readyz-test")
    # The file's folder is gone and the connection is per thread: the request's thread opens its
    # own and finds nothing.
    shutil.rmtree(queue_dir)
    monkeypatch.setattr("qa.queue.huey", broken)
    assert _failed(bare_app) == ["queue"]


def test_readyz_503_when_the_recordings_directory_is_missing(bare_app: Flask) -> None:
    shutil.rmtree(bare_app.config["RECORDINGS_DIR"])
    assert _failed(bare_app) == ["recordings"]


def test_readyz_503_when_the_recordings_directory_is_not_writable(tmp_path: Path) -> None:
    # /proc/self is a directory no one, root included, may create files in.
    app = create_app(
        app_settings(tmp_path, f"sqlite:///{tmp_path / 'qa.sqlite3'}", RECORDINGS_DIR="/proc/self")
    )
    assert _failed(app) == ["recordings"]
