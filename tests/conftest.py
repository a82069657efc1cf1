"""Shared test settings: where optional services are, and when they must be present."""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI") == "true"

# Under pytest-xdist each worker process gets its own instance folder (and so its own embedded
# queue file), set before the app's modules read it at import.
if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("QA_INSTANCE_PATH"):
    os.environ["QA_INSTANCE_PATH"] = os.path.join(
        os.environ["QA_INSTANCE_PATH"], os.environ["PYTEST_XDIST_WORKER"]
    )


def require_or_skip(available: bool, reason: str) -> None:
    """Skip on a user's machine without the service; fail in CI, where it must be present."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests that use the app's database ``db``, so .ci/run reruns them on PostgreSQL."""
    for item in items:
        if {"app", "db_app"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)
