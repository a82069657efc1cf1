"""Flask-Login wiring: session users for pages, API tokens for /api/."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from qa.extensions import db, login_manager
from qa.models import User


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        """The user of a ``<id>:<session version>`` cookie while that version is current."""
        user_id, _, version = session_id.partition(":")
        if not (user_id.isdigit() and version.isdigit()):
            return None
        user = db.session.get(User, int(user_id))
        if user is None or user.session_version != int(version):
            return None
        return user
