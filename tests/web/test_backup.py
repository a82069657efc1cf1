"""``qa backup`` / ``qa restore``: a round trip of the demo world and its files on the configured
database (SQLite here; PostgreSQL when QA_TEST_DATABASE_URL names a server), and the archives
a restore must refuse without changing anything."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import tarfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from qa import MIGRATIONS_DIR, create_app
from qa.cli import main
from qa.extensions import db
from qa.queue import huey
from qa.services.admin.demo import load_demo
from qa.services.ops import pg_tools
from qa.services.ops.backup import quote_identifier
from tests.conftest import require_or_skip
from tests.pg import throwaway_database
from tests.web import factories
from tests.web.app_config import app_settings

pytestmark = pytest.mark.db

VIDEO = Path(__file__).resolve().parents[1] / "data" / "video" / "ru_both.mp4"
OLDER_REVISION = "0023_ad_videos"


def _make_app(tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> Flask:
    monkeypatch.setenv("QA_INSTANCE_PATH", str(tmp_path / "instance"))
    return create_app(app_settings(tmp_path, url, EVIDENCE_DIR=str(tmp_path / "evidence")))


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the kind under test, dropped afterwards."""
    server = os.environ.get("QA_TEST_DATABASE_URL")
    with ExitStack() as stack:
        if server:
            yield stack.enter_context(throwaway_database(server, "qa_backup"))
        else:
            yield f"sqlite:///{tmp_path / 'qa.sqlite3'}"


@contextmanager
def _migrated(app: Flask) -> Iterator[Flask]:
    huey.immediate = True
    try:
        with app.app_context():
            upgrade(directory=MIGRATIONS_DIR)
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        huey.immediate = False


