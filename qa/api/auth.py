"""Bearer-token authentication for the JSON API."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, request

from qa.extensions import db
from qa.services.admin.api_tokens import token_for

F = TypeVar("F", bound=Callable[..., Any])


def token_required(view: F) -> F:
    """Accept ``Authorization: Bearer <token>`` only; a session cookie never authenticates."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _, plain = header.partition(" ")
        token = token_for(plain.strip()) if scheme.lower() == "bearer" and plain else None
        if token is None:
            abort(401, description="A valid API token is required (Authorization: Bearer ...).")
        db.session.commit()
        g.api_token = token
        return view(*args, **kwargs)

    wrapped.access_area = "api"  # type: ignore[attr-defined]
    return wrapped  # type: ignore[return-value]
