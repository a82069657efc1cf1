"""The rule layer alone: lexicon patterns, negation, concessions and question polarity."""

import json
from functools import cache
from pathlib import Path

import pytest
from spacy.language import Language

from scoring.nlp import blank_pipeline
from scoring.objections_rules import (
    LEXICON_DIR,
    OBJECTION_SPANS_KEY,
    LexiconError,
    add_objection_rules,
    load_lexicon,
)


@cache
def _rules(lang: str) -> Language:
    nlp = blank_pipeline(lang)
    add_objection_rules(nlp, lang)
    return nlp


def _fired(lang: str, text: str) -> set[str]:
    doc = _rules(lang)(text)
    return {s.id_ for s in doc.spans[OBJECTION_SPANS_KEY]}


RU_POSITIVE = [
    # price.too_expensive: direct, softened, word forms, ASR spellings
    ("Ой, дороговато для такого стула", "price.too_expensive"),
    ("ну дарага как-то", "price.too_expensive"),
    ("дорогова то для меня", "price.too_expensive"),
    ("слишком дорогая модель", "price.too_expensive"),
    ("ценник у вас, конечно, конский", "price.too_expensive"),
    ("цены кусаются", "price.too_expensive"),
    ("многовато просите за табуретку", "price.too_expensive"),
    ("пятьсот за подъём на этаж — это перебор", "price.too_expensive"),
    ("недёшево выходит", "price.too_expensive"),
    # affordability
    ("нам такое не по карману", "price.affordability"),
    ("одним платежом не потяну", "price.affordability"),
    ("денег сейчас нет совсем", "price.affordability"),
    ("бюджет ограничен, к сожалению", "price.affordability"),
    ("без рассрочки не осилим", "price.affordability"),
    # bargaining
    ("скидку дадите?", "price.bargain"),
    ("Скидочку сделаете?иначе не возьму", "price.bargain"),
    ("скиньте тысячу и беру", "price.bargain"),
    ("отдадите за 15 — беру", "price.bargain"),
    ("а цену не снизите?", "price.bargain"),
    # comparison and waiting
    ("у конкурентов дешевле", "price.comparison"),
    ("на Озоне в два раза меньше", "price.comparison"),
    ("подорожало всё у вас", "price.comparison"),
    ("раньше брал за три тысячи", "price.comparison"),
    ("дождусь чёрной пятницы", "price.wait_for_sale"),
    ("есть что-нибудь подешевле?", "price.cheaper_alternative"),
    # assortment
    ("нужного размера нет", "assortment.missing_variant"),
    ("а синего нету?", "assortment.missing_variant"),
    ("а тридцать шестого нету?", "assortment.missing_variant"),
    ("нет в наличии опять", "assortment.out_of_stock"),
    ("синие закончились, да?", "assortment.out_of_stock"),
    ("только под заказ через три недели? не подходит", "assortment.out_of_stock"),
    ("эту модель больше не выпускают", "assortment.discontinued"),
    ("вы не возите Bosch?", "assortment.not_carried"),
    ("а вы с юрлицами не работаете?", "assortment.not_carried"),
    ("выбор как в сельпо", "assortment.narrow_choice"),
    ("ассортимент скудный", "assortment.narrow_choice"),
    ("всего две модели?", "assortment.narrow_choice"),
]

RU_NEGATIVE = [
    "не дорого",
    "недорого, беру",
    "я не думаю, что это дорого",
    "мне не кажется, что это дорого, состав натуральный",
    "лучше переплачу, но мастер будет опытный",
    "у вас на сайте фильтры не работают, ничего не найти",
    "не то чтобы дорого, просто подумаю",
    "пусть дороже, зато надёжно",
    "дороговато, но оно того стоит",
    "дешевле, чем я думал",
    "у вас дешевле, чем у конкурентов",
    "сколько стоит?",
    "акции сейчас действуют?",
    "А в кредит можно оформить?",
    "в наличии есть?",
    "А тридцать восьмой есть?",
    "Какие цвета есть?",
    "нет ли у вас размера побольше?",
    "в наличии есть или нет?",
    "Дорогая, я перезвоню",
    "дорога до вас долгая",
    "скиньте ссылку на почту",
    "акция закончилась вчера?",
    "выбор отличный, глаза разбегаются",
]

