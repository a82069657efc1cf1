"""Password guessing: concurrent attempts against one account, many accounts from one address,
and what the response time tells about which emails exist.

Requests run on threads against one app and a database file (or the PostgreSQL server), with no
app context shared between them, as on a threaded server.
"""

from __future__ import annotations

import statistics
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask

from qa.extensions import db
from qa.models import User
from tests.conftest import require_or_skip
from tests.web import factories, isolated

# A hash that takes a few milliseconds: the window in which concurrent attempts overlap.
SLOW_HASH = "pbkdf2:sha256:60000"
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def db_app(tmp_path: Path, database_server_url: str | None) -> Iterator[Flask]:
    app = isolated.make_isolated_app(
        tmp_path, database_server_url, PASSWORD_HASH_METHOD=SLOW_HASH
    )
    yield app
    isolated.dispose(app, database_server_url)


def _add_user(app: Flask, email: str) -> None:
    with app.app_context():
        factories.make_user(email=email)
        db.session.commit()


def _stored(app: Flask, email: str) -> User:
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == email))
        db.session.expunge(user)
        return user


def _attempt(app: Flask, email: str, password: str, address: str = "127.0.0.1") -> int:
    client = app.test_client()
    response = client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )
    return response.status_code


def _burst(app: Flask, count: int, email: str, password: str) -> list[int]:
    start = threading.Barrier(count)

    def one(_: int) -> int:
        start.wait()
        return _attempt(app, email, password)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def test_concurrent_wrong_passwords_all_count_and_lock(db_app: Flask) -> None:
    limit = db_app.config["LOGIN_MAX_FAILURES"]
    _add_user(db_app, "rev@example.com")

    statuses = _burst(db_app, 30, "rev@example.com", "wrong password")

    assert set(statuses) <= {401, 429}
    # Every attempt that was checked was counted: at least `limit` were, then the lock held.
    assert statuses.count(401) >= limit
    user = _stored(db_app, "rev@example.com")
    assert user.locked_until is not None
    assert _attempt(db_app, "rev@example.com", factories.PASSWORD) == 429


def test_right_password_inside_a_burst_after_the_limit_is_refused(db_app: Flask) -> None:
    limit = db_app.config["LOGIN_MAX_FAILURES"]
    _add_user(db_app, "rev@example.com")
    answered: list[int] = []
    enough_refused = threading.Event()
    start = threading.Barrier(20)

    def wrong(_: int) -> int:
        start.wait()
        status = _attempt(db_app, "rev@example.com", "wrong password")
        answered.append(status)
        if len(answered) >= limit:
            enough_refused.set()
        return status

    with ThreadPoolExecutor(max_workers=21) as pool:
        wrong_results = [pool.submit(wrong, i) for i in range(20)]
        assert enough_refused.wait(timeout=60)
        # The limit was reached; the rest of the burst may still be in flight.
        right = pool.submit(_attempt, db_app, "rev@example.com", factories.PASSWORD)
        assert right.result(timeout=60) == 429
        assert {f.result(timeout=60) for f in wrong_results} <= {401, 429}
    assert _stored(db_app, "rev@example.com").last_login_at is None


def test_right_password_resets_the_count_below_the_limit(db_app: Flask) -> None:
    _add_user(db_app, "rev@example.com")
    for _ in range(db_app.config["LOGIN_MAX_FAILURES"] - 1):
        assert _attempt(db_app, "rev@example.com", "wrong password") == 401
    assert _attempt(db_app, "rev@example.com", factories.PASSWORD) == 302
    user = _stored(db_app, "rev@example.com")
    assert user.failed_logins == 0
    assert user.last_login_at is not None


def test_unknown_and_known_emails_take_the_same_time(db_app: Flask) -> None:
    _add_user(db_app, "known@example.com")

    # Known and unknown attempts alternate, so that load from elsewhere on the machine weighs on
    # both alike; the medians are compared.
    times: dict[str, list[float]] = {"known@example.com": [], "nobody@example.com": []}
    for _ in range(9):
        for email, seconds in times.items():
            began = time.perf_counter()
            assert _attempt(db_app, email, "wrong password") == 401
            seconds.append(time.perf_counter() - began)
            # Stay under the lockout: a locked account answers without hashing.
            with db_app.app_context():
                db.session.execute(db.update(User).values(failed_logins=0))
                db.session.commit()
    known, unknown = (statistics.median(seconds) for seconds in times.values())
    assert known > 0.005, "the hash must dominate the time for the comparison to mean anything"
    assert abs(known - unknown) < 0.5 * known, (known, unknown)


def _limited_app(tmp_path: Path, name: str, **settings: object) -> Flask:
    return isolated.make_isolated_app(
        tmp_path / name,
        None,
        RATELIMIT_ENABLED=True,
        LOGIN_RATE_LIMIT="5 per minute",
        **settings,
    )


def test_login_attempts_are_limited_per_address(tmp_path: Path) -> None:
    app = _limited_app(tmp_path, "a")
    try:
        # Guessing across accounts: the per-account lockout never triggers, the address limit does.
        statuses = [
            _attempt(app, f"user{i}@example.com", "guess", "203.0.113.7") for i in range(6)
        ]
        assert statuses == [401] * 5 + [429]
        refused = app.test_client().post(
            "/login",
            data={"email": "user7@example.com", "password": "guess"},
            environ_base={"REMOTE_ADDR": "203.0.113.7"},
        )
        assert "Too many login attempts from your address" in refused.get_data(as_text=True)
        assert _attempt(app, "user9@example.com", "guess", "198.51.100.1") == 401
        # Reading the form is not limited.
        assert app.test_client().get(
            "/login", environ_base={"REMOTE_ADDR": "203.0.113.7"}
        ).status_code == 200
    finally:
        isolated.dispose(app, None)


def test_limit_storage_follows_the_queue(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("QA_QUEUE_URL", raising=False)
    app = _limited_app(tmp_path, "mem", QUEUE_URL="sqlite:////tmp/queue.sqlite3")
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    isolated.dispose(app, None)
    app = _limited_app(tmp_path, "redis", QUEUE_URL=REDIS_URL)
    assert app.config["RATELIMIT_STORAGE_URI"] == REDIS_URL
    isolated.dispose(app, None)


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


@pytest.mark.redis
def test_web_processes_share_the_limit_through_redis(tmp_path: Path) -> None:
    require_or_skip(_redis_available(), f"Redis is not answering at {REDIS_URL}")
    import redis

    prefix = f"qa-test-{uuid.uuid4().hex[:10]}"
    settings = {"QUEUE_URL": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix}
    first, second = _limited_app(tmp_path, "one", **settings), _limited_app(
        tmp_path, "two", **settings
    )
    try:
        statuses = [
            _attempt(app, "x@example.com", "guess", "203.0.113.9")
            for app in (first, second, first, second, first, second)
        ]
        assert statuses == [401] * 5 + [429]
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)
        isolated.dispose(first, None)
        isolated.dispose(second, None)
