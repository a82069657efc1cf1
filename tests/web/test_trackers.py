"""Tracker and glossary management: built-in packs, custom trackers, try-out, glossary terms."""

from __future__ import annotations

from sqlalchemy import select

from qa.extensions import db
from qa.models import GlossaryTerm, Tracker
from tests.web import factories


def _tracker_data(**overrides: str) -> dict[str, str]:
    data = {"name": "Конкуренты", "label": "competitor", "lang": "ru", "said_by": "customer",
            "phrases": "Эльдорадо\nМ.Видео\n\nэльдорадо\n", "active": "y"}
    data.update(overrides)
    return data


def test_page_lists_builtin_packs_read_only(client, login) -> None:
    login.as_role("qa_lead")
    response = client.get("/trackers/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # the packs come from scoring's lexicon files, in both languages
    assert "price.too_expensive" in html
    assert "negation cues" in html
    assert "builtin-pack" in html
    assert ">en ·" in html.replace("\n", "").replace("  ", "")
    assert "Transcription glossary" in html
    login.logout()
    login.as_role("reviewer")
    assert client.get("/trackers/").status_code == 403


def test_create_edit_and_deactivate_a_tracker(client, login) -> None:
    lead = login.as_role("qa_lead")
    response = client.post("/trackers/new", data=_tracker_data(submit="1"))
    assert response.status_code == 302
    tracker = db.session.scalar(select(Tracker))
    assert (tracker.name, tracker.label, tracker.lang, tracker.said_by) == (
        "Конкуренты", "competitor", "ru", "customer"
    )
    # blank lines and repeats (ignoring case) dropped
    assert tracker.phrases == ["Эльдорадо", "М.Видео"]
    assert tracker.created_by_id == lead.id
    assert tracker.active

    edit = client.get(f"/trackers/{tracker.id}").get_data(as_text=True)
    assert "Эльдорадо\nМ.Видео" in edit
    response = client.post(
        f"/trackers/{tracker.id}",
        data=_tracker_data(phrases="Эльдорадо\nDNS", said_by="any", submit="1"),
    )
    assert response.status_code == 302
    db.session.refresh(tracker)
    assert (tracker.phrases, tracker.said_by) == (["Эльдорадо", "DNS"], "any")

    client.post(f"/trackers/{tracker.id}/toggle")
    db.session.refresh(tracker)
    assert tracker.active is False
    assert "Turn on" in client.get("/trackers/").get_data(as_text=True)


def test_tracker_validation_messages(client, login) -> None:
    login.as_role("admin")
    bad_label = client.post("/trackers/new", data=_tracker_data(label="two words", submit="1"))
    assert bad_label.status_code == 400
    assert "label must be 1-64 letters" in bad_label.get_data(as_text=True)
    no_phrases = client.post("/trackers/new", data=_tracker_data(phrases=" \n ", submit="1"))
    assert no_phrases.status_code == 400
    same_lemmas = client.post(
        "/trackers/new", data=_tracker_data(phrases="подумать\nподумаю", submit="1")
    )
    assert "repeats another phrase" in same_lemmas.get_data(as_text=True)
    assert db.session.scalars(select(Tracker)).all() == []
    client.post("/trackers/new", data=_tracker_data(submit="1"))
    duplicate = client.post("/trackers/new", data=_tracker_data(label="other", submit="1"))
    assert "A tracker named “Конкуренты” already exists." in duplicate.get_data(as_text=True)
    assert len(db.session.scalars(select(Tracker)).all()) == 1


def _transcripts() -> None:
    call = factories.make_call(status="transcribed", language="ru", title="Звонок про цены")
    factories.make_segment(call, speaker="agent", text="Я подумаю, как вам помочь.")
    factories.make_segment(call, speaker="customer", start=61.0,
                           text="Мне надо подумать <b>до завтра</b>.")
    factories.make_segment(call, speaker="customer", start=70.0, text="Я ещё подумаю.")
    mono = factories.make_call(status="transcribed", language=None, title="Моно")
    factories.make_segment(mono, speaker="unknown", text="Подумаем и перезвоним.")
    english = factories.make_call(status="transcribed", language="en", title="English call")
    factories.make_segment(english, speaker="customer", text="Let me think it over.")
    pending = factories.make_call(status="uploaded", language="ru", title="Не готов")
    factories.make_segment(pending, speaker="customer", text="Подумаю.")
    db.session.commit()


def test_try_out_finds_word_forms_in_recent_transcripts_without_saving(client, login) -> None:
    login.as_role("qa_lead")
    _transcripts()
    response = client.post(
        "/trackers/new",
        data=_tracker_data(name="Подумать", label="think_it_over", phrases="подумать",
                           try_it="1"),
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # customer turns and the mono call's unknown speaker; not the agent, not other languages,
    # not untranscribed calls
    assert "3 matches in 3 turns of 2 calls; nothing was saved." in html
    assert "Мне надо <mark>подумать</mark> &lt;b&gt;до завтра&lt;/b&gt;." in html
    assert "Я ещё <mark>подумаю</mark>." in html
    assert "<mark>Подумаем</mark> и перезвоним." in html
    assert "как вам помочь" not in html
    assert "Не готов" not in html
    assert "Звонок про цены · 1:01" in html
    assert db.session.scalars(select(Tracker)).all() == []

    anyone = client.post(
        "/trackers/new",
        data=_tracker_data(name="Подумать", label="think_it_over", phrases="подумать",
                           said_by="any", try_it="1"),
    ).get_data(as_text=True)
    assert "4 matches in 4 turns of 2 calls" in anyone

    english = client.post(
        "/trackers/new",
        data=_tracker_data(name="Think", label="think_it_over", lang="en",
                           phrases="think it over", try_it="1"),
    ).get_data(as_text=True)
    assert "Let me <mark>think it over</mark>." in english


def test_try_out_from_the_edit_page(client, login) -> None:
    login.as_role("qa_lead")
    _transcripts()
    client.post("/trackers/new", data=_tracker_data(submit="1"))
    tracker = db.session.scalar(select(Tracker))
    response = client.post(
        f"/trackers/{tracker.id}", data=_tracker_data(phrases="перезвонить", said_by="any",
                                                      try_it="1")
    )
    assert response.status_code == 200
    assert "<mark>перезвоним</mark>" in response.get_data(as_text=True)
    db.session.refresh(tracker)
    assert tracker.phrases == ["Эльдорадо", "М.Видео"]


def test_glossary_terms(client, login) -> None:
    login.as_role("qa_lead")
    response = client.post(
        "/trackers/glossary", data={"term": "iPhone", "misheard": "айфон; ай фон,", "kind": "brand"}
    )
    assert response.status_code == 302
    term = db.session.scalar(select(GlossaryTerm))
    assert (term.term, term.misheard, term.kind) == ("iPhone", "айфон, ай фон", "brand")
    assert "айфон, ай фон" in client.get("/trackers/").get_data(as_text=True)

    duplicate = client.post("/trackers/glossary", data={"term": "iphone", "kind": "brand"})
    assert duplicate.status_code == 400
    assert "“iPhone” is already in the glossary." in duplicate.get_data(as_text=True)
    itself = client.post(
        "/trackers/glossary", data={"term": "Samsung", "misheard": "samsung", "kind": "competitor"}
    )
    assert "cannot be the term itself" in itself.get_data(as_text=True)
    empty = client.post("/trackers/glossary", data={"term": " ", "kind": "brand"})
    assert empty.status_code == 400

    edit = client.post(
        f"/trackers/glossary/{term.id}",
        data={"term": "iPhone 16", "misheard": "", "kind": "product"},
    )
    assert edit.status_code == 302
    db.session.refresh(term)
    assert (term.term, term.misheard, term.kind) == ("iPhone 16", None, "product")

    client.post(f"/trackers/glossary/{term.id}/delete")
    assert db.session.scalars(select(GlossaryTerm)).all() == []
    assert client.get(f"/trackers/glossary/{term.id}").status_code == 404
