"""The API blueprint itself, apart from the package so that views can import it without a circle."""

from __future__ import annotations

from qa.api import errors
from qa.api.openapi import Blueprint

bp = Blueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    description="Recordings, leads, calls and campaigns.",
)
errors.register(bp)
