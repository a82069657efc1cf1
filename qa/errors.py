"""Where errors cross the web boundary: one handler per kind, for pages, forms and the API.

Services raise :mod:`qa.services.errors`; the database raises SQLAlchemy errors; HTTP aborts
raise Werkzeug exceptions. Each becomes, in the user's language:

- under ``/api/``, or for a page's own JSON request: JSON with the status;
- where the view called :func:`show_form_on_error`: the form (or filtered page) again, the
  message flashed above it and the user's input kept (400, 404, 409...);
- another post: the message flashed and the user sent back (:func:`back_on_error`, else the
  page they came from);
- anything else: the error page with the message.

The session is rolled back first, so nothing half-done is committed later in the request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import (
    Flask,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.json.provider import DefaultJSONProvider
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy.exc import OperationalError, SQLAlchemyError, StatementError
from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    InternalServerError,
    RequestEntityTooLarge,
)
from werkzeug.routing import IntegerConverter

from qa.services.errors import (
    Conflict,
    LoginThrottled,
    NotAllowed,
    NotFound,
    ServiceError,
    StorageUnavailable,
    ValidationFailed,
)
from qa.services.validation import MAX_ID
from qa.urls import safe_next

log = logging.getLogger(__name__)

STATUS_OF: dict[type[ServiceError], int] = {
    ValidationFailed: 400,
    NotAllowed: 403,
    NotFound: 404,
    Conflict: 409,
    LoginThrottled: 429,
    # A full or read-only disk: nothing was kept, and the same request can simply be retried.
    StorageUnavailable: 503,
}


class BoundedIntegerConverter(IntegerConverter):
    """``<int:...>`` in URLs: a number no row can have is simply not there (404), rather than
    an overflow inside the database driver."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class SafeJSONProvider(DefaultJSONProvider):
    """Request bodies nested deeper than Python's recursion limit are a 400, not a crash."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise BadRequest(description=_("The input is nested too deeply.")) from None


def show_form_on_error(render: Callable[[], Any]) -> Callable[[], Any]:
    """Remember how to show the current form (or filtered page) again; a ServiceError later in
    the request re-renders it with the message, keeping what the user typed.

    Returns ``render`` so a view can write ``page = show_form_on_error(lambda: ...)``.
    """
    g.form_page = render
    return render


def back_on_error(url: str) -> None:
    """Where a button's post sends the user, with the message, when a ServiceError stops it."""
    g.error_back = url


def refuse_invalid(form: FlaskForm) -> None:
    """Raise ValidationFailed naming each field a GET filter form could not read."""
    if form.validate():
        return
    problems = [
        f"{form[name].label.text}: {error}"
        for name, errors in form.errors.items()
        for error in errors
    ]
    raise ValidationFailed("; ".join(problems))


def status_of(error: ServiceError) -> int:
    return next((code for kind, code in STATUS_OF.items() if isinstance(error, kind)), 400)


def init_app(app: Flask) -> None:
    """Install the URL converter and JSON provider; call before blueprints are registered."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.json_provider_class = SafeJSONProvider
    app.json = SafeJSONProvider(app)


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        if isinstance(error, RequestEntityTooLarge):
            limit = "{:g}".format(int(app.config["MAX_CONTENT_LENGTH"]) / (1024 * 1024))
            error.description = _(
                "The request is larger than %(mb)s MB, the limit for one request; nothing was "
                "stored.",
                mb=limit,
            )
        if _wants_json():
            return _json_error(error.code or 500, error.description or error.name)
        if error.code in (400, 403, 404, 405, 409, 410, 413, 429, 503):
            return _error_page(error), error.code
        return error

    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError) -> ResponseReturnValue:
        _rollback()
        return _answer(str(error), status_of(error))

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError) -> ResponseReturnValue:
        # Lost connection, dead server, locked file: worth a retry, not the user's fault.
        log.error("Database unavailable: %s", error)
        _rollback()
        _forget_unloaded_user()
        return _answer(_("The database is not available right now. Try again in a minute."), 503,
                       form_again=False)

    @app.errorhandler(StatementError)
    def database_refused(error: StatementError) -> ResponseReturnValue:
        # A value the database will not store (too long, out of range, NUL byte) that the
        # checks in qa.services.validation let through: the request is refused, nothing stored.
        log.warning("Database refused a value: %s", error)
        _rollback()
        return _answer(_("The database refused a value in this request; nothing was saved. "
                         "Check the entered values."), 400)

    @app.errorhandler(RecursionError)
    def too_deep(_error: RecursionError) -> ResponseReturnValue:
        _rollback()
        return _answer(_("The input is nested too deeply."), 400)


def _wants_json() -> bool:
    """API clients and pages posting JSON (live checks) read errors as JSON."""
    return request.path.startswith("/api/") or request.is_json


def _answer(message: str, status: int, *, form_again: bool = True) -> ResponseReturnValue:
    """``message`` as JSON, as the form again, as a flash on the previous page, or a page."""
    if _wants_json():
        return _json_error(status, message)
    if form_again and g.get("form_page") is not None:
        flash(message, "danger")
        return g.form_page(), status
    if request.method == "POST" and status != 503:
        flash(message, "danger")
        back = g.get("error_back") or safe_next(_same_site_path(request.referrer))
        return redirect(back or url_for("home"))
    error = _http_error(status, message)
    try:
        return _error_page(error), status
    except SQLAlchemyError:  # the page itself needed the database (the user, the settings)
        _rollback()
        return f"{status} {error.name}: {message}", status, {"Content-Type": "text/plain"}


def _error_page(error: HTTPException) -> str:
    """The error page; our own description is shown, Werkzeug's generic English one is not."""
    own = error.description if error.description != type(error).description else None
    return render_template("errors/error.html", error=error, message=own)


def _json_error(status: int, message: str) -> ResponseReturnValue:
    """The API's problem shape (status name and message); the pages' own scripts read the
    message from ``error``."""
    if request.path.startswith("/api/"):
        return jsonify(error=_http_name(status), message=message), status
    return jsonify(error=message, message=message), status


def _http_error(status: int, message: str) -> HTTPException:
    from werkzeug.exceptions import default_exceptions

    kind = default_exceptions.get(status, InternalServerError)
    return kind(description=message)


def _http_name(status: int) -> str:
    return _http_error(status, "").name


def _same_site_path(referrer: str | None) -> str | None:
    """The path and query of a referrer on this site (the host must match)."""
    if not referrer or not referrer.startswith(request.host_url):
        return None
    return "/" + referrer[len(request.host_url):]


def _rollback() -> None:
    from qa.extensions import db

    try:
        db.session.rollback()
    except SQLAlchemyError:  # the connection itself is gone; the pool drops it
        log.exception("Rollback failed")


def _forget_unloaded_user() -> None:
    """Render the error page as a visitor when loading the user is what failed (Flask-Login
    keeps the loaded user in ``g._login_user``; without one it would query again)."""
    from qa.extensions import login_manager

    if "_login_user" not in g:
        g._login_user = login_manager.anonymous_user()
