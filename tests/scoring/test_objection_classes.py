"""Classes of customer wording the objection detector must label right (labelling rules, A).

Each table is one class of error seen on real customers' words, with turns that are
objections (positive) and turns of the same shape that are not (negative), in both
languages. The turns are written for these tests and appear in no training file; a class
is fixed as a whole through the rules and the training data, never per sentence.
"""

from functools import cache

import pytest
from spacy.language import Language

from scoring.nlp import blank_pipeline
from scoring.objections import classify_turn
from scoring.objections_rules import OBJECTION_SPANS_KEY, add_objection_rules

P = ("price",)
A = ("assortment",)
PA = ("price", "assortment")
NONE: tuple[str, ...] = ()

# Negation of something other than the goods (time, signal, price tags, need, a polite "no")
# is no objection; a negated size, colour, model or stock is assortment.
NEGATION = {
    "ru": [
        ("Нет, спасибо, я только посмотреть", NONE),
        ("у меня сейчас нет ни минуты, давайте вечером", NONE),
        ("тут связи почти нет, я на даче, перезвоните позже", NONE),
        ("штрихкода на коробке нет, найдёте по названию?", NONE),
        ("Нужды в сборке нет, муж сам соберёт", NONE),
        ("Мелочи нет, с пятитысячной сдачу дадите?", NONE),
        ("нужного размера у вас опять нет", A),
        ("Зелёного нет? Мне к шторам надо", A),
        ("этой модели нет в наличии уже месяц", A),
        ("Сорок шестого нет, только маленькие остались", A),
    ],
    "en": [
        ("no thanks, I'm just looking", NONE),
        ("I don't have a minute right now, call me tonight", NONE),
        ("I've got barely any signal out here, call me back later", NONE),
        ("no barcode on this one, can you look it up", NONE),
        ("no need for assembly, my son will put it together", NONE),
        ("no thanks, I don't want the protection plan", NONE),
        ("you're out of my size again, third visit in a row", A),
        ("no green? I need it to match the curtains", A),
        ("this model hasn't been in stock for a month", A),
        ("no size twelve, only small ones left", A),
    ],
}

# Availability and variety asked in the positive are questions; asked in the negative, or
# rejecting what is shown, they are assortment.
STOCK_QUESTION = {
    "ru": [
        ("А у вас батарейки для часов есть?", NONE),
        ("Какие размеры у этого матраса бывают?", NONE),
        ("В наличии есть перфоратор, который на сайте?", NONE),
        ("а шланги на тридцать метров продаёте?", NONE),
        ("Из каких оттенков ламината можно выбрать?", NONE),
        ("А в синем нету? Этот серый как асфальт", A),
        ("батареек для часов у вас нет что ли?", A),
        ("а шланга метров на тридцать нет? этот до грядок не дотянется", A),
        ("Других оттенков нет? Этот в комнате будет темно смотреться", A),
    ],
    "en": [
        ("do you have watch batteries?", NONE),
        ("is this mattress made in a queen and a king?", NONE),
        ("is the drill from your website in stock?", NONE),
        ("do you sell thirty meter hoses?", NONE),
        ("which laminate shades can I pick from?", NONE),
        ("no blue one? this one's so gloomy", A),
        ("you don't carry watch batteries?", A),
        ("nothing longer? this hose won't reach the garden beds", A),
        ("no other shades? this one will look dark in the room", A),
    ],
}

