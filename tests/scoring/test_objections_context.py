"""A customer turn judged with the agent's turn before it, neutral turns, unknown speakers."""

import json
from pathlib import Path

import pytest

from scoring import classify_turn, find_objections
from scoring.nlp import blank_pipeline
from scoring.objections import build_pipeline
from scoring.objections_context import (
    CONTEXT_KEY,
    NEUTRAL_KEY,
    PREVIOUS_KEY,
    context_tags,
    load_context_lexicon,
)
from scoring.objections_model import doc_features_text
from scoring.objections_rules import LexiconError
from scoring.training.train_objections import _analyse, load_turns


def _call(lang: str, *turns: tuple[str, str]) -> list[dict]:
    return [
        {"speaker": speaker, "start": float(i), "end": float(i) + 1.0, "text": text}
        for i, (speaker, text) in enumerate(turns)
    ]


def _flags(segments: list[dict], lang: str) -> set[tuple[int, str]]:
    return {(f.segment_index, f.label) for f in find_objections(segments, lang=lang)}


# The same customer words after different agent turns: an objection after a price, discount,
# stock or lead-time turn, nothing after an unrelated one.
CONTEXT_CASES = [
    (
        "ru",
        "Могу предложить скидку пять процентов.",
        "Какой цвет вам нравится?",
        "ну маловато, если честно",
        "price",
    ),
    (
        "ru",
        "Со скидкой выйдет девять тысяч двести.",
        "Вы у нас уже были?",
        "нет, не устраивает",
        "price",
    ),
    (
        "ru",
        "На складе сейчас три штуки.",
        "Сколько человек будет на занятиях?",
        "а нам четыре надо",
        "assortment",
    ),
    (
        "ru",
        "Эта модель под заказ, привезём через шесть недель.",
        "Во сколько вам удобно?",
        "ой, это долго",
        "assortment",
    ),
    (
        "ru",
        "Эту серию мы больше не возим, только вторую.",
        "Доставка вам нужна?",
        "жалко, я именно её хотела",
        "assortment",
    ),
    (
        "en",
        "we don't carry that brand anymore",
        "do you need it delivered",
        "oh no, I really wanted that one",
        "assortment",
    ),
    (
        "en",
        "I can take ten percent off today.",
        "Would you like the blue or the grey one?",
        "that's a bit little honestly",
        "price",
    ),
    (
        "en",
        "The renewal comes to forty nine a month.",
        "Is the address still the same?",
        "no, that doesn't work for us",
        "price",
    ),
    (
        "en",
        "We have three in stock in that size.",
        "How many people are coming?",
        "we need four though",
        "assortment",
    ),
    (
        "en",
        "The matching dryer is backordered, six to seven weeks.",
        "Do you want it delivered?",
        "no, that's way too long",
        "assortment",
    ),
]


@pytest.mark.parametrize(("lang", "objecting", "neutral", "text", "label"), CONTEXT_CASES)
def test_short_answer_objects_only_after_a_fitting_agent_turn(
    lang: str, objecting: str, neutral: str, text: str, label: str
) -> None:
    assert label in classify_turn(text, lang, previous=objecting).labels
    assert label not in classify_turn(text, lang, previous=neutral).labels
    found = _flags(_call(lang, ("agent", objecting), ("customer", text)), lang)
    assert (1, label) in found


@pytest.mark.parametrize(
    ("lang", "agent", "accepting", "objecting"),
    [
        ("ru", "Цена устраивает?", "да, нормально", "нет, дороговато"),
        ("en", "How does that price sound?", "yeah that's fine", "no, that's too steep"),
    ],
)
def test_acceptance_after_a_price_question_is_not_an_objection(
    lang: str, agent: str, accepting: str, objecting: str
) -> None:
    assert classify_turn(accepting, lang, previous=agent).labels == ()
    assert classify_turn(objecting, lang, previous=agent).labels == ("price",)


