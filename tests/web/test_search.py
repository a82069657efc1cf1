"""Transcript search: Russian word forms, phrases, who said it, call filters, links to moments."""

from __future__ import annotations

from datetime import datetime

import pytest

from qa.extensions import db
from qa.services.calls.listing import CallFilters
from qa.services.calls.search import search_transcripts
from tests.web import factories


@pytest.fixture(autouse=True)
def english(client):  # type: ignore[no-untyped-def]
    """Assertions read the English UI whatever the catalogs hold."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def calls(app):  # type: ignore[no-untyped-def]
    anna, boris = factories.make_agent(name="Анна"), factories.make_agent(name="Борис")
    sofa = factories.make_call(
        title="Диван", agent=anna, status="transcribed", called_at=datetime(2026, 3, 1, 10, 0)
    )
    kitchen = factories.make_call(
        title="Кухня", agent=boris, status="transcribed", called_at=datetime(2026, 4, 1, 10, 0)
    )
    english = factories.make_call(
        title="Sofa EN",
        agent=boris,
        status="transcribed",
        language="en",
        called_at=datetime(2026, 4, 2, 10, 0),
    )
    rows = {
        "sofa_price": factories.make_segment(
            sofa,
            speaker="customer",
            start=12.4,
            end=15.0,
            text="Скидки у вас бывают? Дороговато для меня.",
        ),
        "sofa_agent": factories.make_segment(
            sofa, speaker="agent", start=15.5, end=18.0, text="Скидку дадим на второй диван."
        ),
        "kitchen": factories.make_segment(
            kitchen,
            speaker="customer",
            start=3.0,
            end=6.0,
            text="А СКИДКОЙ можно воспользоваться? Это слишком дорого.",
        ),
        "kitchen_cap": factories.make_segment(
            kitchen,
            speaker="customer",
            start=7.0,
            end=9.0,
            text="Ещё подумаю, дорогие у вас кухни.",
        ),
        "english": factories.make_segment(
            english,
            speaker="customer",
            start=1.0,
            end=4.0,
            text="Do you offer discounts? It is too expensive.",
        ),
    }
    db.session.commit()
    return {"sofa": sofa, "kitchen": kitchen, "english": english, "anna": anna, **rows}


def _hit_ids(
    text: str, filters: CallFilters | None = None, said_by: str | None = None
) -> list[int]:
    results = search_transcripts(text, filters or CallFilters(), said_by=said_by)
    return [hit.segment.id for hit in results.hits]


def test_russian_word_forms_match_any_case(calls) -> None:
    # "скидка" finds скидки, Скидку and СКИДКОЙ (upper case, sentence start).
    assert set(_hit_ids("скидка")) == {
        calls["sofa_price"].id,
        calls["sofa_agent"].id,
        calls["kitchen"].id,
    }
    assert set(_hit_ids("скидками")) == set(_hit_ids("скидка"))
    # "дорогой" finds дорогие (adjective forms) and "дорого" (short form / adverb).
    assert set(_hit_ids("дорогой")) == {calls["kitchen"].id, calls["kitchen_cap"].id}
    # "ещё" and "еще" are the same word.
    assert _hit_ids("еще") == [calls["kitchen_cap"].id]
    assert _hit_ids("диванов") == [calls["sofa_agent"].id]
    assert _hit_ids("холодильник") == []


def test_phrase_in_quotes_must_be_consecutive(calls) -> None:
    assert _hit_ids('"слишком дорогой"') == [calls["kitchen"].id]
    assert _hit_ids('"дорого слишком"') == []
    # Without quotes every word must be in the line, in any order.
    assert _hit_ids("дорого слишком") == [calls["kitchen"].id]


def test_english_search_uses_english_lemmas(calls) -> None:
    assert _hit_ids("discount") == [calls["english"].id]
    assert _hit_ids('"too expensive"') == [calls["english"].id]


def test_filters_and_said_by(calls) -> None:
    assert _hit_ids("скидка", said_by="agent") == [calls["sofa_agent"].id]
    anna_only = CallFilters(agent_id=calls["anna"].id)
    assert set(_hit_ids("скидка", anna_only)) == {calls["sofa_price"].id, calls["sofa_agent"].id}
    april = CallFilters(date_from=datetime(2026, 4, 1).date())
    assert _hit_ids("скидка", april) == [calls["kitchen"].id]


def test_search_page_links_hits_to_their_moment(client, login, calls) -> None:
    login.as_role("marketing")
    response = client.get("/search/?text=скидку&said_by=customer")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 matches · 2 calls" in html
    sofa, hit = calls["sofa"], calls["sofa_price"]
    assert f'href="/calls/{sofa.id}?t=12.4#seg-{hit.id}"' in html
    assert "<mark>Скидки</mark> у вас бывают?" in html
    assert "<mark>СКИДКОЙ</mark>" in html


def test_search_page_validation(client, login, calls) -> None:
    login.as_role("reviewer")
    empty = client.get("/search/")
    assert empty.status_code == 200
    assert 'id="search-results"' not in empty.get_data(as_text=True)
    punctuation = client.get("/search/?text=%3F%21")
    assert punctuation.status_code == 400
    assert "Type a word or a phrase to search for." in punctuation.get_data(as_text=True)
    too_many = client.get("/search/?text=" + "+".join(["слово"] * 9))
    assert too_many.status_code == 400
    assert "at most 8 words" in too_many.get_data(as_text=True)
    escaped = client.get("/search/?text=%3Cscript%3E").get_data(as_text=True)
    assert "<script>" not in escaped.split('id="search-form"')[1]
    nothing = client.get("/search/?text=холодильник").get_data(as_text=True)
    assert "Nothing found." in nothing
