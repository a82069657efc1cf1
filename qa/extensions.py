"""Flask extensions, created unbound and initialised by the app factory."""

from __future__ import annotations

from functools import cached_property

from flask_babel import Babel, Domain, get_locale
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()


class _LastLocaleDomain(Domain):
    """Flask-Babel's domain, remembering the catalog of the last locale it was asked for.

    Every ``_()`` looks up the catalog by the locale's name (a page calls it hundreds of times);
    the locale object is fixed for a request (``force_locale`` and ``refresh`` replace it), so
    the same object means the same catalog.
    """

    _last: tuple[object, object] | None = None

    def get_translations(self):  # type: ignore[no-untyped-def]
        locale = get_locale()
        last = self._last
        if locale is not None and last is not None and last[0] is locale:
            return last[1]
        translations = super().get_translations()
        if locale is not None:
            self._last = (locale, translations)
        return translations


class _Babel(Babel):
    @cached_property
    def domain_instance(self) -> Domain:
        return _LastLocaleDomain(domain=self.domain)


babel = _Babel()
bootstrap = Bootstrap5()
# No default limits: only the routes that decorate themselves (the login form) are limited.
limiter = Limiter(key_func=get_remote_address)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):  # type: ignore[no-untyped-def]
    """Web and worker share one SQLite file: enforce FKs, use WAL, wait on locks."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
