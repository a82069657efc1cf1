"""Accounts: creation, authentication with lockout, profile changes."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from qa.extensions import db
from qa.models import User
from qa.models._base import utcnow
from qa.roles import ADMIN, ROLES
from qa.services.errors import LoginThrottled, ValidationFailed
from qa.services.validation import clean_text, email_address

MIN_PASSWORD_LENGTH = 8
MAX_NAME_LENGTH = 120


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    email: str, name: str, password: str, role: str, language: str | None = None
) -> User:
    """Add a user with a hashed password; the email must be new."""
    email = email_address(email, field=_("Email"))
    cleaned_name = _clean_name(name)
    if role not in ROLES:
        raise ValidationFailed(_("Unknown role: %(role)s", role=role))
    if find_user(email) is not None:
        raise ValidationFailed(_("A user with this email already exists."))
    _check_password(password)
    user = User(email=email, name=cleaned_name or email, role=role, language=language or None)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str, max_failures: int, lock_minutes: int) -> User | None:
    """Return the user for good credentials; count failures and lock the account on too many."""
    user = find_user(email)
    if user is None:
        return None
    now = utcnow()
    if user.locked_until and user.locked_until > now:
        raise LoginThrottled(
            _("Too many failed attempts. Try again in %(minutes)d minutes.", minutes=lock_minutes)
        )
    if not user.check_password(password):
        user.failed_logins += 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + timedelta(minutes=lock_minutes)
            user.failed_logins = 0
        db.session.flush()
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    db.session.flush()
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise ValidationFailed(_("The current password is wrong."))
    set_password(user, new)


def set_password(user: User, new: str) -> None:
    _check_password(new)
    user.set_password(new)
    user.failed_logins = 0
    user.locked_until = None
    db.session.flush()


def update_user(user: User, *, name: str, role: str, language: str | None, active: bool) -> User:
    """Admin edit; the last active admin cannot be demoted or deactivated."""
    cleaned_name = _clean_name(name)
    if role not in ROLES:
        raise ValidationFailed(_("Unknown role: %(role)s", role=role))
    losing_admin = user.role == ADMIN and (role != ADMIN or not active)
    if losing_admin and active_admin_count() <= 1:
        raise ValidationFailed(_("At least one active administrator must remain."))
    user.name = cleaned_name or user.email
    user.role = role
    user.language = language or None
    user.is_active_user = active
    db.session.flush()
    return user


def active_admin_count() -> int:
    query = select(func.count()).select_from(User).where(User.role == ADMIN, User.is_active_user)
    return int(db.session.scalar(query) or 0)


def _clean_name(name: str) -> str | None:
    return clean_text(name, field=_("Name"), max_length=MAX_NAME_LENGTH)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            _("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
        )
