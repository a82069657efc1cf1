"""A throwaway database of either kind for the tests of one migration on stored rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import require_or_skip
from tests.pg import throwaway_database
from tests.web.test_migrations import POSTGRES_URL, _postgres_available


@contextmanager
def migration_database(kind: str, tmp_path: Path, name: str) -> Iterator[str]:
    """The URL of an empty SQLite file or PostgreSQL database (dropped afterwards)."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        return
    require_or_skip(_postgres_available(), f"PostgreSQL does not answer at {POSTGRES_URL}")
    with throwaway_database(POSTGRES_URL, f"qa_{name}") as url:
        yield url
