"""The whole detector (rules + shipped classifier) through the public API."""

from dataclasses import dataclass

import pytest

from scoring import Finding, TrackerSpec, build_pipeline, classify_turn, find_objections

RU_TURNS = [
    # price: direct, softened, word forms and ASR slips
    ("Ну дороговато, конечно, для такого стула", {"price"}),
    ("ну дарага как то для табуретки", {"price"}),
    ("дорогова то для такой маленькой банки", {"price"}),
    ("ценник конский, честно", {"price"}),
    ("одним платежом не потяну, рассрочку можно?", {"price"}),
    ("Скидку дадите?иначе пойду в другой магазин", {"price"}),
    ("на Озоне этот же чайник в два раза меньше стоит", {"price"}),
    ("тёща говорит, за эти деньги можно взять две штуки", {"price"}),
    ("дождусь чёрной пятницы и возьму", {"price"}),
    ("есть что-нибудь попроще по цене?", {"price"}),
    # assortment
    ("а синего нету?", {"assortment"}),
    ("нужного размера опять нет в наличии", {"assortment"}),
    ("только под заказ через три недели? не подходит", {"assortment"}),
    ("выбор у вас как в сельпо", {"assortment"}),
    ("вы что, фильтры к этой марке вообще не возите?", {"assortment"}),
    # both
    ("и цена кусается, и модели нужной нет", {"price", "assortment"}),
    # not objections: questions, negation, praise, other senses, stalling
    ("сколько стоит доставка?", set()),
    ("А в кредит можно оформить?", set()),
    ("Акции сейчас действуют?", set()),
    ("не дорого, беру", set()),
    ("я не думаю, что это дорого", set()),
    ("пусть дороже, зато надёжно", set()),
    ("в наличии есть?", set()),
    ("Какие цвета есть?", set()),
    ("Дорогая, я перезвоню тебе позже", set()),
    ("подумаю, посоветуюсь с мужем", set()),
    ("выбор отличный, глаза разбегаются", set()),
    # the final stance decides: accepted at the end, the cost complaint is not an objection...
    ("сумма конечно приличная, но окупится года за два, подписываем", set()),
    ("муж ворчал, что дорого, но я его уговорила, берём", set()),
    ("ну цена, конечно, ого, но подарок же, заворачивайте", set()),
    # ...unless acceptance is refused, conditional on a concession, or followed by a new cue
    ("дорого, не беру", {"price"}),
    ("отдадите за пятнадцать — беру", {"price"}),
    ("беру, но дороговато, конечно, у соседей дешевле", {"price"}),
    ("дороговато, если скинете, тогда беру", {"price"}),
]

EN_TURNS = [
    ("that's way too pricey for a toaster", {"price"}),
    ("it's to expensive for me", {"price"}),
    ("money's tight, we can't afford that right now", {"price"}),
    ("can you knock off a hundred if I take two?", {"price"}),
    ("the big-box store sells it for less", {"price"}),
    ("my boss says that's way too much", {"price"}),
    ("I'll wait for the holiday deals", {"price"}),
    ("do you have anything cheaper?", {"price"}),
    ("no XL in this one?", {"assortment"}),
    ("so it's still not back in stock?", {"assortment"}),
    ("you guys don't sell Bosch at all?", {"assortment"}),
    ("the selection is pretty limited, honestly", {"assortment"}),
    ("pricier and fewer choices than the other store", {"price", "assortment"}),
    ("how much is delivery?", set()),
    ("Can I pay monthly?", set()),
    ("Any deals on at the moment?", set()),
    ("I'm not saying it's expensive, I just need to think", set()),
    ("it's a bit pricey, but worth every penny", set()),
    ("Is it in stock?", set()),
    ("Do you have it in a medium?", set()),
    ("it looks a bit cheap", set()),
    ("great range, found it straight away", set()),
    ("let me talk to my wife first", set()),
    # the final stance decides
    ("okay it's more than I wanted to spend but you know what, ring it up", set()),
    ("the wife reckons it's pricey, personally I think it's fine", set()),
    ("a hundred a month is a chunk but the coverage is better, sign me up", set()),
    ("that was a costly lesson with the old tenants, anyway about the locks", set()),
    ("I'm not taking it, way too pricey", {"price"}),
    ("knock off a hundred and I'll take it today", {"price"}),
    ("too pricey, I'll get back to you", {"price"}),
    ("I'll take it if you can do it for nine hundred", {"price"}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "labels"), RU_TURNS)
def test_ru_turns(text: str, labels: set[str]) -> None:
    assert set(classify_turn(text, "ru").labels) == labels


