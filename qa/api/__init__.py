"""JSON API under /api/v1/: API tokens only, no session cookies, no CSRF.

Its OpenAPI description is generated from the routes and schemas (qa.api.openapi) and shown to
logged-in users under /api/docs (qa.api.docs).
"""

from __future__ import annotations

from flask import Flask

from qa.api import errors
from qa.api.openapi import SPEC_KWARGS, Api


def register(app: Flask) -> None:
    """Serve the API and its description (an Api per app: tests build many apps)."""
    # Importing the views adds their routes to the blueprint.
    from qa.api import docs, schemas, views  # noqa: F401
    from qa.api.blueprint import bp
    from qa.extensions import csrf

    api = Api(spec_kwargs=SPEC_KWARGS)
    api.init_app(app)
    csrf.exempt(bp)
    api.register_blueprint(bp)
    api.spec.components.schema("LeadList", schema=schemas.LeadList)
    api.spec.components.schema("AppointmentIn", schema=schemas.AppointmentIn)
    # flask-smorest adds it for paginated lists; this API has none.
    api.spec.components.schemas.pop("PaginationMetadata", None)
    app.extensions["qa_api"] = api
    errors.register_app(app, bp.url_prefix or "")
    app.register_blueprint(docs.bp)