def test_a_rival_price_read_out_after_a_quote_is_a_price_objection() -> None:
    segments = _call(
        "ru",
        ("agent", "Тогда стоимость на новый год — девять тысяч восемьсот сорок."),
        ("customer", "ну смотрите, другая компания показывает семь девятьсот"),
    )
    assert _flags(segments, "ru") == {(1, "price")}


# Whole calls of neutral turns: greetings, answers with numbers and names, a stated budget,
# mileage, a contract number, stock and price questions, pleasantries.
NEUTRAL_CALLS = [
    (
        "ru",
        [
            ("agent", "Автосалон «Север», меня зовут Ольга, слушаю вас."),
            ("customer", "здравствуйте, я по объявлению, хотел пару вопросов задать по машине"),
            ("agent", "Конечно. Какой у вас бюджет?"),
            ("customer", "ну где-то до трёх миллионов двухсот"),
            ("agent", "Свою машину в зачёт сдаёте? Какой пробег?"),
            ("customer", "сто двенадцать тысяч примерно"),
            ("agent", "Назовите номер договора, пожалуйста."),
            ("customer", "четыре семь восемь два один девять"),
            ("agent", "А в наличии эта комплектация есть?"),
            ("customer", "а сколько стоит доставка до области?"),
            ("agent", "Хорошего дня!"),
            ("customer", "спасибо, и вам"),
        ],
    ),
    (
        "en",
        [
            ("agent", "Hartman Appliance, this is Greg, how can I help"),
            ("customer", "hi, saw your ad, want to ask a few questions about the plans"),
            ("agent", "sure, can I get your name and the zip code"),
            ("customer", "it's Priya Natarajan and the zip is four four one zero seven"),
            ("agent", "and what's your budget roughly"),
            ("customer", "around fifteen hundred"),
            ("agent", "got it, and your account number"),
            ("customer", "uh it's one zero four four seven two nine three three"),
            ("agent", "we have both models in stock"),
            ("customer", "okay how much is the delivery fee"),
            ("agent", "anything else I can help with"),
            ("customer", "no that's it for now, thanks, bye"),
        ],
    ),
]


@pytest.mark.parametrize(("lang", "turns"), NEUTRAL_CALLS)
def test_neutral_calls_raise_no_flag(lang: str, turns: list[tuple[str, str]]) -> None:
    assert _flags(_call(lang, *turns), lang) == set()


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ru", "восемь девятьсот шестнадцать четыреста двадцать тридцать один"),
        ("ru", "спасибо, до свидания"),
        ("en", "Lucas Brennan, three one two five five five four four seven zero"),
        ("en", "perfect, thanks, you too"),
    ],
)
def test_numbers_read_out_and_pleasantries_are_neutral(lang: str, text: str) -> None:
    doc = build_pipeline(lang)(text)
    assert doc.user_data[NEUTRAL_KEY] in ("empty", "read_out")
    assert classify_turn(text, lang).labels == ()


@pytest.mark.parametrize(
    ("lang", "stalling", "objecting"),
    [
        ("ru", "я подумаю, может подожду", "дорого, подумаю"),
        ("en", "I'll think about it, maybe wait", "too pricey, I'll think about it"),
    ],
)
def test_stalling_without_a_reason_is_not_an_objection(
    lang: str, stalling: str, objecting: str
) -> None:
    previous = "Итого сорок девять тысяч." if lang == "ru" else "the total is forty nine a month"
    assert build_pipeline(lang)(stalling).user_data[NEUTRAL_KEY] == "stall"
    assert classify_turn(stalling, lang).labels == ()
    assert classify_turn(stalling, lang, previous=previous).labels == ()
    assert classify_turn(objecting, lang, previous=previous).labels == ("price",)


