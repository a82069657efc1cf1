"""Data versions: a counter in the database per group of tables, raised by every committed write.

Figures derived from those tables (the dashboard's aggregates) are cached under the group's
(token, version); a reader takes the pair with one small SELECT per request and recomputes
only when it changed. Several web and worker processes write to one database, so the counter
lives in the database, not in a process.

The counter cannot be forgotten by a writer: an engine hook sees every INSERT, UPDATE or DELETE
that reaches the database (ORM flushes, Core and ORM bulk statements, ``text()``) and, when one
touched a watched table, raises the counter just before that transaction commits. Raising it
last keeps the counter row locked only for the commit itself, not for a long import. Writes
that bypass SQLAlchemy (a restore's file copy or pg_restore) call :func:`renew`.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from sqlalchemy import event, select, text
from sqlalchemy.engine import Connection, Engine

from qa.extensions import db
from qa.models import DataVersion

# What the dashboard's cached aggregates read. transcript_segments is here because deleting a
# segment deletes its findings through ON DELETE CASCADE, a statement that names no finding.
WATCHED: dict[str, frozenset[str]] = {
    "lead_figures": frozenset({"leads", "calls", "findings", "campaigns", "transcript_segments"}),
}
_GROUPS_OF: dict[str, tuple[str, ...]] = {
    table: tuple(group for group, tables in WATCHED.items() if table in tables)
    for table in set().union(*WATCHED.values())
}
# The table each INSERT / UPDATE / DELETE names (with SQLite's "OR REPLACE" and a schema prefix).
_WRITTEN_TABLE = re.compile(
    r"\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)"
    r"\s+(?:\"?\w+\"?\.)?\"?(\w+)\"?",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
_PENDING = "qa_data_version_groups"
_BUMP = text(
    "INSERT INTO data_versions (name, token, version) VALUES (:name, :token, 1) "
    "ON CONFLICT (name) DO UPDATE SET version = data_versions.version + 1"
)


def written_groups(statement: str) -> set[str]:
    """The watched groups whose tables ``statement`` writes (empty for a read)."""
    head = statement.lstrip()[:8].upper()
    if head.startswith("SELECT"):
        return set()
    # TRUNCATE names a list of tables; every word of it is looked up.
    tables = _WORD.findall(statement) if head == "TRUNCATE" else _WRITTEN_TABLE.findall(statement)
    return {group for table in tables for group in _GROUPS_OF.get(table.lower(), ())}


def _note_write(
    conn: Connection,
    cursor: Any,
    statement: str,
    parameters: Any,
    context: Any,
    executemany: bool,
) -> None:
    groups = written_groups(statement)
    if groups:
        conn.info.setdefault(_PENDING, set()).update(groups)


def _forget(conn: Connection) -> None:
    # conn.info outlives the transaction (it belongs to the pooled DBAPI connection). A connection
    # broken by an outage is not asked: reading its info would try to reconnect and fail the
    # rollback; its DBAPI connection, and what was noted on it, is thrown away.
    if not conn.invalidated:
        conn.info.pop(_PENDING, None)


def forget_writes(conn: Connection) -> None:
    """Raise no version for what this transaction wrote so far: for a statement that empties
    every table, counters included, which leaves no figure that a cache could hold."""
    _forget(conn)


def _bump_before_commit(conn: Connection) -> None:
    if conn.invalidated:
        return  # the commit itself fails; nothing was written
    groups = conn.info.pop(_PENDING, None)
    if not groups or not _table_exists(conn):
        return
    for name in sorted(groups):
        conn.execute(_BUMP, {"name": name, "token": secrets.token_hex(16)})


def _table_exists(conn: Connection) -> bool:
    """False on a database migrated to before the table came (older revisions, in tests)."""
    if conn.dialect.name == "sqlite":
        sql = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'data_versions'"
    else:
        sql = "SELECT count(to_regclass('data_versions'))"
    return bool(conn.exec_driver_sql(sql).scalar())


def watch_writes() -> None:
    """Install the hooks on every engine (once per process)."""
    if event.contains(Engine, "before_cursor_execute", _note_write):
        return
    event.listen(Engine, "before_cursor_execute", _note_write)
    event.listen(Engine, "begin", _forget)
    event.listen(Engine, "rollback", _forget)
    event.listen(Engine, "commit", _bump_before_commit)


def current(group: str) -> tuple[str, int] | None:
    """The group's (token, version) as committed, for a cache key.

    None when there is no counter yet, or when this transaction has itself written to the
    group: its figures then differ from every committed version and must not be cached.
    """
    row = db.session.execute(
        select(DataVersion.token, DataVersion.version).where(DataVersion.name == group)
    ).first()
    if group in db.session.connection().info.get(_PENDING, ()):
        return None
    return (row.token, row.version) if row else None


def renew() -> None:
    """New tokens for every group: after the database was replaced behind SQLAlchemy's back."""
    for group in WATCHED:
        db.session.execute(_BUMP, {"name": group, "token": ""})
        db.session.execute(
            DataVersion.__table__.update()
            .where(DataVersion.name == group)
            .values(token=secrets.token_hex(16))
        )
