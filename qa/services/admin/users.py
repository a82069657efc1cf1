"""Accounts: creation, authentication with lockout, profile changes."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from qa.extensions import db
from qa.models import User
from qa.models._base import utcnow
from qa.roles import ADMIN, ROLES
from qa.services.admin import audit
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
    audit.record("create", "user", user.id, user.email, role=role)
    return user


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str, max_failures: int, lock_minutes: int) -> User | None:
    """Return the user for good credentials; count failures and lock the account on too many.

    Failures are counted in the database in one statement, so concurrent attempts cannot
    overwrite each other's count, and a right password is accepted only while the count is under
    the limit at that moment. An unknown email costs one password hash too, so the time taken
    does not tell which emails have accounts.
    """
    user = find_user(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    now = utcnow()
    if user.locked_until and user.locked_until > now:
        raise _locked(lock_minutes)
    if not user.check_password(password):
        _count_failure(user.id, max_failures, lock_minutes)
        return None
    not_locked = (User.locked_until.is_(None)) | (User.locked_until <= now)
    accepted = db.session.execute(
        update(User)
        .where(User.id == user.id, User.failed_logins < max_failures, not_locked)
        .values(failed_logins=0, locked_until=None, last_login_at=now)
        .returning(User.id)
        .execution_options(synchronize_session=False)
    ).scalar()
    db.session.refresh(user)
    if accepted is None:
        # Concurrent wrong attempts reached the limit while this one was being checked.
        raise _locked(lock_minutes)
    return user


def _count_failure(user_id: int, max_failures: int, lock_minutes: int) -> None:
    failures = db.session.execute(
        update(User)
        .where(User.id == user_id)
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    if failures >= max_failures:
        # The count restarts once the lock is set; attempts counted meanwhile stay refused
        # because the lock is checked first.
        db.session.execute(
            update(User)
            .where(User.id == user_id, User.failed_logins >= max_failures)
            .values(locked_until=utcnow() + timedelta(minutes=lock_minutes), failed_logins=0)
            .execution_options(synchronize_session=False)
        )
    db.session.flush()


def _locked(lock_minutes: int) -> LoginThrottled:
    return LoginThrottled(
        _("Too many failed attempts. Try again in %(minutes)d minutes.", minutes=lock_minutes)
    )


@cache
def _dummy_hash_for(method: str) -> str:
    return generate_password_hash("no account has this password", method=method)


def _dummy_hash() -> str:
    """A hash made like real ones (same method and cost), to check unknown emails against."""
    return _dummy_hash_for(current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"))


def end_sessions(user: User) -> None:
    """Make every session and remember-me cookie of ``user`` invalid (see User.session_version)."""
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(user)


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
    audit.record("password_change", "user", user.id, user.email)
    end_sessions(user)


def update_user(user: User, *, name: str, role: str, language: str | None, active: bool) -> User:
    """Admin edit; the last active admin cannot be demoted or deactivated."""
    cleaned_name = _clean_name(name)
    if role not in ROLES:
        raise ValidationFailed(_("Unknown role: %(role)s", role=role))
    losing_admin = user.role == ADMIN and (role != ADMIN or not active)
    if losing_admin and active_admin_count() <= 1:
        raise ValidationFailed(_("At least one active administrator must remain."))
    access_changed = role != user.role or active != user.is_active_user
    action = (
        "role_change"
        if role != user.role
        else "deactivate"
        if user.is_active_user and not active
        else "update"
    )
    audit.record(
        action,
        "user",
        user.id,
        user.email,
        name=cleaned_name,
        old_role=user.role,
        role=role,
        active=active,
    )
    user.name = cleaned_name or user.email
    user.role = role
    user.language = language or None
    user.is_active_user = active
    db.session.flush()
    if access_changed:
        # Open sessions would keep the old role's pages until the next login otherwise.
        end_sessions(user)
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


def list_users() -> list[User]:
    """Every account, by name."""
    return list(db.session.scalars(select(User).order_by(User.name)))