# Price resistance without the usual words: sarcasm and disbelief, a rise with the figures,
# bargaining without a stock phrase, a competitor's or current provider's price as a counter.
# The same shapes that welcome the price are none.
PRICE_WITHOUT_CUE_WORDS = {
    "ru": [
        ("Он что, из платины, этот смеситель?", P),
        ("За такие деньги он должен сам полы мыть", P),
        ("В феврале было семьсот, а сейчас девятьсот пятьдесят", P),
        ("давайте за девять ровно, и я забираю", P),
        ("а в соседнем автосервисе такую же замену делают за две", P),
        ("Я своему провайдеру плачу триста пятьдесят, а у вас пятьсот", P),
        ("Было девятьсот, стало семьсот — вот это приятно", NONE),
        ("Он что, правда всего за тысячу? Беру", NONE),
        ("В феврале брала его за ту же цену, спасибо, что не подняли", NONE),
        ("За такие деньги отличная вещь, не ожидала", NONE),
    ],
    "en": [
        ("what's this faucet made of, platinum?", P),
        ("for that money it should mop the floors itself", P),
        ("in February it was seventy, now it's ninety five", P),
        ("let's say nine even and I'll take it home", P),
        ("the garage down the road does the same job for two hundred", P),
        ("I pay my internet company thirty five and you want fifty", P),
        ("it was ninety, now seventy? now that's nice", NONE),
        ("wait, it's really just a hundred? I'll take it", NONE),
        ("I bought it in February for the same price, thanks for not raising it", NONE),
        ("for that money it's a great piece, didn't expect that", NONE),
    ],
}

# "Дешёв-" / "cheap": low quality and praise of our price are none; another shop cheaper
# is an unfavourable comparison (A1.2), so price.
CHEAP_SENSES = {
    "ru": [
        ("Выглядит дёшево, лак уже облез", NONE),
        ("какая-то дешёвка, шов кривой", NONE),
        ("У вас дешевле, чем на маркетплейсах, поэтому и беру тут", NONE),
        ("Обзвонила пять магазинов, ваш вариант самый дешёвый", NONE),
        ("В соседнем магазине такой же дешевле на пятьсот", P),
        ("на маркетплейсе этот фен дешевле почти в два раза", P),
        ("у других продавцов дешевле, я смотрел", P),
        ("А вот в Ленте такой же порошок дешевле", P),
    ],
    "en": [
        ("looks cheap, the finish is already peeling", NONE),
        ("total cheap junk, the seam is crooked", NONE),
        ("you're cheaper than the marketplaces, that's why I buy here", NONE),
        ("couldn't find it cheaper anywhere than here", NONE),
        ("the store next door has the same one for fifty cheaper", P),
        ("this hair dryer is almost half the price on Amazon", P),
        ("other sellers have it cheaper, I looked", P),
        ("Costco has the same detergent for less", P),
    ],
}

# Missing goods said without a stock phrase are assortment; "where did X go" about an
# order or a person, praise of the range and resolved shortages are none.
MISSING_GOODS = {
    "ru": [
        ("Купить нечего, одни пустые стеллажи", A),
        ("куда подевались все садовые перчатки? Ни одной пары", A),
        ("Такого кофе больше нигде не найдёшь, а вы его тоже перестали возить", A),
        ("Полки наполовину пустые, половины круп нет", A),
        ("куда подевался курьер? Жду с утра", NONE),
        ("У вас тут столько всего, глаза разбегаются", NONE),
        ("Прошлый раз полки были пустые, сегодня всё есть, спасибо", NONE),
        ("Не могу найти, где у вас касса", NONE),
    ],
    "en": [
        ("nothing to buy here, just empty racks", A),
        ("where did all the garden gloves go? not a single pair", A),
        ("you can't get this coffee anywhere anymore and you stopped carrying it too", A),
        ("shelves are half empty, half the cereals are gone", A),
        ("where did the courier go? I've been waiting since morning", NONE),
        ("you've got so much stuff here, I don't know where to look", NONE),
        ("last time the shelves were empty, today everything's here, thanks", NONE),
        ("can't find where the checkout is", NONE),
    ],
}

