"""``qa restore``: put a backup archive back, after checking all of it first.

``check_archive`` reads the whole archive and changes nothing: every entry safe and listed, every
checksum right, the same kind of database as configured, a migration revision this code knows.
``restore`` then writes the stored files (each under a temporary name, checked, then renamed),
replaces the database (SQLite through the online backup API, so open connections see the old or
the new database, never half of each; PostgreSQL through pg_restore in one transaction), migrates
it to the code's head when the archive is older, and moves files the archive does not have into
a ``restore-displaced-<time>`` folder of the instance instead of deleting them.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime

from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from qa import MIGRATIONS_DIR, data_versions
from qa.extensions import db
from qa.services.errors import ServiceError, StorageUnavailable, ValidationFailed
from qa.services.ops import archive, pg_tools
from qa.services.ops.archive import Manifest
from qa.services.ops.backup import (
    IN_FLIGHT_PREFIXES,
    database_kind,
    quote_identifier,
    sqlite_path,
    storage_dirs,
)


@dataclass(frozen=True)
class RestorePlan:
    """A checked archive and what restoring it will do."""

    path: str
    manifest: Manifest
    head: str

    @property
    def migrates(self) -> bool:
        return self.manifest.alembic_revision != self.head


@dataclass(frozen=True)
class RestoreResult:
    files: int
    displaced: int
    displaced_to: str | None
    migrated_from: str | None


def _scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS_DIR)
    return ScriptDirectory.from_config(config)


def check_archive(path: str) -> RestorePlan:
    """Verify ``path`` completely; ValidationFailed (nothing changed) when it must be refused."""
    manifest = archive.verify(path)
    kind = database_kind(str(current_app.config["SQLALCHEMY_DATABASE_URI"]))
    if manifest.database != kind:
        raise ValidationFailed(
            f"it holds a {manifest.database} database and this app is configured for {kind}"
        )
    scripts = _scripts()
    head = scripts.get_current_head() or ""
    try:
        known = scripts.get_revision(manifest.alembic_revision) is not None
    except CommandError:
        known = False
    if not known:
        raise ValidationFailed(
            f"it comes from a newer version of qa-review (database revision "
            f"{manifest.alembic_revision!r}, this code knows up to {head!r}): upgrade qa-review "
            "first"
        )
    _check_space(manifest)
    return RestorePlan(path=path, manifest=manifest, head=head)


def _check_space(manifest: Manifest) -> None:
    for storage, folder in storage_dirs().items():
        # Files already there with the same size are rewritten in place of themselves.
        need = sum(
            manifest.files[name][0]
            for relative, name in manifest.stored_files(storage).items()
            if not _has_size(os.path.join(folder, *relative.split("/")), manifest.files[name][0])
        )
        probe = folder
        while not os.path.isdir(probe) and os.path.dirname(probe) != probe:
            probe = os.path.dirname(probe)
        if need and shutil.disk_usage(probe).free < need:
            raise ValidationFailed(f"its {storage} need {need} bytes; {folder} has less free")


def _has_size(path: str, size: int) -> bool:
    try:
        return os.path.getsize(path) == size
    except OSError:
        return False


def restore(plan: RestorePlan) -> RestoreResult:
    """Restore the checked archive; see the module's description for the order."""
    url = str(current_app.config["SQLALCHEMY_DATABASE_URI"])
    manifest = plan.manifest
    kind = manifest.database
    work_dir = (
        (os.path.dirname(sqlite_path(url)) or ".")
        if kind == "sqlite"
        else current_app.instance_path
    )
    os.makedirs(work_dir, exist_ok=True)
    descriptor, dump = tempfile.mkstemp(dir=work_dir, prefix=".restore-dump-")
    os.close(descriptor)
    try:
        files = _extract(plan, dump)
        db.session.remove()
        db.engine.dispose()
        if kind == "sqlite":
            _restore_sqlite(dump, sqlite_path(url))
        else:
            _restore_postgres(dump, url, manifest)
        db.engine.dispose()
    finally:
        os.unlink(dump)
    if plan.migrates:
        upgrade(directory=MIGRATIONS_DIR)
        db.engine.dispose()
    # The database was replaced without SQLAlchemy seeing a write: figures cached by any process
    # under the archive's data version would otherwise be served again.
    data_versions.renew()
    db.session.commit()
    displaced, displaced_to = _displace_others(manifest)
    return RestoreResult(
        files=files,
        displaced=displaced,
        displaced_to=displaced_to,
        migrated_from=manifest.alembic_revision if plan.migrates else None,
    )


def _extract(plan: RestorePlan, dump: str) -> int:
    """Write the dump to ``dump`` and every stored file into place; count the files."""
    folders = storage_dirs()
    written = 0
    tar = archive.open_archive(plan.path)
    try:
        with tar:
            for member in archive.members(tar):
                expected = plan.manifest.files.get(member.name)
                if expected is None:
                    continue
                if member.name == archive.DUMPS[plan.manifest.database]:
                    with open(dump, "wb") as handle:
                        digest = archive.copy_member(tar, member, handle)
                    _same(member.name, digest, expected[1])
                    continue
                storage, relative = member.name[len(archive.FILES_PREFIX) :].split("/", 1)
                _write_stored(tar, member, folders[storage], relative, expected[1])
                written += 1
    except archive.READ_ERRORS:
        raise ValidationFailed("it changed or broke while it was being restored") from None
    return written