@pytest.fixture
def world(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The demo data (recordings, shop evidence) plus an ad video file, on a migrated database."""
    with _migrated(_make_app(tmp_path, database_url, monkeypatch)) as app:
        load_demo(transcribe=False)
        db.session.commit()
        videos = Path(app.config["RECORDINGS_DIR"]) / "ad-videos" / "ab"
        videos.mkdir(parents=True)
        shutil.copyfile(VIDEO, videos / "ab0123.mp4")
        yield app


@pytest.fixture
def small_world(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    """A few rows and files: enough for the archives a restore must refuse."""
    with _migrated(_make_app(tmp_path, database_url, monkeypatch)) as app:
        factories.make_user(email="small@example.com")
        factories.make_campaign(name="Small")
        db.session.commit()
        for key, name in (("RECORDINGS_DIR", "ab/ab01.ogg"), ("EVIDENCE_DIR", "cd02.jpg")):
            path = Path(app.config[key]) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(os.urandom(4096))
        yield app


def _select_all(table: str) -> str:
    return f"SELECT * FROM {quote_identifier(table)}"  # noqa: S608 - a name the database gave


def _select_all(table: str) -> str:
    return f"SELECT * FROM {quote_identifier(table)}"  # noqa: S608 - a name the database gave


def _rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (alembic_version included), in a stable order.

    Not data_versions: a restore gives it new tokens on purpose (see ``_tokens``).
    """
    db.session.remove()
    with db.engine.connect() as conn:
        return {
            table: sorted(map(tuple, conn.execute(text(_select_all(table)))), key=repr)
            for table in inspect(conn).get_table_names()
            if table != "data_versions"
        }


def _tokens() -> set[str]:
    db.session.remove()
    with db.engine.connect() as conn:
        return set(conn.scalars(text("SELECT token FROM data_versions")))


def _files(app: Flask) -> dict[str, bytes]:
    found = {}
    for key in ("RECORDINGS_DIR", "EVIDENCE_DIR"):
        root = Path(app.config[key])
        for path in sorted(root.rglob("*")):
            if path.is_file():
                found[f"{key}/{path.relative_to(root).as_posix()}"] = path.read_bytes()
    return found


def _backup(app: Flask, tmp_path: Path) -> Path:
    out = tmp_path / "backups"
    result = app.test_cli_runner().invoke(main, ["backup", "--output", str(out)])
    assert result.exit_code == 0, result.output
    (archive,) = out.glob("qa-backup-*.tar")
    assert f"Wrote {archive}" in result.output
    return archive


def _restore(app: Flask, archive: Path, *extra: str) -> Any:
    return app.test_cli_runner().invoke(main, ["restore", str(archive), *extra])


def test_round_trip_restores_every_row_and_every_file(world: Flask, tmp_path: Path) -> None:
    rows, files = _rows(), _files(world)
    assert sum(map(len, rows.values())) > 300
    assert any("ad-videos" in name for name in files)
    assert any(name.startswith("EVIDENCE_DIR/") for name in files)
    archive = _backup(world, tmp_path)
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["alembic_revision"] == rows["alembic_version"][0][0]
    expected = {table: len(found) for table, found in rows.items()}
    assert manifest["row_counts"] == {**expected, "data_versions": 1}
    assert len(manifest["files"]) == len(files) + 1
    assert not list((tmp_path / "backups").glob(".*"))

    # Everything changes after the backup: rows updated, added and deleted, files too.
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE users SET name = 'Changed'"))
        conn.execute(text("DELETE FROM comments"))
        conn.execute(text("DELETE FROM notifications"))
    factories.make_user(email="after-backup@example.com")
    db.session.commit()
    recordings = Path(world.config["RECORDINGS_DIR"])
    kept = sorted(p for p in recordings.rglob("*.ogg"))
    kept[0].unlink()
    kept[1].write_bytes(b"overwritten")
    (recordings / "zz").mkdir()
    (recordings / "zz" / "new.ogg").write_bytes(b"a recording stored after the backup")
    assert _rows() != rows

    tokens = _tokens()
    result = _restore(world, archive, "--yes")
    assert result.exit_code == 0, result.output
    assert "All checksums match" in result.output
    assert _rows() == rows
    # Figures cached before the restore cannot match the restored database's data version.
    assert len(_tokens()) == 1
    assert _tokens().isdisjoint(tokens)
    assert _files(world) == files
    displaced = list((tmp_path / "instance").glob("restore-displaced-*/recordings/zz/new.ogg"))
    assert [p.read_bytes() for p in displaced] == [b"a recording stored after the backup"]
    assert "1 stored file(s) the archive does not have were moved" in result.output

    # The restored database takes new rows (PostgreSQL's sequences came back too).
    factories.make_user(email="after-restore@example.com")
    db.session.commit()


def test_backup_during_an_open_write_takes_the_committed_state(
    small_world: Flask, tmp_path: Path
) -> None:
    committed = _rows()
    with db.engine.connect() as writer:
        pending = writer.begin()
        writer.execute(
            text(
                "INSERT INTO campaigns (name, kind, spend, views, created_at) "
                "VALUES ('Uncommitted', 'other', 0, 0, CURRENT_TIMESTAMP)"
            )
        )
        archive = _backup(small_world, tmp_path)
        pending.rollback()
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["row_counts"]["campaigns"] == len(committed["campaigns"]) == 1
    assert _restore(small_world, archive, "--yes").exit_code == 0
    assert _rows() == committed


def test_restore_asks_first(small_world: Flask, tmp_path: Path) -> None:
    archive = _backup(small_world, tmp_path)
    factories.make_user(email="kept@example.com")
    db.session.commit()
    rows = _rows()
    result = small_world.test_cli_runner().invoke(main, ["restore", str(archive)], input="n\n")
    assert result.exit_code != 0
    assert "Replace the database" in result.output
    assert _rows() == rows


def test_older_archive_is_migrated_to_head(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _make_app(tmp_path, database_url, monkeypatch)
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision=OLDER_REVISION)
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO campaigns (name, kind, spend, views, created_at) "
                    "VALUES ('Older', 'other', 0, 0, CURRENT_TIMESTAMP)"
                )
            )
        archive = _backup(app, tmp_path)
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.begin() as conn:
            conn.execute(text("DELETE FROM campaigns"))
        result = _restore(app, archive, "--yes")
        assert result.exit_code == 0, result.output
        assert f"Migrated the database from {OLDER_REVISION}" in result.output
        rows = _rows()
        assert rows["alembic_version"] != [(OLDER_REVISION,)]
        assert [row[1] for row in rows["campaigns"]] == ["Older"]
        assert "audit_events" in rows
        db.session.remove()
        db.engine.dispose()


def _unchanged_after_refusal(app: Flask, archive: Path, expect: str) -> None:
    rows, files = _rows(), _files(app)
    result = _restore(app, archive, "--yes")
    assert result.exit_code != 0
    assert expect in result.output
    assert "Nothing was changed." in result.output
    assert _rows() == rows
    assert _files(app) == files