# Turns of whole calls: openers, pleasantries, numbers, budgets stated up front and stalling
# are none; a rise with figures, a quantity shortfall and a rejected wait are objections.
CALL_TURNS = {
    "ru": [
        ("Добрый день, видела вашу рекламу в метро, хотела уточнить пару моментов", NONE),
        ("Спасибо, всего хорошего, до связи", NONE),
        ("Пробег сто сорок тысяч, один хозяин", NONE),
        ("номер заявки триста двенадцать сорок пять", NONE),
        ("Подумаю ещё, может, подожду до лета", NONE),
        ("бюджет примерно сто тысяч, что подскажете?", NONE),
        ("Раньше платил четыреста, теперь шестьсот двадцать, это за что?", P),
        ("Всего две штуки? Нам восемь нужно на всю смену", A),
        ("Семь недель ждать? Это вообще не вариант, у нас сезон", A),
        ("Четыре упаковки? Мне на группу двенадцать надо", A),
    ],
    "en": [
        ("hi, I saw your billboard on the highway and wanted to ask a couple things", NONE),
        ("appreciate it, have a great weekend", NONE),
        ("a hundred forty thousand miles, one owner", NONE),
        ("sure, the reference on the email is R as in Robert, three one two", NONE),
        ("I'll mull it over, might hold off till the summer", NONE),
        ("the budget's around ten grand, what can you suggest", NONE),
        ("I used to pay forty, now it's sixty two, what's that for", P),
        ("only two? we need eight for the whole shift", A),
        ("seven weeks out? that's useless to us, our season starts before that", A),
        ("four packs for a group of twelve? that won't cover half of them", A),
    ],
}

# Short answers whose meaning depends on the agent's turn just before them.
CONTEXT_TURNS = {
    "ru": [
        ("Мы можем дать скидку три процента", "мало как-то, честно говоря", P),
        ("Итого выходит девяносто две тысячи", "ну девяносто две это прям много", P),
        ("Поставка будет только через месяц", "долго, нам раньше надо", A),
        ("На складе три штуки", "три? нам мало", A),
        ("Какой бюджет вы рассматриваете?", "тысяч пятьдесят где-то", NONE),
        ("Назовите номер заказа", "двенадцать сорок восемь", NONE),
        ("Вам доставку оформить?", "не, я на своей машине подъеду", NONE),
        ("Что-нибудь ещё?", "нет, всё", NONE),
    ],
    "en": [
        ("We can do three percent off", "that's pretty thin, honestly", P),
        ("The total comes to ninety two hundred", "ninety two is a lot", P),
        ("The next shipment is a month out", "too long, we need it sooner", A),
        ("We have three in stock", "three? that's not enough", A),
        ("What budget are you working with?", "around fifty grand", NONE),
        ("Can I get the order number?", "twelve forty eight", NONE),
        ("Do you want delivery?", "no, I'll grab it myself", NONE),
        ("Anything else?", "nope, I'm all set", NONE),
    ],
}

CLASSES = {
    "negation": NEGATION,
    "stock_question": STOCK_QUESTION,
    "price_without_cue_words": PRICE_WITHOUT_CUE_WORDS,
    "cheap_senses": CHEAP_SENSES,
    "missing_goods": MISSING_GOODS,
    "call_turns": CALL_TURNS,
}

# Rows the detector still gets wrong, with the reason; they stay in the tables so that a fix
# shows up as XPASS.
KNOWN_GAPS = {
    "Мелочи нет, с пятитысячной сдачу дадите?": "classifier: 'дадите?' read as bargaining",
    "Он что, правда всего за тысячу? Беру": "closing acceptance is not used in a turn with '?'",
    "В феврале брала его за ту же цену, спасибо, что не подняли": "classifier: negated rise",
    "you've got so much stuff here, I don't know where to look": "classifier: praise of range",
}

CASES = [
    pytest.param(
        lang,
        text,
        expected,
        id=f"{name}-{lang}-{i}",
        marks=(
            [pytest.mark.xfail(reason=KNOWN_GAPS[text], strict=True)] if text in KNOWN_GAPS else []
        ),
    )
    for name, table in CLASSES.items()
    for lang, rows in table.items()
    for i, (text, expected) in enumerate(rows)
]

