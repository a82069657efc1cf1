"""The company settings row is created on first use, also when two requests do it at once."""

from __future__ import annotations

from sqlalchemy import event, func, insert, select

from qa.extensions import db
from qa.models import CompanySettings
from qa.services.admin.settings import company_settings


def test_first_use_creates_the_row(app) -> None:
    assert db.session.get(CompanySettings, 1) is None
    assert company_settings().id == 1
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(CompanySettings)) == 1


def test_a_row_stored_meanwhile_by_another_request_is_used(app) -> None:
    """Another connection stores the row between this request's read and its insert: this
    request uses that row instead of failing on the duplicate key (a 400 under load before)."""

    def another_request_first(session, _flush_context, _instances) -> None:  # type: ignore[no-untyped-def]
        if stored:
            return
        stored.append(True)
        with db.engine.begin() as other:
            other.execute(insert(CompanySettings.__table__).values(id=1, name="Stored first"))

    stored: list[bool] = []
    event.listen(db.session(), "before_flush", another_request_first)
    settings = company_settings()
    event.remove(db.session(), "before_flush", another_request_first)
    assert stored
    assert (settings.id, settings.name) == (1, "Stored first")
    settings.currency = "EUR"  # the request goes on and can change it
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(CompanySettings)) == 1
    assert db.session.get(CompanySettings, 1).currency == "EUR"
