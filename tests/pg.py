"""Throwaway PostgreSQL databases for tests and benchmarks, created and dropped by their user."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Engine, Table, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from qa.data_versions import forget_writes


@contextmanager
def throwaway_database(server_url: str, prefix: str, *, durable: bool = True) -> Iterator[str]:
    """Create ``<prefix>_<random>`` on the server at ``server_url``; yield its URL; drop it.

    ``durable=False`` turns off ``synchronous_commit`` for this database only: a commit returns
    before its WAL reaches the disk. A server crash could lose the last commits (never corrupt
    data), which does not matter for a database dropped at the end anyway.
    """
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        if not durable:
            conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            # Connections a test or benchmark left open would block the drop.
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


# Sequences that serial and identity columns of the given tables own, once used.
_USED_SEQUENCES = text(
    "SELECT format('%I.%I', ns.nspname, seq.relname) FROM pg_class seq "
    "JOIN pg_namespace ns ON ns.oid = seq.relnamespace "
    "JOIN pg_depend dep ON dep.objid = seq.oid AND dep.classid = 'pg_class'::regclass "
    "AND dep.refclassid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i') "
    "JOIN pg_class tab ON tab.oid = dep.refobjid "
    "JOIN pg_sequences used ON used.schemaname = ns.nspname AND used.sequencename = seq.relname "
    "WHERE seq.relkind = 'S' AND tab.relname = ANY(:tables) AND used.last_value IS NOT NULL "
    "AND pg_table_is_visible(tab.oid)"
)


def empty_tables(engine: Engine, tables: Sequence[Table]) -> None:
    """Leave ``tables`` (in dependency order) as ``TRUNCATE ... RESTART IDENTITY CASCADE`` would.

    TRUNCATE has a fixed cost per table and index (new files, old ones unlinked at commit): about
    1.7 s for our schema on a loaded machine, against some 10 ms to DELETE the few rows a test
    writes, children first, and restart the sequences that were used. A delete that a foreign key
    still refuses (a cycle) falls back to TRUNCATE.
    """
    quote = engine.dialect.identifier_preparer.quote
    names = [quote(t.name) for t in tables]
    try:
        with engine.begin() as conn:
            deletes = (f"DELETE FROM {n}" for n in reversed(names))  # noqa: S608 - our own tables
            conn.exec_driver_sql("; ".join(deletes))
            used = conn.execute(_USED_SEQUENCES, {"tables": [t.name for t in tables]}).scalars()
            restarts = [f"ALTER SEQUENCE {seq} RESTART" for seq in used]
            if restarts:
                conn.exec_driver_sql("; ".join(restarts))
            forget_writes(conn)  # data_versions is emptied too: no counter to raise
    except DBAPIError:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")
            forget_writes(conn)
