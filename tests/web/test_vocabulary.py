"""qa.vocabulary: each stored value named once, and "the ad passed" as one rule."""

from __future__ import annotations

import itertools

from flask_babel import force_locale
from sqlalchemy import select

from qa.extensions import db
from qa.models import AdAudit, AdText
from qa.models.call import CALL_STATUSES, JOB_STATUSES
from qa.models.company import CAMPAIGN_KINDS, LEAD_CHANNELS, LEAD_STATUSES
from qa.services.marketing import kpi_queries
from qa.vocabulary import (
    CALL_STATUS,
    CAMPAIGN_KIND,
    JOB_STATUS,
    LEAD_CHANNEL,
    LEAD_STATUS,
    OBJECTION,
    OBJECTION_FLAG,
    VOCABULARIES,
)
from scoring.types import BUILTIN_LABELS


def test_every_objection_the_scoring_library_finds_has_a_name() -> None:
    assert set(OBJECTION.values) == set(BUILTIN_LABELS)
    assert OBJECTION.values == OBJECTION_FLAG.values


def test_models_take_their_values_from_the_vocabulary() -> None:
    assert LEAD_STATUS.values == LEAD_STATUSES
    assert LEAD_CHANNEL.values == LEAD_CHANNELS
    assert CAMPAIGN_KIND.values == CAMPAIGN_KINDS
    assert CALL_STATUS.values == CALL_STATUSES
    assert JOB_STATUS.values == JOB_STATUSES


def test_every_value_has_a_russian_name_distinct_within_its_vocabulary(app) -> None:
    for name, vocabulary in VOCABULARIES.items():
        with force_locale("ru"):
            russian = vocabulary.as_dict()
        with force_locale("en"):
            english = vocabulary.as_dict()
        assert len(set(russian.values())) == len(russian), name
        for value in vocabulary.values:
            assert russian[value] != english[value], (name, value)
            assert value not in russian[value], (name, value)


def test_labels_choices_and_unknown_values(app) -> None:
    with app.test_request_context(), force_locale("ru"):
        assert LEAD_STATUS.label("won") == "Продажа"
        assert LEAD_STATUS.label("imported-later") == "imported-later"
        assert LEAD_STATUS.label(None) == "–"
        assert LEAD_STATUS.colour("won") == "success"
        choices = LEAD_CHANNEL.choices("Любой")
        assert [value for value, _label in choices] == ["", *LEAD_CHANNEL.values]


def test_ad_passed_is_the_same_rule_in_python_and_sql(app) -> None:
    ad = AdText(text="Диваны")
    db.session.add(ad)
    flags = list(itertools.product([False, True], repeat=4))
    for offer, deadline, cta, expired in flags:
        db.session.add(AdAudit(ad_text=ad, has_offer=offer, has_deadline=deadline, has_cta=cta,
                               deadline_expired=expired))
    db.session.flush()
    audits = db.session.scalars(select(AdAudit)).all()
    in_python = {a.id for a in audits if a.passed}
    in_sql = set(db.session.scalars(select(AdAudit.id).where(AdAudit.passed)))
    summed = db.session.scalar(select(kpi_queries.ad_passed_expr().label("n")).where(
        AdAudit.id.in_(in_python)).limit(1))
    assert len(in_python) == 1
    assert in_sql == in_python
    assert summed == 1
