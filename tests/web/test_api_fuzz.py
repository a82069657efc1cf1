"""The API fuzzed from its own OpenAPI description by Schemathesis, in process (WSGI): for what
the description allows and for what it refuses, the API answers without a server error, with a
status the description lists and a body that matches its schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from qa import create_app
from qa.extensions import db
from qa.services.admin import api_tokens
from tests.web import factories

# Enough to reach every field and error path of each operation while the whole file stays
# around a minute on two cores.
EXAMPLES_PER_OPERATION = 40


def _description() -> dict:  # type: ignore[type-arg]
    """The description as the app generates it; it needs no database."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        return app.extensions["qa_api"].spec.to_dict()  # type: ignore[no-any-return]


schema = schemathesis.openapi.from_dict(_description())

# On PostgreSQL too (.ci/run): it refuses NUL bytes that SQLite stores, so a value that slipped
# past the checks would be a server error there.
pytestmark = pytest.mark.db


@pytest.fixture
def token(app) -> str:  # type: ignore[no-untyped-def]
    """A real token, and something for the reads to find: a campaign, a lead and a call."""
    app.config["WHISPER_ENGINE"] = "fake"
    _row, plain = api_tokens.create_token("Fuzzer", None)
    campaign = factories.make_campaign(name="Весна", utm_campaign="spring")
    lead = factories.make_lead(external_id="L-1", campaign_id=campaign.id)
    factories.make_call(lead_id=lead.id, campaign_id=campaign.id)
    db.session.commit()
    return plain


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    # The database fixture is shared by an operation's examples on purpose: the later ones
    # meet what the earlier ones stored (duplicates, known leads).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
def test_api_answers_as_described(case, app, token) -> None:  # type: ignore[no-untyped-def]
    # This test's app and database, for the request and for the probes Schemathesis adds.
    case.operation.schema.app = app
    case.call_and_validate(
        app=app,
        headers={"Authorization": f"Bearer {token}"},
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
