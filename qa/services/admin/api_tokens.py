"""API tokens: shown once at creation, stored hashed, revocable."""

from __future__ import annotations

import secrets

from flask_babel import gettext as _
from sqlalchemy import select

from qa.extensions import db
from qa.models import ApiToken, User
from qa.models._base import utcnow
from qa.models.user import hash_token
from qa.services.admin import audit
from qa.services.validation import clean_text

TOKEN_PREFIX = "qar_"  # noqa: S105 - public prefix of issued tokens, not a secret


def create_token(name: str, created_by: User | None) -> tuple[ApiToken, str]:
    """Return the stored token row and the plain token, which is never stored."""
    cleaned = clean_text(name, field=_("Token name"), max_length=120, required=True)
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=cleaned, token_hash=hash_token(plain), prefix=plain[:10], created_by=created_by
    )
    db.session.add(token)
    db.session.flush()
    return token, plain


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        audit.record("revoke", "api_token", token.id, token.name)


def token_for(plain: str) -> ApiToken | None:
    """The live token matching ``plain``, with its last use recorded."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(plain)))
    if token is None or token.is_revoked:
        return None
    token.last_used_at = utcnow()
    db.session.flush()
    return token


def list_tokens() -> list[ApiToken]:
    """Every API token, newest first."""
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.created_at.desc())))
