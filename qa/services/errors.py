"""Domain exceptions that views turn into flashed messages or HTTP errors."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """Base class: the message is safe to show to the user."""


class ValidationFailed(ServiceError):
    """Input that cannot be stored as given."""


class NotFound(ServiceError):
    """A referenced object does not exist."""


class Conflict(ServiceError):
    """Someone else changed the object first."""


class NotAllowed(ServiceError):
    """The user may not do this to this object (their role or their part in it)."""


class LoginThrottled(ServiceError):
    """Too many failed logins for this account."""


class StorageUnavailable(ServiceError):
    """Files cannot be written (a full or read-only disk); retrying later can succeed."""


class DuplicateRecording(ValidationFailed):
    """The same audio (by sha256) is already a call; ``call`` is the earlier call."""

    def __init__(self, message: str, call: Any) -> None:
        super().__init__(message)
        self.call = call
