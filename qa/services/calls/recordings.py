"""Recording files on disk: content-addressed under RECORDINGS_DIR, named by us, never by users.

A file is received into a temporary name, hashed while it is copied, and kept under
``<sha[:2]>/<sha>.<format>`` only after its call is ready to be stored; the extension comes from
the container the probe found, so a name such as ``complaint.html`` never reaches the disk.
A file kept inside a transaction that is rolled back is removed again, so a refused upload
leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from qa.extensions import db
from qa.services.admin import audit
from qa.services.errors import StorageUnavailable, ValidationFailed
from transcription import AudioError, probe_audio

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
_KEPT = "qa_recordings_kept"

# Containers PyAV recognises (the first name of its demuxer) -> (file extension, media type).
# Recordings are served with this media type only; a container not listed is refused at intake.
AUDIO_FORMATS: dict[str, tuple[str, str]] = {
    "wav": ("wav", "audio/wav"),
    "mp3": ("mp3", "audio/mpeg"),
    "ogg": ("ogg", "audio/ogg"),
    "flac": ("flac", "audio/flac"),
    "mov": ("m4a", "audio/mp4"),
    "matroska": ("webm", "audio/webm"),
    "asf": ("wma", "audio/x-ms-wma"),
    "aac": ("aac", "audio/aac"),
    "amr": ("amr", "audio/amr"),
    "au": ("au", "audio/basic"),
    "aiff": ("aiff", "audio/aiff"),
    "gsm": ("gsm", "audio/x-gsm"),
}


def audio_format(container: str) -> str | None:
    """Our short name for a PyAV container ("mov,mp4,m4a,..." -> "mov"); None if not audio."""
    name = container.split(",", 1)[0].strip().lower()
    return name if name in AUDIO_FORMATS else None


def media_type(audio_format_name: str) -> str:
    """The Content-Type a recording of this format is served with."""
    return AUDIO_FORMATS[audio_format_name][1]


@dataclass(frozen=True)
class IncomingFile:
    """An upload copied to a temporary file in the recordings directory, not yet kept."""

    temp_path: str
    sha256: str
    size_bytes: int


def receive(stream: BinaryIO, filename: str, recordings_dir: str, max_bytes: int) -> IncomingFile:
    """Copy ``stream`` to a temporary file while hashing it; refuse empty and over-limit files.

    Raises ValidationFailed for the file's content and StorageUnavailable when the directory
    cannot be written; in both cases no file is left behind.
    """
    digest = hashlib.sha256()
    size = 0
    try:
        os.makedirs(recordings_dir, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, removed on failure
            dir=recordings_dir, prefix=".incoming-", suffix=".part", delete=False
        )
    except OSError as exc:
        raise _storage_error(exc) from exc
    try:
        with handle:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise ValidationFailed(
                        _("%(name)s is larger than the limit of %(mb)s MB per recording.",
                          name=filename, mb=_megabytes(max_bytes))
                    )
                digest.update(chunk)
                handle.write(chunk)
        if size == 0:
            raise ValidationFailed(_("%(name)s is empty.", name=filename))
    except OSError as exc:
        discard(handle.name)
        raise _storage_error(exc) from exc
    except BaseException:
        discard(handle.name)
        raise
    return IncomingFile(temp_path=handle.name, sha256=digest.hexdigest(), size_bytes=size)


def keep(incoming: IncomingFile, audio_format_name: str, recordings_dir: str) -> str:
    """Move the file to its content-addressed name; returns the path relative to the directory.

    The move is undone when the current transaction (or savepoint) is rolled back, unless the
    same content was already on disk.
    """
    extension = AUDIO_FORMATS[audio_format_name][0]
    relative = os.path.join(incoming.sha256[:2], f"{incoming.sha256}.{extension}")
    target = os.path.join(recordings_dir, relative)
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.exists(target):
            discard(incoming.temp_path)
            return relative
        os.replace(incoming.temp_path, target)
    except OSError as exc:
        discard(incoming.temp_path)
        raise _storage_error(exc) from exc
    _remove_on_rollback(target)
    return relative


def discard(path: str) -> None:
    """Remove a file that nothing refers to; a failure is logged, not raised."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        logger.warning("could not remove unused recording file %s", path)


def recording_abspath(relative_path: str, recordings_dir: str) -> str:
    """Resolve a stored relative path; refuse anything that escapes the directory."""
    base = os.path.realpath(recordings_dir)
    full = os.path.realpath(os.path.join(base, relative_path))
    if os.path.commonpath([base, full]) != base:
        raise ValidationFailed(_("Invalid recording path."))
    return full


def served_format(stored_format: str | None, path: str) -> str | None:
    """The format a stored recording is served as; None when it is not playable audio.

    Calls taken in before formats were recorded are probed now (by content, never by name).
    """
    if stored_format in AUDIO_FORMATS:
        return stored_format
    try:
        info = probe_audio(path, max_bytes=2**62, max_seconds=float("inf"))
    except AudioError:
        return None
    return audio_format(info.container)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def _storage_error(exc: OSError) -> StorageUnavailable:
    logger.error("recording storage failed: %s", exc)
    return StorageUnavailable(
        _("The recording storage cannot be written to (%(reason)s). Nothing was stored; "
          "try again once an administrator has fixed it.",
          reason=exc.strerror or type(exc).__name__)
    )


# --- Files kept by a transaction that is then rolled back are removed -------------------------


def _remove_on_rollback(path: str) -> None:
    session = db.session()
    transaction = session.get_nested_transaction() or session.get_transaction() or session.begin()
    session.info.setdefault(_KEPT, []).append((path, transaction))


@event.listens_for(Session, "after_commit")
def _forget_kept(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_KEPT, None)


@event.listens_for(Session, "after_soft_rollback")
def _remove_kept(session: Session, previous_transaction: SessionTransaction) -> None:
    kept = session.info.get(_KEPT)
    if not kept:
        return
    remaining = []
    for path, transaction in kept:
        if within_transaction(transaction, previous_transaction):
            discard(path)
        else:
            remaining.append((path, transaction))
    session.info[_KEPT] = remaining


def within_transaction(
    transaction: SessionTransaction | None, ancestor: SessionTransaction
) -> bool:
    """True when ``transaction`` is ``ancestor`` or nested (savepoints) inside it."""
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


def listened(call_id: int, relative_path: str, recordings_dir: str) -> str:
    """The recording's absolute path for playing or downloading it; the view is audited."""
    path = recording_abspath(relative_path, recordings_dir)
    audit.record_view("call_recording", call_id)
    return path
