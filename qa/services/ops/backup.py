"""``qa backup``: the database and every stored file in one dated tar, with a manifest.

The database is copied as one consistent moment while the app keeps running: SQLite through its
online backup API, PostgreSQL by pg_dump on a snapshot exported by a transaction that also counts
the rows and reads the migration revision. Stored files follow (they are content-addressed and
never rewritten, so files added after that moment are only extra). The tar is written under a
temporary name, readable by its owner only, and renamed when complete.

Left out on purpose: secrets (``instance/config.py``, ``.env``, the demo password; the secret
key only signs sessions, so a restored site with a new key just logs everyone out), the queue
(jobs are rows in the database; workers requeue lost ones), uploads waiting for their
confirmation and the local model cache (written again from the database).
"""

from __future__ import annotations

import os
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from flask import current_app
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, make_url

from qa.extensions import db
from qa.services.errors import ServiceError, StorageUnavailable
from qa.services.ops import archive, pg_tools
from qa.services.ops.archive import HashingReader, Manifest

# Files being received right now (recordings.receive) are not stored yet.
IN_FLIGHT_PREFIXES = (".incoming-", ".ready-", ".restore-", ".qa-backup-", ".qa-dump-")


@dataclass(frozen=True)
class BackupResult:
    path: str
    manifest: Manifest
    # Files under the storage folders the app could not have named (not UTF-8, a backslash):
    # left out, and named, rather than making the archive one that restore refuses.
    skipped: tuple[str, ...] = ()


def database_kind(url: str) -> str:
    """``sqlite`` or ``postgresql``; ServiceError for anything else."""
    backend = make_url(url).get_backend_name()
    if backend not in archive.DUMPS:
        raise ServiceError(f"Backups support SQLite and PostgreSQL, not {backend}.")
    return backend


def sqlite_path(url: str) -> str:
    """The SQLite database's file; ServiceError for an in-memory database."""
    path = make_url(url).database
    if not path or path == ":memory:":
        raise ServiceError("An in-memory SQLite database cannot be backed up or restored.")
    return path


def storage_dirs() -> dict[str, str]:
    """``{archive name: folder}`` of every folder the app stores files in."""
    return {name: str(current_app.config[key]) for name, key in archive.STORAGE.items()}


def app_version() -> str:
    try:
        return metadata.version("qa-review")
    except metadata.PackageNotFoundError:
        return "unknown"


def backup_name(now: datetime) -> str:
    return f"qa-backup-{now.strftime('%Y-%m-%dT%H%M%SZ')}.tar"


def create_backup(output_dir: str, now: datetime | None = None) -> BackupResult:
    """Write one archive into ``output_dir``; return its path and manifest."""
    now = now or datetime.now(UTC)
    url = str(current_app.config["SQLALCHEMY_DATABASE_URI"])
    kind = database_kind(url)
    _refuse_inside_storage(output_dir)
    try:
        os.makedirs(output_dir, mode=0o700, exist_ok=True)
        target = os.path.join(output_dir, backup_name(now))
        if os.path.exists(target):
            raise ServiceError(f"{target} already exists; try again in a second.")
        descriptor, partial = tempfile.mkstemp(dir=output_dir, prefix=".qa-backup-", suffix=".part")
    except OSError as exc:
        raise StorageUnavailable(f"Cannot write into {output_dir}: {exc.strerror}") from None
    os.close(descriptor)
    skipped: list[str] = []
    try:
        manifest = Manifest(
            created_at=now.isoformat(timespec="seconds").replace("+00:00", "Z"),
            app_version=app_version(),
            alembic_revision="",
            database=kind,
        )
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            with _database_dump(kind, url, output_dir, manifest) as dump:
                _add_file(tar, archive.DUMPS[kind], dump, manifest)
            for storage, folder in storage_dirs().items():
                for relative, path in _stored_files(folder):
                    name = archive.storage_name(storage, relative)
                    if not _storable(name):
                        skipped.append(path)
                        continue
                    _add_file(tar, name, path, manifest)
            body = manifest.to_json()
            info = tarfile.TarInfo(archive.MANIFEST)
            info.size, info.mtime, info.mode = len(body), int(now.timestamp()), 0o600
            tar.addfile(info, _BytesReader(body))
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(partial)
        raise
    return BackupResult(path=target, manifest=manifest, skipped=tuple(skipped))


def _storable(name: str) -> bool:
    try:
        name.encode("utf-8")
        archive.check_name(name)
    except (UnicodeEncodeError, ServiceError):
        return False
    return True