def _same(name: str, digest: str, expected: str) -> None:
    if digest != expected:
        raise ValidationFailed(f"{name!r} changed while it was being restored")


def _write_stored(tar, member, folder: str, relative: str, sha256: str) -> None:  # type: ignore[no-untyped-def]
    target = os.path.join(folder, *relative.split("/"))
    parent = os.path.dirname(target)
    try:
        os.makedirs(parent, exist_ok=True)
        base = os.path.realpath(folder)
        if os.path.commonpath([os.path.realpath(parent), base]) != base:
            raise ValidationFailed(f"{relative!r} would be written outside {folder}")
        with tempfile.NamedTemporaryFile(dir=parent, prefix=".restore-", delete=False) as handle:
            digest = archive.copy_member(tar, member, handle)
        try:
            _same(member.name, digest, sha256)
            os.replace(handle.name, target)
        except BaseException:
            os.unlink(handle.name)
            raise
    except OSError as exc:
        raise StorageUnavailable(f"Cannot write {target}: {exc.strerror}") from None


def _restore_sqlite(dump: str, live: str) -> None:
    os.makedirs(os.path.dirname(live) or ".", exist_ok=True)
    source = sqlite3.connect(dump)
    target = sqlite3.connect(live, timeout=60)
    try:
        source.backup(target)
    except sqlite3.Error as exc:
        raise ServiceError(f"The SQLite database could not be replaced: {exc}") from None
    finally:
        target.close()
        source.close()


def _restore_postgres(dump: str, url: str, manifest: Manifest) -> None:
    major = re.match(r"\d+", manifest.tools.get("pg_dump", ""))
    made_by = int(major.group(0)) if major else 1
    with db.engine.connect() as conn:
        server = pg_tools.server_major(int(conn.scalar(text("SHOW server_version_num"))))
    tool = pg_tools.find("pg_restore", made_by, f"the archive was written by pg_dump {made_by}")
    dbname, env = pg_tools.connection(url)
    listing = pg_tools.run([tool.path, "--list", dump], env, "pg_restore --list")
    _drop_later_objects(manifest, set(_ARCHIVED_FUNCTION.findall(listing)))
    pg_tools.run(
        [
            tool.path,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={dbname}",
            dump,
        ],
        env,
        f"pg_restore {tool.version} into PostgreSQL {server}",
    )


_ARCHIVED_FUNCTION = re.compile(r"^\d+; \d+ \d+ FUNCTION \S+ (\w+)\(", re.MULTILINE)
_OWN_FUNCTIONS = text(
    "SELECT p.oid::regprocedure::text, p.proname FROM pg_proc p "
    "JOIN pg_namespace n ON n.oid = p.pronamespace "
    "LEFT JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e' "
    "WHERE n.nspname = current_schema() AND d.objid IS NULL"
)


def _drop_later_objects(manifest: Manifest, archived_functions: set[str]) -> None:
    """Drop the tables and functions of migrations later than the archive.

    pg_restore --clean drops only what the archive has; these would be left behind, and the
    migrations to head would then find them in the way. Foreign keys go too: one that a later
    migration added to an older table would stop --clean from dropping the key it points at
    (the archive's own foreign keys are made again by pg_restore).
    """
    with db.engine.begin() as conn:
        for table in sorted(set(inspect(conn).get_table_names()) - set(manifest.row_counts)):
            conn.execute(text(f"DROP TABLE IF EXISTS {quote_identifier(table)} CASCADE"))
        inspector = inspect(conn)
        for table in inspector.get_table_names():
            for key in inspector.get_foreign_keys(table):
                if key.get("name"):
                    conn.execute(
                        text(
                            f"ALTER TABLE {quote_identifier(table)} DROP CONSTRAINT IF EXISTS "
                            f"{quote_identifier(key['name'])}"
                        )
                    )
        for signature, name in conn.execute(_OWN_FUNCTIONS).all():
            if name not in archived_functions:
                conn.execute(text(f"DROP FUNCTION IF EXISTS {signature} CASCADE"))


def _displace_others(manifest: Manifest) -> tuple[int, str | None]:
    """Move stored files the archive does not have aside; count them and say where."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    aside = os.path.join(current_app.instance_path, f"restore-displaced-{stamp}")
    moved = 0
    for storage, folder in storage_dirs().items():
        keep = set(manifest.stored_files(storage))
        if not os.path.isdir(folder):
            continue
        for root, _dirs, names in os.walk(folder):
            for name in names:
                path = os.path.join(root, name)
                relative = os.path.relpath(path, folder).replace(os.sep, "/")
                if relative in keep or name.startswith(IN_FLIGHT_PREFIXES):
                    continue
                destination = os.path.join(aside, storage, relative)
                os.makedirs(os.path.dirname(destination), exist_ok=True)
                shutil.move(path, destination)
                moved += 1
    return moved, aside if moved else None
