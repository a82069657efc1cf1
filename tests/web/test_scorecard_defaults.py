"""Which scorecard a call is scored with: the team's default, else the language's, else a choice.

An English card is never put on a Russian call by default, whatever its name or age.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from qa.extensions import db
from qa.models import ScorecardDefault
from qa.services.quality import reviews as review_service
from qa.services.quality import scorecard_defaults
from tests.web import factories


def _cards():  # type: ignore[no-untyped-def]
    """A Russian card (default for ru), an English one named to sort first (default for en)."""
    russian = factories.make_scorecard(name="Входящие", language="ru", default_for=("ru",))
    english = factories.make_scorecard(
        name="A new English card", language="en", default_for=("en",)
    )
    return russian, english


def _form(client, call) -> str:  # type: ignore[no-untyped-def]
    return client.get(f"/calls/{call.id}").get_data(as_text=True)


def test_each_language_gets_its_own_default(client, login) -> None:
    russian, english = _cards()
    ru_call = factories.make_call(language="ru")
    en_call = factories.make_call(language="en")
    db.session.commit()
    assert scorecard_defaults.default_template(ru_call) is russian
    assert scorecard_defaults.default_template(en_call) is english
    login.as_role("reviewer")
    assert f'name="scorecard_version_id" value="{russian.current.id}"' in _form(client, ru_call)
    assert f'name="scorecard_version_id" value="{english.current.id}"' in _form(client, en_call)


def test_the_team_default_wins_over_the_language_default(client, login) -> None:
    russian, _english = _cards()
    team_card = factories.make_scorecard(name="Розница", language="ru", default_for=())
    team_card.defaults.append(ScorecardDefault(kind="team", value="Розница"))
    retail = factories.make_call(agent=factories.make_agent(name="Оля", team="Розница"))
    other_team = factories.make_call(agent=factories.make_agent(name="Ира", team="Опт"))
    db.session.commit()
    assert scorecard_defaults.default_template(retail) is team_card
    assert scorecard_defaults.default_template(other_team) is russian
    login.as_role("reviewer")
    assert f'value="{team_card.current.id}"' in _form(client, retail)


def test_no_default_shows_a_chooser_of_the_cards_in_the_calls_language(client, login) -> None:
    factories.make_scorecard(name="English basics", language="en", default_for=("en",))
    russian = factories.make_scorecard(name="Входящие", language="ru", default_for=())
    any_language = factories.make_scorecard(name="Общая", default_for=())
    call = factories.make_call(language="ru")
    db.session.commit()
    assert review_service.scorecard_for(None, None, call=call) is None
    login.as_role("reviewer")
    page = _form(client, call)
    assert 'id="scorecard-chooser"' in page
    assert 'name="scorecard_version_id"' not in page
    chooser = page.split('id="scorecard-chooser"')[1].split("</form>")[0]
    assert f'value="{russian.id}"' in chooser
    assert f'value="{any_language.id}"' in chooser
    assert "English basics" not in chooser
    # Choosing one opens the call with that card's form.
    chosen = client.get(f"/calls/{call.id}?template={russian.id}").get_data(as_text=True)
    assert f'name="scorecard_version_id" value="{russian.current.id}"' in chosen


def test_an_english_card_never_lands_on_a_russian_call(client, login) -> None:
    # The English card is the newest, sorts first, and is even the team's default.
    english = factories.make_scorecard(name="AAA English", language="en", default_for=("en",))
    english.defaults.append(ScorecardDefault(kind="team", value="Продажи"))
    call = factories.make_call(language="ru", agent=factories.make_agent(team="Продажи"))
    db.session.commit()
    assert scorecard_defaults.default_template(call) is None
    assert review_service.suggestions_for(call) == {}
    login.as_role("reviewer")
    page = _form(client, call)
    assert 'name="scorecard_version_id"' not in page
    assert "AAA English" not in page
    # With a Russian default, the Russian card is used, the English team default still is not.
    russian = factories.make_scorecard(name="Входящие", language="ru", default_for=("ru",))
    db.session.commit()
    assert scorecard_defaults.default_template(call) is russian


def test_a_lead_sets_the_defaults_on_the_scorecard_form(client, login) -> None:
    old = factories.make_scorecard(name="Старая", language="ru", default_for=("ru",))
    new = factories.make_scorecard(name="Новая", default_for=())
    english = factories.make_scorecard(name="English", language="en", default_for=())
    factories.make_agent(team="Розница")
    db.session.commit()
    login.as_role("qa_lead")
    edit = client.get(f"/scorecards/{new.id}/edit").get_data(as_text=True)
    assert 'value="Розница"' in edit

    def post(template, **fields):  # type: ignore[no-untyped-def]
        data = {
            "name": template.name,
            "description": "",
            "active": "y",
            "definition": json.dumps(template.current.definition),
            **fields,
        }
        return client.post(f"/scorecards/{template.id}/edit", data=data)

    response = post(new, language="ru", default_languages=["ru"], default_teams=["Розница"])
    assert response.status_code == 302
    rows = db.session.execute(
        select(
            ScorecardDefault.kind, ScorecardDefault.value, ScorecardDefault.template_id
        ).order_by(ScorecardDefault.kind)
    ).all()
    assert sorted(rows) == [("language", "ru", new.id), ("team", "Розница", new.id)]
    assert old.defaults == []
    detail = client.get(f"/scorecards/{new.id}").get_data(as_text=True)
    assert "calls in Russian" in detail
    assert "team “Розница”" in detail
    # An English card cannot become the default for Russian calls.
    refused = post(english, language="en", default_languages=["ru"])
    assert refused.status_code == 400
    assert "cannot be the default for calls in another" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert [d.template_id for d in db.session.scalars(select(ScorecardDefault))] == [new.id, new.id]
    # Unticking removes the defaults.
    assert post(new, language="ru").status_code == 302
    assert db.session.scalars(select(ScorecardDefault)).all() == []


def test_a_call_of_unknown_language_gets_only_a_default_every_language_shares(app) -> None:
    russian, english = _cards()
    call = factories.make_call(language=None)
    db.session.commit()
    assert scorecard_defaults.default_template(call) is None
    assert scorecard_defaults.templates_for(call) == [english, russian]
    shared = factories.make_scorecard(name="Общая", default_for=())
    for row in (*russian.defaults, *english.defaults):
        row.template = shared
    db.session.commit()
    assert scorecard_defaults.default_template(call) is shared
