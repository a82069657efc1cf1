"""qa-review: call and mystery-shopper quality review for sales teams."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from qa.config import Defaults, check_production, default_instance_path
from qa.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate

MIGRATIONS_DIR = str(Path(__file__).parent / "migrations")


def create_app(
    test_config: Mapping[str, Any] | None = None, *, refuse_dev_secret: bool = True
) -> Flask:
    """Build the app: defaults, instance config.py, QA_* environment, then ``test_config``.

    Outside debug and testing the app is refused (SystemExit with one line) while the secret key
    is empty or the development one: anyone could sign a session cookie with it. Only the ``qa``
    command passes ``refuse_dev_secret=False``: its serving commands (``run``, ``worker``) check
    on their own, honouring their ``--debug``, and ``init-instance`` is what writes the key.
    """
    app = Flask(
        __name__,
        instance_path=default_instance_path(),
        instance_relative_config=True,
        template_folder="../templates",
    )
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("QA")
    if app.config.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    if test_config:
        app.config.update(test_config)
    if refuse_dev_secret:
        check_production(app)
    _fill_instance_defaults(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, compare_type=True, render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, timezone_selector=_select_timezone)
    bootstrap.init_app(app)

    from qa import (
        auth_setup,
        blueprints,
        data_versions,
        errors,
        http_headers,
        ops,
        request_log,
        static_files,
        tasks,
        templating,
    )
    from qa.services.privacy import redacted_copies

    tasks.register()
    data_versions.watch_writes()
    redacted_copies.init_app()
    # First, so that every later hook and handler logs with the request's id.
    request_log.init_app(app)
    errors.init_app(app)
    auth_setup.init_app(app)
    http_headers.init_app(app)
    blueprints.register(app)
    errors.register(app)
    templating.init_app(app)
    static_files.init_app(app)
    ops.init_app(app)
    trusted = int(app.config["TRUSTED_PROXIES"])
    if trusted > 0:
        # The client's address, scheme and host as the proxies in front saw them; only the
        # last ``trusted`` values of each X-Forwarded-* header are believed.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=trusted, x_proto=trusted, x_host=trusted, x_port=trusted
        )
    return app


def _fill_instance_defaults(app: Flask) -> None:
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        db_path = os.path.join(app.instance_path, "qa.sqlite3")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_path}"
    if not app.config["RECORDINGS_DIR"]:
        app.config["RECORDINGS_DIR"] = os.path.join(app.instance_path, "recordings")
    if not app.config["MODEL_CACHE_DIR"]:
        app.config["MODEL_CACHE_DIR"] = os.path.join(app.instance_path, "models")
    os.makedirs(app.config["RECORDINGS_DIR"], exist_ok=True)
    if not app.config["EVIDENCE_DIR"]:
        app.config["EVIDENCE_DIR"] = os.path.join(app.instance_path, "evidence")
    # Whatever engine options a deployment sets, statement parameters stay out of logs.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        "hide_parameters": True,
    }
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        # Several web processes must share the counts: Redis when the queue is there.
        queue_url = app.config.get("QUEUE_URL") or os.environ.get("QA_QUEUE_URL", "")
        redis_queue = queue_url.startswith(("redis://", "rediss://"))
        app.config["RATELIMIT_STORAGE_URI"] = queue_url if redis_queue else "memory://"


def _select_locale() -> str | None:
    """The user's own language, else the browser's best match (default outside requests)."""
    if not has_request_context():
        return None
    if current_user and current_user.is_authenticated and current_user.language:
        return str(current_user.language)
    from flask import current_app

    return request.accept_languages.best_match(current_app.config["LANGUAGES"])


def _select_timezone() -> str:
    """Flask-Babel's zone is the company's, as everywhere else (``qa.timefmt``)."""
    from qa.timefmt import company_zone

    return str(company_zone())


__all__ = ["check_production", "create_app"]
