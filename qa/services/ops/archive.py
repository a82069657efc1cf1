"""The backup archive's format: names inside the tar, the manifest, and checking a tar's entries.

One uncompressed tar holds ``database/<dump>``, ``files/<storage>/<relative path>`` for every
stored file and, last, ``manifest.json`` with each entry's size and sha256. Reading trusts
nothing: an entry that is not a plain file, a name that is absolute or climbs with ``..``, an
entry the manifest does not list (or one it lists that is missing) refuses the whole archive.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any

from qa.services.errors import ValidationFailed

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_PREFIX = "database/"
FILES_PREFIX = "files/"
SQLITE_DUMP = DATABASE_PREFIX + "qa.sqlite3"
POSTGRES_DUMP = DATABASE_PREFIX + "qa.pgdump"
DUMPS = {"sqlite": SQLITE_DUMP, "postgresql": POSTGRES_DUMP}
# Storage folders by their name in the archive -> the config key that says where they are.
STORAGE = {"recordings": "RECORDINGS_DIR", "evidence": "EVIDENCE_DIR"}
CHUNK = 1024 * 1024
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
# What reading a damaged tar (or a damaged compressed one) raises.
READ_ERRORS = (tarfile.TarError, OSError, EOFError, zlib.error)


@dataclass
class Manifest:
    """What ``manifest.json`` says about the archive."""

    created_at: str
    app_version: str
    alembic_revision: str
    database: str
    files: dict[str, tuple[int, str]] = field(default_factory=dict)
    row_counts: dict[str, int] = field(default_factory=dict)
    tools: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> bytes:
        body = {
            "format": FORMAT,
            "created_at": self.created_at,
            "app_version": self.app_version,
            "alembic_revision": self.alembic_revision,
            "database": self.database,
            "tools": self.tools,
            "files": [
                {"path": path, "size": size, "sha256": sha}
                for path, (size, sha) in sorted(self.files.items())
            ],
            "row_counts": dict(sorted(self.row_counts.items())),
        }
        return json.dumps(body, indent=2, ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        """Parse and check the manifest; ValidationFailed names what is wrong."""
        try:
            body = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ValidationFailed("its manifest.json is not valid JSON") from None
        if not isinstance(body, dict) or body.get("format") != FORMAT:
            raise ValidationFailed(f"its manifest is not format {FORMAT} of a qa-review backup")
        strings = ("created_at", "app_version", "alembic_revision", "database")
        if not all(isinstance(body.get(key), str) and body[key] for key in strings):
            raise ValidationFailed(f"its manifest lacks one of {', '.join(strings)}")
        if body["database"] not in DUMPS:
            raise ValidationFailed(f"its manifest names an unknown database {body['database']!r}")
        files: dict[str, tuple[int, str]] = {}
        for entry in body.get("files") or []:
            ok = (
                isinstance(entry, dict)
                and isinstance(entry.get("path"), str)
                and isinstance(entry.get("size"), int)
                and isinstance(entry.get("sha256"), str)
                and len(entry["sha256"]) == 64
            )
            if not ok or entry["path"] in files:
                raise ValidationFailed("its manifest has a malformed or repeated file entry")
            check_name(entry["path"])
            files[entry["path"]] = (entry["size"], entry["sha256"].lower())
        counts = body.get("row_counts") or {}
        if not isinstance(counts, dict) or not all(
            isinstance(k, str) and isinstance(v, int) for k, v in counts.items()
        ):
            raise ValidationFailed("its manifest has malformed row counts")
        if DUMPS[body["database"]] not in files:
            raise ValidationFailed("its manifest lists no database dump")
        tools = body.get("tools") or {}
        return cls(
            created_at=body["created_at"],
            app_version=body["app_version"],
            alembic_revision=body["alembic_revision"],
            database=body["database"],
            files=files,
            row_counts=counts,
            tools={str(k): str(v) for k, v in tools.items()} if isinstance(tools, dict) else {},
        )

    def stored_files(self, storage: str) -> dict[str, str]:
        """``{relative path: archive name}`` of the files of one storage folder."""
        prefix = f"{FILES_PREFIX}{storage}/"
        return {name[len(prefix) :]: name for name in self.files if name.startswith(prefix)}


def check_name(name: str) -> None:
    """Refuse a name that could land outside the folder it is restored into."""
    path = PurePosixPath(name)
    hostile = (
        not name
        or "\x00" in name
        or "\\" in name
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in name.split("/"))
    )
    if hostile:
        raise ValidationFailed(f"it has an entry with an unsafe name: {name!r}")
    if name in (MANIFEST, *DUMPS.values()):
        return
    parts = name.split("/")
    if len(parts) < 3 or parts[0] + "/" != FILES_PREFIX or parts[1] not in STORAGE:
        raise ValidationFailed(f"it has an entry that is not part of a backup: {name!r}")


def check_member(member: tarfile.TarInfo) -> None:
    """Only plain files with safe names: no links, devices or folders."""
    check_name(member.name)
    if not member.isreg():
        raise ValidationFailed(f"its entry {member.name!r} is not a plain file (a link?)")


def storage_name(storage: str, relative: str) -> str:
    """The archive name of a stored file."""
    return f"{FILES_PREFIX}{storage}/{relative}"


class HashingReader:
    """A file object that hashes what tarfile reads from it."""

    def __init__(self, handle: IO[bytes]) -> None:
        self._handle = handle
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.hash.update(data)
        return data


def open_archive(path: str) -> tarfile.TarFile:
    """The tar at ``path``; ValidationFailed when it is missing, empty or not a tar."""
    try:
        with open(path, "rb") as handle:
            if not handle.read(1):
                raise ValidationFailed("the file is empty")
        return tarfile.open(path, "r:*")  # noqa: SIM115 - the caller closes it
    except FileNotFoundError:
        raise ValidationFailed("there is no such file") from None
    except IsADirectoryError:
        raise ValidationFailed("it is a folder, not an archive") from None
    except PermissionError:
        raise ValidationFailed("it cannot be read (permissions)") from None
    except READ_ERRORS:
        raise ValidationFailed("it is not a tar archive") from None


def members(archive: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    """Every entry, each checked before it is used; a repeated name is refused."""
    seen: set[str] = set()
    for member in archive:
        check_member(member)
        if member.name in seen:
            raise ValidationFailed(f"it has the entry {member.name!r} twice")
        seen.add(member.name)
        yield member


def copy_member(archive: tarfile.TarFile, member: tarfile.TarInfo, target: IO[bytes]) -> str:
    """Copy one entry's bytes into ``target``; return their sha256."""
    source = archive.extractfile(member)
    if source is None:  # pragma: no cover - check_member lets only plain files through
        raise ValidationFailed(f"its entry {member.name!r} has no content")
    digest = hashlib.sha256()
    with source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            target.write(chunk)
    return digest.hexdigest()


