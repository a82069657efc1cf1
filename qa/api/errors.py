"""JSON errors for the API: ``error`` (the status name), ``message`` (naming the field at fault)
and, for requests that fail their schema, ``errors`` by field."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed


def register(bp: Blueprint) -> None:
    bp.register_error_handler(HTTPException, _json_error)


def register_app(app: Flask, url_prefix: str) -> None:
    """A wrong method is refused while routing, before the blueprint is known, and the app's
    JSON answer leaves out the ``Allow`` header that HTTP requires with a 405: add it."""

    @app.after_request
    def allow_header(response: Response) -> Response:
        error = request.routing_exception
        if (
            isinstance(error, MethodNotAllowed)
            and error.valid_methods
            and request.path.startswith(url_prefix)
            and "Allow" not in response.headers
        ):
            response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
        return response


def _json_error(error: HTTPException) -> tuple[Response, int]:
    body: dict[str, Any] = {"error": error.name, "message": error.description}
    messages = (getattr(error, "data", None) or {}).get("messages")
    if messages:
        by_field = dict(_flatten(messages))
        body["errors"] = by_field
        body["message"] = describe(by_field)
    return jsonify(body), error.code or 500


def describe(by_field: Mapping[str, list[str]]) -> str:
    """One sentence per message, each naming its field."""
    return " ".join(_naming(name, text) for name, texts in by_field.items() for text in texts)


def _flatten(messages: Any, prefix: str = "") -> Iterator[tuple[str, list[str]]]:
    """webargs nests messages by location (and lists by index): a flat map by dotted field."""
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            if prefix == "" and key in ("json", "form", "files", "form_and_files"):
                yield from _flatten(value, "")
            else:
                yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    else:
        texts = messages if isinstance(messages, list) else [messages]
        yield prefix, [str(text) for text in texts]


def _naming(field: str, text: str) -> str:
    """The message with its field in front, once (the checks in qa.services.validation name it)."""
    text = text if text.endswith((".", "!", "?")) else f"{text}."
    if field in ("", "_schema") or text.startswith(f"{field}:"):
        return text
    return f"{field}: {text}"
