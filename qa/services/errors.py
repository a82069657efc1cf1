"""Domain exceptions that views turn into flashed messages or HTTP errors."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class: the message is safe to show to the user."""


class ValidationFailed(ServiceError):
    """Input that cannot be stored as given."""


class NotFound(ServiceError):
    """A referenced object does not exist."""


class Conflict(ServiceError):
    """Someone else changed the object first."""


class LoginThrottled(ServiceError):
    """Too many failed logins for this account."""