class _Discard:
    def write(self, data: bytes) -> int:
        return len(data)


def verify(path: str) -> Manifest:
    """Read the whole archive once: every entry safe, listed and matching its checksum.

    Nothing is written. Returns the manifest; ValidationFailed says why the archive is refused.
    """
    hashes: dict[str, tuple[int, str]] = {}
    manifest_bytes: bytes | None = None
    archive = open_archive(path)
    try:
        with archive:
            for member in members(archive):
                if member.name == MANIFEST:
                    if member.size > MAX_MANIFEST_BYTES:
                        raise ValidationFailed("its manifest is too large")
                    handle = archive.extractfile(member)
                    manifest_bytes = handle.read() if handle else b""
                    continue
                digest = copy_member(archive, member, _Discard())  # type: ignore[arg-type]
                hashes[member.name] = (member.size, digest)
    except READ_ERRORS:
        raise ValidationFailed("it is truncated or damaged (the tar cannot be read)") from None
    if manifest_bytes is None:
        if not hashes:
            raise ValidationFailed("it is empty or not a qa-review backup")
        raise ValidationFailed("it has no manifest.json (truncated, or not a qa-review backup)")
    manifest = Manifest.from_json(manifest_bytes)
    missing = sorted(set(manifest.files) - set(hashes))
    if missing:
        raise ValidationFailed(f"it lacks {len(missing)} listed file(s), such as {missing[0]!r}")
    extra = sorted(set(hashes) - set(manifest.files))
    if extra:
        raise ValidationFailed(f"it has {len(extra)} unlisted file(s), such as {extra[0]!r}")
    for name, expected in manifest.files.items():
        if hashes[name] != expected:
            raise ValidationFailed(f"the checksum of {name!r} does not match its manifest")
    return manifest


def describe(manifest: Manifest) -> dict[str, Any]:
    """A summary for a person deciding whether to restore it."""
    return {
        "created_at": manifest.created_at,
        "app_version": manifest.app_version,
        "alembic_revision": manifest.alembic_revision,
        "database": manifest.database,
        "files": len(manifest.files) - 1,
        "rows": sum(manifest.row_counts.values()),
    }
