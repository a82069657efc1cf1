"""JSON API under /api/: API tokens only, no session cookies, no CSRF."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