def _rewrite(archive: Path, target: Path, change: Any) -> None:
    """Copy ``archive`` entry by entry, passing each (info, bytes) through ``change``."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as out:
        for member in source:
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            member, data = change(member, data)
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))


def test_tampered_and_truncated_archives_are_refused(small_world: Flask, tmp_path: Path) -> None:
    archive = _backup(small_world, tmp_path)
    with tarfile.open(archive) as tar:
        recording = next(m for m in tar if m.name.startswith("files/recordings/"))
    tampered = tmp_path / "tampered.tar"
    data = bytearray(archive.read_bytes())
    data[recording.offset_data + 100] ^= 0xFF
    tampered.write_bytes(bytes(data))
    _unchanged_after_refusal(small_world, tampered, "checksum")

    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    _unchanged_after_refusal(small_world, truncated, "truncated")

    # A file added to the archive and to its listing but not checked in: not listed.
    def drop_from_manifest(member: tarfile.TarInfo, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
        if member.name == "manifest.json":
            body = json.loads(data)
            body["files"] = [f for f in body["files"] if f["path"] != recording.name]
            data = json.dumps(body).encode()
        return member, data

    unlisted = tmp_path / "unlisted.tar"
    _rewrite(archive, unlisted, drop_from_manifest)
    _unchanged_after_refusal(small_world, unlisted, "unlisted")


def test_newer_revision_is_refused(small_world: Flask, tmp_path: Path) -> None:
    archive = _backup(small_world, tmp_path)

    def newer(member: tarfile.TarInfo, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
        if member.name == "manifest.json":
            body = json.loads(data)
            body["alembic_revision"] = "9999_from_the_future"
            data = json.dumps(body).encode()
        return member, data

    future = tmp_path / "future.tar"
    _rewrite(archive, future, newer)
    _unchanged_after_refusal(small_world, future, "newer version of qa-review")


ABSOLUTE = "/tmp/qa-absolute-escape.txt"  # noqa: S108 - a name that must never be written
HOSTILE = [
    ("../escaped.txt", tarfile.REGTYPE, "unsafe name"),
    (ABSOLUTE, tarfile.REGTYPE, "unsafe name"),
    ("files/recordings/../../escaped.txt", tarfile.REGTYPE, "unsafe name"),
    ("files/recordings/link.ogg", tarfile.SYMTYPE, "not a plain file"),
    ("files/evidence/hard.jpg", tarfile.LNKTYPE, "not a plain file"),
    ("files/recordings/dir", tarfile.DIRTYPE, "not a plain file"),
    ("instance/config.py", tarfile.REGTYPE, "not part of a backup"),
]


def test_hostile_entries_are_refused(small_world: Flask, tmp_path: Path) -> None:
    archive = _backup(small_world, tmp_path)
    for name, kind, expect in HOSTILE:
        hostile = tmp_path / "hostile.tar"
        shutil.copyfile(archive, hostile)
        with tarfile.open(hostile, "a") as tar:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = "/etc/passwd" if kind in (tarfile.SYMTYPE, tarfile.LNKTYPE) else ""
            payload = b"escaped" if kind == tarfile.REGTYPE else b""
            info.size = len(payload)
            tar.addfile(info, io.BytesIO(payload))
        _unchanged_after_refusal(small_world, hostile, expect)
        assert not (tmp_path / "escaped.txt").exists()
        assert not Path(ABSOLUTE).exists()


def test_files_that_are_not_archives_are_refused(small_world: Flask, tmp_path: Path) -> None:
    cases = [
        (b"", "the file is empty"),
        (b"not an archive at all\n" * 40, "not a tar archive"),
        (gzip.compress(b"\x00garbage" * 200), "not a tar archive"),
    ]
    for content, expect in cases:
        path = tmp_path / "given.tar"
        path.write_bytes(content)
        _unchanged_after_refusal(small_world, path, expect)
    _unchanged_after_refusal(small_world, tmp_path / "absent.tar", "no such file")
    _unchanged_after_refusal(small_world, tmp_path, "a folder, not an archive")


def test_backup_leaves_out_stray_names_and_refuses_an_output_in_storage(
    small_world: Flask, tmp_path: Path
) -> None:
    stray = Path(small_world.config["RECORDINGS_DIR"]) / "stray\\name.ogg"
    stray.write_bytes(b"not named by the app")
    archive = _backup(small_world, tmp_path)
    with tarfile.open(archive) as tar:
        assert not [name for name in tar.getnames() if "stray" in name]
    assert _restore(small_world, archive, "--yes").exit_code == 0
    inside = Path(small_world.config["RECORDINGS_DIR"]) / "backups"
    result = small_world.test_cli_runner().invoke(main, ["backup", "--output", str(inside)])
    assert result.exit_code != 0
    assert "Keep backups outside the storage folder" in result.output


def test_missing_postgres_client_is_named() -> None:
    with pytest.raises(pg_tools.ToolMissing, match="was not found on PATH"):
        pg_tools.find("pg_dump_not_installed", 15, "test")
    require_or_skip(bool(pg_tools.candidates("pg_dump")), "no pg_dump installed to compare with")
    with pytest.raises(pg_tools.ToolMissing, match="pg_dump 999 or newer is needed"):
        pg_tools.find("pg_dump", 999, "the server is PostgreSQL 999")
