"""Waiting, in a test, for what separate worker processes commit to the database."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol, TypeVar

import pytest

from qa.extensions import db

T = TypeVar("T")


class HasOutput(Protocol):
    def output(self) -> str: ...


def wait_for(check: Callable[[], T | None], seconds: float, what: str, workers: HasOutput) -> T:
    """Poll ``check`` until it returns something truthy; fail with the workers' output."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()  # see what the worker processes committed
        db.session.expire_all()
        value = check()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out after {seconds} s waiting for {what}\n{workers.output()}")