CONTEXT_CASES = [
    pytest.param(lang, previous, text, expected, id=f"context-{lang}-{i}")
    for lang, rows in CONTEXT_TURNS.items()
    for i, (previous, text, expected) in enumerate(rows)
]

@pytest.mark.parametrize(("lang", "text", "expected"), CASES)
def test_class_table(lang: str, text: str, expected: tuple[str, ...]) -> None:
    assert classify_turn(text, lang).labels == expected


@pytest.mark.parametrize(("lang", "previous", "text", "expected"), CONTEXT_CASES)
def test_context_table(lang: str, previous: str, text: str, expected: tuple[str, ...]) -> None:
    assert classify_turn(text, lang, previous=previous).labels == expected


@pytest.mark.parametrize("table", [*CLASSES.values(), CONTEXT_TURNS])
def test_every_class_has_both_sides_in_both_languages(table: dict) -> None:
    for lang in ("ru", "en"):
        labels = [row[-1] for row in table[lang]]
        assert sum(1 for x in labels if x) >= 4, lang
        assert sum(1 for x in labels if not x) >= 4, lang


# The rule families added for these classes: each fires on its frame and stays silent on the
# same frame with the opposite meaning (rule id or None).
RULE_ROWS = [
    ("ru", "Она что, золотая, эта ручка?", "price.sarcasm"),
    ("ru", "Это золотая цепочка или позолота?", None),
    ("ru", "Давайте за четыре ровно, и забираю", "price.bargain_offer"),
    ("ru", "Сойдёмся на пятнадцати?", "price.bargain_offer"),
    ("ru", "Давайте за три дня сделаем?", None),
    ("ru", "У соседей за девятьсот такой же", "price.comparison_counter"),
    ("ru", "У соседей за три дня сделали", None),
    ("ru", "Подняли с семисот до девятисот без предупреждения", "price.comparison_figures"),
    ("ru", "Шесть штук? Нам двадцать надо", "assortment.quantity_shortfall"),
    ("ru", "Шесть? нам как раз шесть", None),
    ("ru", "Три недели ждать? Нет", "assortment.lead_time"),
    ("ru", "Три недели ждать? Не вопрос", None),
    ("ru", "Брать нечего совсем, одни остатки", "assortment.missing_goods"),
    ("ru", "Прошлый раз полки пустые были, а теперь всё завезли", None),
    ("ru", "Налички нет совсем, только карта", None),
    ("en", "what's it made of, diamonds?", "price.sarcasm"),
    ("en", "is this chain made of gold or just plated?", None),
    ("en", "call it forty and it's yours", "price.bargain_offer"),
    ("en", "let's say Tuesday at two", None),
    ("en", "my current carrier charges thirty five for the same plan", "price.comparison_counter"),
    ("en", "my current carrier is fine, I just want a second line", None),
    ("en", "they hiked it from sixty to eighty five", "price.comparison_figures"),
    ("en", "three? we need fifteen", "assortment.quantity_shortfall"),
    ("en", "three? we need exactly three", None),
    ("en", "five weeks? no way", "assortment.lead_time"),
    ("en", "five weeks? no problem", None),
    ("en", "nothing worth buying in the whole store", "assortment.missing_goods"),
    ("en", "the shelves were bare last week, today everything's back", None),
    ("en", "I don't have cash on me, can I pay by card", None),
]


@cache
def _rules(lang: str) -> Language:
    nlp = blank_pipeline(lang)
    add_objection_rules(nlp, lang)
    return nlp


@pytest.mark.parametrize(("lang", "text", "rule_id"), RULE_ROWS)
def test_class_rules(lang: str, text: str, rule_id: str | None) -> None:
    doc = _rules(lang)(text)
    fired = {s.id_ for s in doc.spans[OBJECTION_SPANS_KEY]}
    assert fired == ({rule_id} if rule_id else set())