@pytest.mark.slow
@pytest.mark.parametrize(("text", "labels"), EN_TURNS)
def test_en_turns(text: str, labels: set[str]) -> None:
    assert set(classify_turn(text, "en").labels) == labels


def test_classify_turn_detects_language_and_reports_scores_and_spans() -> None:
    result = classify_turn("Скидку дадите? у конкурентов дешевле")
    assert result.lang == "ru"
    assert result.labels == ("price",)
    assert set(result.scores) == {"price", "assortment"}
    assert result.scores["price"] > result.scores["assortment"]
    assert [(s.text, s.rule) for s in result.spans] == [
        ("Скидку дадите", "price.bargain"),
        ("конкурентов дешевле", "price.comparison"),
    ]


@dataclass
class Seg:
    speaker: str | None
    start: float
    end: float
    text: str


def test_only_customer_turns_yield_objections() -> None:
    segments = [
        Seg("agent", 0.0, 3.0, "Да, цена выше средней, но и срок службы больше. Синего нет."),
        Seg("customer", 3.0, 5.5, "Дороговато. И синего нет?"),
    ]
    findings = find_objections(segments)
    assert {(f.segment_index, f.label) for f in findings} == {(1, "price"), (1, "assortment")}
    price = next(f for f in findings if f.label == "price")
    assert (price.time_start, price.time_end, price.speaker_unknown) == (3.0, 5.5, False)
    assert (price.start_char, price.end_char, price.rule_id) == (0, 10, "price.too_expensive")
    assert segments[1].text[price.start_char : price.end_char] == price.text


def test_transcription_segments_are_accepted() -> None:
    from transcription.types import Segment

    segments = (
        Segment(speaker="agent", start=0.0, end=2.0, text="Синих, к сожалению, нет."),
        Segment(speaker="customer", start=2.0, end=4.5, text="Жаль. А чёрного тоже нету?"),
        Segment(speaker="unknown", start=4.5, end=6.0, text="ну дарага как то"),
    )
    found = [(f.segment_index, f.label, f.speaker_unknown) for f in find_objections(segments)]
    assert found == [(1, "assortment", False), (2, "price", True)]


def test_unknown_speaker_is_analysed_and_marked() -> None:
    segments = [
        {"speaker": None, "start": 0, "end": 2, "text": "That's over our budget."},
        {"speaker": "unknown", "start": 2, "end": 4, "text": "Great, I'll take it."},
    ]
    findings = find_objections(segments, lang="en")
    assert [(f.segment_index, f.label, f.speaker_unknown) for f in findings] == [(0, "price", True)]


def test_classifier_only_flag_shows_sentence_and_score() -> None:
    text = "Спасибо за консультацию. Сорок тысяч за обычный стул, вы серьёзно?"
    findings = find_objections([{"speaker": "customer", "start": 0, "end": 1, "text": text}])
    assert len(findings) == 1
    finding = findings[0]
    assert finding.label == "price"
    assert finding.rule_id is None
    assert finding.start_char is None
    assert finding.end_char is None
    assert finding.text == "Сорок тысяч за обычный стул, вы серьёзно?"
    threshold = build_pipeline("ru").get_pipe("qa_objection_classifier").model.thresholds
    assert finding.score is not None
    assert finding.score >= threshold["price"]


def test_each_label_is_reported_once_per_segment() -> None:
    text = "Дорого. Очень дорого. У конкурентов дешевле."
    findings = find_objections([{"speaker": "customer", "start": 0, "end": 1, "text": text}])
    assert [f.label for f in findings] == ["price"]
    assert isinstance(findings[0], Finding)


def test_trackers_merge_with_builtin_labels() -> None:
    think = TrackerSpec("Need to think", "think_it_over", "en", ("think it over",))
    segments = [
        {"speaker": "customer", "start": 0, "end": 1, "text": "Too pricey. I'm thinking it over."}
    ]
    found = {(f.label, f.rule_id) for f in find_objections(segments, trackers=[think])}
    assert found == {("price", "price.too_expensive"), ("think_it_over", "tracker.need_to_think")}


def test_empty_and_blank_input() -> None:
    assert find_objections([]) == []
    assert find_objections([{"speaker": "customer", "start": 0, "end": 1, "text": "  "}]) == []


def test_bad_segment_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="segment 0: text must be a string"):
        find_objections([{"speaker": "customer", "start": 0, "end": 1, "text": None}])


def test_pipeline_is_built_once_per_language_and_tracker_set() -> None:
    assert build_pipeline("ru") is build_pipeline("ru")
    assert build_pipeline("en") is not build_pipeline("ru")
    with pytest.raises(ValueError, match="unsupported language 'de'"):
        build_pipeline("de")
