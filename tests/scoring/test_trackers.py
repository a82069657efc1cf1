"""Custom trackers: plain phrases matched on lemmas, validation, speaker filter."""

import pytest

from scoring import TrackerError, TrackerSpec, find_objections, try_tracker, validate_tracker

COMPETITORS = TrackerSpec(
    name="Конкуренты",
    label="competitor",
    lang="ru",
    phrases=("Озон", "Вайлдберриз", "М Видео", "Леруа Мерлен"),
)
THINK_RU = TrackerSpec(
    "Нужно подумать", "think_it_over", "ru", ["надо подумать", "посоветоваться с мужем"]
)
THINK_EN = TrackerSpec("Think it over", "think_it_over", "en", ("think it over", "talk to my wife"))


@pytest.mark.parametrize(
    ("spec", "text", "matched"),
    [
        (COMPETITORS, "на озоне видела дешевле", ["озоне"]),
        (COMPETITORS, "А в Леруа Мерлене такая же", ["Леруа Мерлене"]),
        (COMPETITORS, "смотрела на вайлдберризе и в м видео", ["вайлдберризе", "м видео"]),
        (COMPETITORS, "озонометр купить хочу", []),
        (THINK_RU, "мне надо подумать ещё", ["надо подумать"]),
        (THINK_RU, "посоветуюсь с мужем и перезвоню", ["посоветуюсь с мужем"]),
        (THINK_RU, "муж посоветовал взять", []),
        (THINK_EN, "I'll think it over tonight", ["think it over"]),
        (THINK_EN, "thinking it over, honestly", ["thinking it over"]),
        (THINK_EN, "I need to talk to my wife", ["talk to my wife"]),
        (THINK_EN, "my wife talks a lot", []),
    ],
)
def test_phrases_match_word_forms(spec: TrackerSpec, text: str, matched: list[str]) -> None:
    spans = try_tracker(spec, text)
    assert [s.text for s in spans] == matched
    assert all(s.label == spec.label and s.rule == spec.rule_id for s in spans)
    assert all(text[s.start : s.end] == s.text for s in spans)


def test_rule_id_is_stable_from_name() -> None:
    assert THINK_EN.rule_id == "tracker.think_it_over"
    assert COMPETITORS.rule_id == "tracker.конкуренты"
    assert TrackerSpec(" Think  it over! ", "x", "en", ("a",)).rule_id == "tracker.think_it_over"


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        (TrackerSpec("", "x", "ru", ("a",)), "name is empty"),
        (TrackerSpec("n", "two words", "ru", ("a",)), "label must be"),
        (TrackerSpec("n", "x", "de", ("a",)), "language must be one of ru, en"),
        (TrackerSpec("n", "x", "ru", ("a",), said_by="boss"), "said_by must be one of"),
        (TrackerSpec("n", "x", "ru", ("  ",)), "add at least one phrase"),
        (TrackerSpec("n", "x", "ru", ("подумать", "подумаю")), "repeats another phrase"),
        (TrackerSpec("n", "x", "en", (" ".join(["word"] * 13),)), "longer than 12 words"),
    ],
)
def test_validation_explains_problems(spec: TrackerSpec, problem: str) -> None:
    problems = validate_tracker(spec)
    assert any(problem in p for p in problems), problems
    with pytest.raises(TrackerError, match=problem):
        try_tracker(spec, "text")


def test_valid_tracker_has_no_problems() -> None:
    assert validate_tracker(COMPETITORS) == []
    assert validate_tracker(THINK_EN) == []


def test_from_dict_round_trip_and_missing_key() -> None:
    assert TrackerSpec.from_dict(THINK_RU.to_dict()) == THINK_RU
    with pytest.raises(TrackerError, match="lacks 'phrases'"):
        TrackerSpec.from_dict({"name": "n", "label": "x", "lang": "ru"})
    with pytest.raises(TypeError, match="list of strings"):
        TrackerSpec("n", "x", "ru", "одна строка")  # type: ignore[arg-type]


def test_said_by_limits_which_turns_count() -> None:
    greeting = TrackerSpec(
        "Greeting", "greeting", "en", ("thank you for calling",), said_by="agent"
    )
    segments = [
        {
            "speaker": "agent",
            "start": 0.0,
            "end": 2.0,
            "text": "Thank you for calling, how can I help?",
        },
        {"speaker": "customer", "start": 2.0, "end": 4.0, "text": "Thank you for calling me back."},
        {"speaker": "customer", "start": 4.0, "end": 6.0, "text": "I need to talk to my wife."},
    ]
    found = find_objections(segments, trackers=[greeting, THINK_EN])
    assert [(f.segment_index, f.label) for f in found] == [(0, "greeting"), (2, "think_it_over")]


def test_tracker_in_other_language_is_ignored() -> None:
    segments = [{"speaker": "customer", "start": 0, "end": 1, "text": "мне надо подумать"}]
    assert find_objections(segments, trackers=[THINK_EN]) == []
    found = find_objections(segments, trackers=[THINK_EN, THINK_RU])
    assert [(f.label, f.rule_id, f.score) for f in found] == [
        ("think_it_over", "tracker.нужно_подумать", None)
    ]
