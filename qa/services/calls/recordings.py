"""Recording files on disk: content-addressed under RECORDINGS_DIR."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask_babel import gettext as _

from qa.services.errors import ValidationFailed

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredRecording:
    relative_path: str
    sha256: str
    size_bytes: int


def store_recording(
    stream: BinaryIO, filename: str, recordings_dir: str, max_bytes: int
) -> StoredRecording:
    """Copy ``stream`` to ``<dir>/<sha[:2]>/<sha><ext>`` while hashing it; refuse empty/huge files.

    The relative path is stored in the database so that workers on other machines can resolve it
    against their own mount of the shared recordings directory.
    """
    suffix = Path(filename).suffix.lower()[:10]
    os.makedirs(recordings_dir, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(dir=recordings_dir, delete=False, suffix=".part") as tmp:
        try:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise ValidationFailed(
                        _("%(name)s is larger than the limit of %(mb)d MB.",
                          name=filename, mb=max_bytes // (1024 * 1024))
                    )
                digest.update(chunk)
                tmp.write(chunk)
        except BaseException:
            tmp.close()
            os.unlink(tmp.name)
            raise
    if size == 0:
        os.unlink(tmp.name)
        raise ValidationFailed(_("%(name)s is empty.", name=filename))
    sha = digest.hexdigest()
    relative = os.path.join(sha[:2], sha + suffix)
    target = os.path.join(recordings_dir, relative)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.exists(target):
        os.unlink(tmp.name)
    else:
        os.replace(tmp.name, target)
    return StoredRecording(relative_path=relative, sha256=sha, size_bytes=size)


def store_recording_file(path: str | Path, recordings_dir: str, max_bytes: int) -> StoredRecording:
    """Store a file from the local disk (CLI and demo data)."""
    with open(path, "rb") as handle:
        return store_recording(handle, os.path.basename(path), recordings_dir, max_bytes)


def recording_abspath(relative_path: str, recordings_dir: str) -> str:
    """Resolve a stored relative path; refuse anything that escapes the directory."""
    base = os.path.realpath(recordings_dir)
    full = os.path.realpath(os.path.join(base, relative_path))
    if os.path.commonpath([base, full]) != base:
        raise ValidationFailed(_("Invalid recording path."))
    return full