EN_POSITIVE = [
    ("That's way too expensive", "price.too_expensive"),
    ("kinda pricy for a toaster", "price.too_expensive"),
    ("it's not cheap, is it", "price.too_expensive"),
    ("costs an arm and a leg", "price.too_expensive"),
    ("money's tight right now", "price.affordability"),
    ("I can't afford that", "price.affordability"),
    ("that's over our budget", "price.affordability"),
    ("I was hoping for under a thousand", "price.affordability"),
    ("Can I get a discount?", "price.bargain"),
    ("could you knock off a hundred?", "price.bargain"),
    ("will you price match?", "price.bargain"),
    ("the big-box store sells it for less", "price.comparison"),
    ("that's steep for a kettle", "price.too_expensive_plain"),
    ("prices went up again", "price.comparison"),
    ("I'll wait for the holiday deals", "price.wait_for_sale"),
    ("do you have anything cheaper?", "price.cheaper_alternative"),
    ("sold out again?", "assortment.out_of_stock"),
    ("still isn't back?", "assortment.out_of_stock"),
    ("the model I need won't be back for two months", "assortment.out_of_stock"),
    ("they discontinued it?", "assortment.discontinued"),
    ("you guys don't sell Bosch at all?", "assortment.not_carried"),
    ("No XL in this one?", "assortment.missing_variant"),
    ("limited selection, honestly", "assortment.narrow_choice"),
    ("just two models?", "assortment.narrow_choice"),
]

EN_NEGATIVE = [
    "It's not expensive",
    "I'm not saying it's expensive, but I need to think",
    "some call it pricey, but it lasts forever",
    "everyone says you're pricey, but I think it's fair",
    "the stairs up to the flat are steep, mind the piano",
    "that's a steep driveway, will your truck make it?",
    "you didn't have my size last month, but I see you do now",
    "a bit pricey, but worth every penny",
    "cheaper than I expected",
    "How much is delivery?",
    "Is tax included?",
    "Any deals on at the moment?",
    "Can I pay monthly?",
    "Is it in stock?",
    "Is it expensive?",
    "Do you have it in a medium?",
    "looks a bit cheap",
    "I ran out of time, call me back",
    "I won't be back until Monday",
    "great range, found it straight away",
    "too much hassle to return it",
]


@pytest.mark.parametrize(("text", "rule_id"), RU_POSITIVE)
def test_ru_rule_fires(text: str, rule_id: str) -> None:
    assert rule_id in _fired("ru", text)


@pytest.mark.parametrize("text", RU_NEGATIVE)
def test_ru_rule_stays_silent(text: str) -> None:
    assert _fired("ru", text) == set()


@pytest.mark.parametrize(("text", "rule_id"), EN_POSITIVE)
def test_en_rule_fires(text: str, rule_id: str) -> None:
    assert rule_id in _fired("en", text)


@pytest.mark.parametrize("text", EN_NEGATIVE)
def test_en_rule_stays_silent(text: str) -> None:
    assert _fired("en", text) == set()


def test_both_labels_get_their_own_spans() -> None:
    doc = _rules("ru")("и цена кусается, и модели нужной нет")
    spans = {(s.label_, s.text) for s in doc.spans[OBJECTION_SPANS_KEY]}
    assert spans == {("price", "кусается"), ("assortment", "модели нужной нет")}


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_shipped_lexicons_load_with_dotted_ids(lang: str) -> None:
    patterns, metas = load_lexicon(lang)
    assert len(patterns) > 50
    labels = {m.label for m in metas.values()}
    assert labels == {"price", "assortment", "NEG"}
    assert all(m.id.split(".")[0] in ("price", "assortment", "neg") for m in metas.values())


def test_lexicon_errors_name_file_and_line(tmp_path: Path) -> None:
    good = {"id": "price.x", "label": "price", "pattern": [{"LOWER": "x"}]}
    bad = {"id": "Price X", "label": "price", "pattern": [{"LOWER": "y"}]}
    (tmp_path / "objections.ru.jsonl").write_text(
        json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8"
    )
    with pytest.raises(LexiconError, match=r"objections\.ru\.jsonl:2: id must be dotted"):
        load_lexicon("ru", tmp_path)
    with pytest.raises(LexiconError, match="no objection lexicon for language 'de'"):
        load_lexicon("de", LEXICON_DIR)