# Roles unknown (mono audio): the seller's turns are not flagged, the customer's still are.
@pytest.mark.parametrize(
    ("lang", "turns", "expected"),
    [
        (
            "ru",
            [
                "К сожалению, этой модели нет в наличии, но могу предложить аналог.",
                "ну это дороговато для меня",
                "Годовой абонемент с бассейном — тридцать восемь тысяч.",
                "Шестую серию мы не возим, только вторую и четвёртую.",
            ],
            {(1, "price")},
        ),
        (
            "en",
            [
                "unfortunately that model is out of stock, but I can offer you a similar one",
                "hmm that's way too pricey for us",
                "we don't carry that brand, we only stock the house line",
                "the total for that is eighteen ninety five a month",
            ],
            {(1, "price")},
        ),
    ],
)
def test_seller_turns_are_not_flagged_when_roles_are_unknown(
    lang: str, turns: list[str], expected: set[tuple[int, str]]
) -> None:
    segments = _call(lang, *(("", text) for text in turns))
    findings = find_objections(segments, lang=lang)
    assert {(f.segment_index, f.label) for f in findings} == expected
    assert all(f.speaker_unknown for f in findings)


def test_agent_turn_tags() -> None:
    assert {"discount", "price"} <= set(context_tags("Могу предложить скидку 5%.", "ru"))
    assert "stock" in context_tags("Unfortunately it's backordered.", "en")
    assert "question" in context_tags("Вы у нас уже были?", "ru")
    assert context_tags("", "ru") == ()


def test_context_tags_reach_the_classifier_features() -> None:
    nlp = build_pipeline("ru")
    doc = nlp.make_doc("маловато")
    doc.user_data[PREVIOUS_KEY] = "Могу дать скидку пять процентов."
    doc = nlp(doc)
    assert "discount" in doc.user_data[CONTEXT_KEY]
    assert doc_features_text(doc)[1].startswith("ctx_discount ctx_price")
    assert doc_features_text(nlp("маловато"))[1] == "маловатый"


def test_training_rows_with_context_are_judged_after_it(tmp_path: Path) -> None:
    rows = [
        {"id": "1", "text": "маловато", "labels": ["price"], "context": "Дам скидку 3%."},
        {"id": "2", "text": "дорого", "labels": ["price"]},
    ]
    (tmp_path / "train_rounds_z.ru.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    contexts: dict[str, str] = {}
    customer, agent = load_turns("ru", tmp_path, contexts)
    assert (len(customer), len(agent)) == (2, 0)
    assert contexts == {"train_rounds_z.ru:1": "Дам скидку 3%."}
    nlp = blank_pipeline("ru")
    nlp.add_pipe("qa_objection_rules", config={"lang": "ru"})
    nlp.add_pipe("qa_objection_context", config={"lang": "ru"})
    docs = _analyse(nlp, [t.text for t in customer], [contexts.get(t.id) for t in customer])
    assert doc_features_text(docs[0])[1].startswith("ctx_discount")
    assert [s.id_ for s in docs[0].spans["qa_objections"]] == ["reply.price_insufficient"]
    assert not doc_features_text(docs[1])[1].startswith("ctx_")


def test_bad_training_context_is_refused(tmp_path: Path) -> None:
    (tmp_path / "train.en.jsonl").write_text(
        '{"id": "1", "text": "too little", "labels": ["price"], "context": 5}\n',
        encoding="utf-8",
    )
    with pytest.raises(SystemExit, match=r"train\.en\.jsonl:1: context must be a string"):
        load_turns("en", tmp_path, {})


def test_context_lexicon_lines_are_checked(tmp_path: Path) -> None:
    good = load_context_lexicon("ru")
    assert all((good.replies, good.agent, good.neutral, good.seller, good.question))
    bad = tmp_path / "objection_context.ru.jsonl"
    bad.write_text(
        '{"id": "reply.x", "kind": "reply", "pattern": [{"LOWER": "x"}]}\n', encoding="utf-8"
    )
    with pytest.raises(LexiconError, match="needs a label and 'after' tags"):
        load_context_lexicon("ru", tmp_path)
    bad.write_text('{"id": "ctx.x", "kind": "other", "pattern": [{"LOWER": "x"}]}\n')
    with pytest.raises(LexiconError, match="kind must be one of"):
        load_context_lexicon("ru", tmp_path)