def _refuse_inside_storage(output_dir: str) -> None:
    """An archive kept among the stored files would be copied into every later one."""
    out = os.path.realpath(output_dir)
    for folder in storage_dirs().values():
        inside = os.path.commonpath([out, os.path.realpath(folder)]) == os.path.realpath(folder)
        if inside:
            raise ServiceError(f"Keep backups outside the storage folder {folder}.")


def _stored_files(folder: str) -> Iterator[tuple[str, str]]:
    """``(relative path, absolute path)`` of every stored file under ``folder``, sorted."""
    if not os.path.isdir(folder):
        return
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            if name.startswith(IN_FLIGHT_PREFIXES) or not os.path.isfile(path):
                continue
            if os.path.islink(path):
                continue
            yield Path(os.path.relpath(path, folder)).as_posix(), path


def _add_file(tar: tarfile.TarFile, name: str, path: str, manifest: Manifest) -> None:
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return  # removed since it was listed: it is no longer stored
    with handle:
        info = tar.gettarinfo(arcname=name, fileobj=handle)
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mode = 0o600
        reader = HashingReader(handle)
        tar.addfile(info, reader)
    manifest.files[name] = (info.size, reader.hash.hexdigest())


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self._data, self._at = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._data) if size < 0 else self._at + size
        chunk, self._at = self._data[self._at : end], min(end, len(self._data))
        return chunk


@contextmanager
def _database_dump(kind: str, url: str, work_dir: str, manifest: Manifest) -> Iterator[str]:
    """A dump file of the database (deleted afterwards); fills the manifest's database facts."""
    descriptor, dump = tempfile.mkstemp(dir=work_dir, prefix=".qa-dump-")
    os.close(descriptor)
    try:
        if kind == "sqlite":
            _sqlite_copy(sqlite_path(url), dump, manifest)
        else:
            _postgres_dump(url, dump, manifest)
        yield dump
    finally:
        with suppress(FileNotFoundError):
            os.unlink(dump)


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_copy(source_path: str, dump: str, manifest: Manifest) -> None:
    if not os.path.isfile(source_path):
        raise ServiceError(f"The SQLite database {source_path} does not exist.")
    source = sqlite3.connect(source_path, timeout=60)
    copy = sqlite3.connect(dump)
    try:
        source.backup(copy)
        # One self-contained file: no -wal beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        tables = [
            row[0]
            for row in copy.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        for table in tables:
            (count,) = copy.execute(f"SELECT count(*) FROM {quote_identifier(table)}").fetchone()  # noqa: S608
            manifest.row_counts[table] = int(count)
        manifest.alembic_revision = _revision(tables, copy.execute)
    finally:
        copy.close()
        source.close()


def _revision(tables: list[str], execute) -> str:  # type: ignore[no-untyped-def]
    if "alembic_version" not in tables:
        raise ServiceError("The database has never been migrated: run `qa db upgrade` first.")
    rows = list(execute("SELECT version_num FROM alembic_version"))
    if len(rows) != 1:
        raise ServiceError(f"The database has {len(rows)} migration revisions; expected one.")
    return str(rows[0][0])


def _postgres_dump(url: str, dump: str, manifest: Manifest) -> None:
    engine = db.engine
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            conn.execute(text("SET TRANSACTION READ ONLY"))
            snapshot = conn.scalar(text("SELECT pg_export_snapshot()"))
            server = pg_tools.server_major(int(conn.scalar(text("SHOW server_version_num"))))
            _postgres_facts(conn, manifest)
            tool = pg_tools.find("pg_dump", server, f"the server is PostgreSQL {server}")
            dbname, env = pg_tools.connection(url)
            # The exporting transaction stays open while pg_dump reads the same snapshot.
            pg_tools.run(
                [
                    tool.path,
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                    f"--dbname={dbname}",
                ],
                env,
                "pg_dump",
            )
    manifest.tools = {"pg_dump": tool.version, "server_major": str(server)}


def _postgres_facts(conn: Connection, manifest: Manifest) -> None:
    tables = sorted(inspect(conn).get_table_names())
    for table in tables:
        count = conn.scalar(text(f"SELECT count(*) FROM {quote_identifier(table)}"))  # noqa: S608
        manifest.row_counts[table] = int(count or 0)
    manifest.alembic_revision = _revision(tables, lambda sql: conn.execute(text(sql)))
