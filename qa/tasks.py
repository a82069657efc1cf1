"""Background tasks: thin wrappers that take primary keys and run a service in an app context."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, current_app, has_app_context

from qa.queue import huey

F = TypeVar("F", bound=Callable[..., Any])
_worker_app: Flask | None = None


@contextmanager
def app_context() -> Iterator[Flask]:
    """Reuse the current app context (tests, immediate mode), else one app per process."""
    global _worker_app
    if has_app_context():
        yield current_app._get_current_object()  # type: ignore[attr-defined]
        return
    if _worker_app is None:
        from qa import create_app

        _worker_app = create_app()
    with _worker_app.app_context():
        yield _worker_app


def in_app_context(func: F) -> F:
    """Run ``func`` inside :func:`app_context`; the session is removed afterwards."""

    @wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with app_context():
            return func(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


__all__ = ["app_context", "huey", "in_app_context"]
