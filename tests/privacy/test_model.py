"""The trained token classifier beside the rules: what it adds, what it may not add, and the
batch path that the app and ``qa redact`` use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from privacy import Span, detect, detect_many
from privacy.detect import _gaps_only
from privacy.model import MAX_MODEL_CHARS, _vetted, load_model, model_spans_many
from privacy.training.train_ner import gold_entities, train

from .spans import found


def _without_model(text: str, lang: str) -> list[tuple[str, str]]:
    return [(s.type, text[s.start : s.end]) for s in detect(text, lang, model=False)]


# Said in ways no rule foresaw: the model finds them, the rules alone do not.
@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("hi you've reached spokes and wheels bike hire this is tom", "en", ("PERSON", "tom")),
        (
            "we booked it for Rashid and Farida",
            "en",
            ("PERSON", "Rashid"),
        ),
        ("so that is 14 Birch Hollow, Unit 5, and the gate code", "en", ("ADDRESS", "14 Birch")),
        ("it goes to 77 Harbour View, apartment 12", "en", ("ADDRESS", "77 Harbour View")),
        (
            "И звонить лучше мужу, Айдару: восемь девятьсот восемьдесят семь",
            "ru",
            ("PERSON", "Айдару"),
        ),
        ("или дочкин лейсан восемь девятьсот восемнадцать", "ru", ("PERSON", "лейсан")),
    ],
)
def test_the_model_finds_what_the_rules_miss(text: str, lang: str, value: tuple[str, str]) -> None:
    with_model = found(text, lang)
    assert any(kind == value[0] and value[1] in span for kind, span in with_model), with_model
    assert not any(
        kind == value[0] and value[1] in span for kind, span in _without_model(text, lang)
    )


# What the model may suggest and the rules' own knowledge refuses.
@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("hi, my wife sold her phone to you", "sold", "PERSON"),  # an everyday word
        ("thank you for calling Paws and Claws veterinary", "Claws", "PERSON"),
        ("K 8 2 7 3 6 4 5, issued at Ahmedabad, date of birth", "Ahmedabad", "PERSON"),  # place
        ("passport number k zero two x one one t five eight, it's German", "German", "PERSON"),
        ("Алиса, включи музыку, Яндекс Алиса", "Яндекс Алиса", "PERSON"),  # an assistant
        ("это Башкирия у вас?", "Башкирия", "PERSON"),  # a region
        ("Москва, Садовая, второй этаж", "Садовая", "PERSON"),  # a street after its city
        ("ну я с девяносто второго, хозяина", "хозяина", "PERSON"),
        ("so the card, it's uh 2701 0244, hang on", "2701 0244", "ADDRESS"),  # digits only
        ("я живу в Москве, метро Сокол", "Москве, метро Сокол", "ADDRESS"),  # no street
        ("Вы доставляете в Мытищи? Улицу не помню", "Мытищи? Улицу", "ADDRESS"),  # no house
        ("Our address is 200 Main Street, Suite 4", "200 Main Street, Suite 4", "ADDRESS"),
        ("Patel 2 flat 4 yes", "Patel 2 flat 4", "ADDRESS"),  # a surname, not a street
        ("пункт выдачи по адресу улица Полевая, дом 3", "улица Полевая, дом 3", "ADDRESS"),
        ("the shift is June third to June twenty third", "June twenty third", "BIRTHDATE"),
        ("записала вас на 21.03.2027", "21.03.2027", "BIRTHDATE"),  # a year yet to come
        ("on May fifth, twenty minutes later it arrived", "May fifth", "BIRTHDATE"),
        ("регистрация: Фомина Екатерина Андреевна, ноль пятое", "ноль пятое", "BIRTHDATE"),
        ("The farm is beyond Coolbawn, Nenagh, County Tipperary.", "Coolbawn", "PERSON"),
        ("Ждём вас завтра в 14:15, Репина, 12, наш бокс", "Ждём", "PERSON"),  # a verb
        ("Ждём вас завтра в 14:15, Репина, 12, наш бокс", "Репина", "PERSON"),  # a street
        ("он для ГИБДД обязателен", "ГИБДД", "PERSON"),  # an acronym
        ("хочу заказать электросамокат Kugoo Kirin M4", "Kugoo Kirin", "PERSON"),  # a product
        # A business: its noun after the name or as its last word; a region.
        ("Lingvo Nord translation agency, Polina, good morning.", "Lingvo Nord", "PERSON"),
        ("Hello, StudyBridge online school, this is Irina.", "StudyBridge", "PERSON"),
        ("Hello, Semya Market prize hotline, operator Daria.", "Semya Market", "PERSON"),
        ("it's Leningrad oblast, Vsevolozhsk district", "Leningrad oblast", "PERSON"),
    ],
)
def test_the_rules_veto_what_the_model_guesses(text: str, value: str, kind: str) -> None:
    start = text.index(value)
    assert not _vetted(text, Span(start, start + len(value), kind))


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("hiya, booking for my two, Oliver and Freya Whitfield", "Freya Whitfield", "PERSON"),
        ("меня зовут гусейнова лейла", "гусейнова лейла", "PERSON"),
        (
            "приезжайте ко мне, Новаторов двенадцать корпус два квартира 45",
            "Новаторов двенадцать корпус два квартира 45",
            "ADDRESS",
        ),
        ("her birthday is the 30th of April 2016", "30th of April 2016", "BIRTHDATE"),
        ("Матвей, 03.07.2011, снилс у него уже присвоен", "03.07.2011", "BIRTHDATE"),
    ],
)
def test_the_rules_let_plausible_values_through(text: str, value: str, kind: str) -> None:
    start = text.index(value)
    assert _vetted(text, Span(start, start + len(value), kind))


def test_where_a_rule_found_something_the_rule_stands() -> None:
    by_rules = [Span(10, 20, "PHONE"), Span(0, 3, "PERSON")]
    model = [Span(15, 25, "ADDRESS"), Span(2, 5, "PERSON"), Span(20, 24, "PERSON")]
    assert _gaps_only(model, by_rules) == [Span(20, 24, "PERSON")]
    # A long rule span covers a later, short one: the model's span inside both is dropped.
    assert _gaps_only([Span(30, 32, "PERSON")], [Span(0, 40, "ADDRESS"), Span(5, 6, "CARD")]) == []


def test_a_batch_finds_what_one_text_at_a_time_finds() -> None:
    texts = [
        "predeceased by her husband Seamus and her son Declan",
        "",
        "Меня зовут Анна, телефон 8 926 123 45 67",
        "номер заказа 12345",
        "my name is Anna Lee, my number is (212) 555-0199",
    ]
    langs: list[str | None] = ["en", "ru", None, "ru", "en"]
    assert detect_many(texts, langs) == [
        detect(text, lang) for text, lang in zip(texts, langs, strict=True)
    ]
    assert detect_many(texts[2:4], "ru") == [detect(texts[2], "ru"), detect(texts[3], "ru")]
    with pytest.raises(ValueError, match="one language and one previous line per text"):
        detect_many(texts, ["ru"])
    with pytest.raises(ValueError, match="lang must be"):
        detect_many(texts, "de")


def test_a_long_text_is_read_in_pieces_with_offsets_into_it() -> None:
    filler = "and so on and so on. " * 1800  # 37,800 characters: two pieces for the model
    text = filler + "predeceased by her husband Seamus and her son Declan"
    [spans] = model_spans_many([text], "en")
    assert [text[s.start : s.end] for s in spans] == ["Seamus", "Declan"]
    # Beyond four hours of speech only the rules read a text (hostile input stays fast).
    huge = "x " * (MAX_MODEL_CHARS // 2) + "predeceased by her husband Seamus"
    assert model_spans_many([huge], "en") == [[]]


def test_both_languages_ship_a_model_with_the_three_types() -> None:
    for lang in ("ru", "en"):
        assert set(load_model(lang).get_pipe("ner").labels) == {"PERSON", "ADDRESS", "BIRTHDATE"}


def test_gold_entities_read_both_span_forms() -> None:
    row = {
        "text": "Анна, 8 926 123 45 67, Анна",
        "spans": [
            {"type": "PERSON", "text": "Анна", "nth": 1},
            {"type": "PHONE", "text": "8 926 123 45 67"},
            {"type": "PERSON", "start": 0, "end": 4},
        ],
    }
    assert gold_entities(row) == [(23, 27, "PERSON"), (0, 4, "PERSON")]


@pytest.mark.slow
def test_training_writes_a_pipeline_that_loads_and_tags(tmp_path: Path) -> None:
    import spacy

    rows = [
        {
            "text": f"my name is {name} and I live at {n} Oak Street",
            "spans": [
                {"type": "PERSON", "text": name},
                {"type": "ADDRESS", "text": f"{n} Oak Street"},
            ],
        }
        for n, name in enumerate(["Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid"] * 5)
    ]
    data = tmp_path / "train.en.jsonl"
    data.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    out = tmp_path / "ner.en"
    config = {"seed": 1, "max_steps": 60, "width": 32, "depth": 2, "embed_rows": [500] * 4}
    assert train("en", [data], out, config) == 30
    nlp = spacy.load(out)
    assert spacy.util.load_config(out / "config.cfg")["paths"]["train"] is None
    assert set(nlp.get_pipe("ner").labels) == {"PERSON", "ADDRESS"}
    assert nlp("my name is Anna and I live at 3 Oak Street").ents  # it learnt something


def test_a_postcode_after_a_name_is_no_birth_date() -> None:
    text = "we're in Red Deer, Alberta, T4N 1B2"
    value = "Alberta, T4N 1B2"
    start = text.index(value)
    assert not _vetted(text, Span(start, start + len(value), "BIRTHDATE"))


def test_a_verb_after_a_pronoun_and_a_modal_is_no_person() -> None:
    text = "we will mark it as paid and bill you in may"
    assert not _vetted(text, Span(8, 12, "PERSON"))
    text = "can anna come in on friday"
    assert _vetted(text, Span(4, 8, "PERSON"))
