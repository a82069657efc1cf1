"""Scorecard arithmetic: every expected score below is computed by hand in the comment beside it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from scoring.scorecard import (
    NA,
    ScorecardDefinition,
    ScorecardError,
    compute_score,
    normalize_answer,
)

RAW: dict[str, Any] = {
    "sections": [
        {
            "title": "Opening",
            "items": [
                {"key": "greet", "text": "Greets the customer", "type": "yes_no", "weight": 1},
                {"key": "needs", "text": "Finds out needs", "type": "scale", "max": 4, "weight": 2},
            ],
        },
        {
            "title": "Objections",
            "items": [
                {
                    "key": "price",
                    "text": "Handles the price objection",
                    "type": "yes_no",
                    "weight": 3,
                    "critical": True,
                    "guidance": "Value before discount.",
                    "suggest_from": "price",
                },
                {"key": "close", "text": "Closes", "type": "scale", "max": 5, "weight": 1},
                {"key": "note", "text": "Mentions the loyalty card", "type": "yes_no",
                 "weight": 0},
            ],
        },
    ]
}
DEFINITION = ScorecardDefinition.from_dict(RAW)


def _answers(**overrides: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {"greet": "yes", "needs": 4, "price": "yes", "close": 5, "note": "no"}
    answers.update(overrides)
    return answers


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # everything at its best: 7 of 7
        (_answers(), 100.0),
        # 1 + 2*3/4 + 3 + 1*2/5 = 1 + 1.5 + 3 + 0.4 = 5.9 of 7
        (_answers(needs=3, close=2), 5.9 / 7 * 100),
        # greet no, needs 0: 0 + 0 + 3 + 1 = 4 of 7
        (_answers(greet="no", needs=0), 4 / 7 * 100),
        # greet and close N/A: (2*2/4 + 3) / (2 + 3) = 4 / 5
        (_answers(greet=NA, needs=2, close=NA), 80.0),
        # the critical item N/A does not fail: (1 + 2*1/4 + 1*5/5) / (1 + 2 + 1) = 2.5 / 4
        (_answers(price=NA, needs=1), 62.5),
        # the weight-0 item changes nothing whatever its answer
        (_answers(needs=3, close=2, note="yes"), 5.9 / 7 * 100),
        (_answers(needs=3, close=2, note=NA), 5.9 / 7 * 100),
    ],
)
def test_weighted_percentage(answers: dict[str, Any], expected: float) -> None:
    result = compute_score(DEFINITION, answers)
    assert result.score == pytest.approx(expected)
    assert result.failed_critical is False


def test_earned_and_possible_are_reported_per_item() -> None:
    result = compute_score(DEFINITION, _answers(greet=NA, needs=3, close=2))
    by_key = {item.key: item for item in result.items}
    assert (by_key["greet"].earned, by_key["greet"].possible) == (0.0, 0.0)
    assert not by_key["greet"].applicable
    assert (by_key["needs"].earned, by_key["needs"].possible) == (1.5, 2.0)
    assert by_key["close"].earned == pytest.approx(0.4)
    assert (result.earned, result.possible) == (pytest.approx(4.9), 6.0)


def test_failed_critical_item_zeroes_the_score() -> None:
    result = compute_score(DEFINITION, _answers(price="no"))
    assert result.score == 0.0
    assert result.failed_critical is True
    # the rest is still reported: 1 + 2 + 0 + 1 of 7
    assert (result.earned, result.possible) == (4.0, 7.0)
    assert [i.key for i in result.items if i.failed_critical] == ["price"]


def test_critical_scale_item_fails_at_zero_only() -> None:
    raw = copy.deepcopy(RAW)
    raw["sections"][0]["items"][1]["critical"] = True
    definition = ScorecardDefinition.from_dict(raw)
    assert compute_score(definition, _answers(needs=0)).score == 0.0
    assert compute_score(definition, _answers(needs=0)).failed_critical
    # needs 1 of 4: 1 + 0.5 + 3 + 1 = 5.5 of 7
    assert compute_score(definition, _answers(needs=1)).score == pytest.approx(5.5 / 7 * 100)


def test_failed_critical_wins_over_everything_else_being_na() -> None:
    answers = {"greet": NA, "needs": NA, "price": "no", "close": NA, "note": NA}
    result = compute_score(DEFINITION, answers)
    assert (result.score, result.failed_critical) == (0.0, True)


def test_all_na_gives_no_score() -> None:
    answers = {key: NA for key in ("greet", "needs", "price", "close", "note")}
    result = compute_score(DEFINITION, answers)
    assert result.score is None
    assert (result.earned, result.possible, result.failed_critical) == (0.0, 0.0, False)


def test_only_weightless_items_applicable_gives_no_score() -> None:
    answers = {"greet": NA, "needs": NA, "price": NA, "close": NA, "note": "yes"}
    assert compute_score(DEFINITION, answers).score is None


def test_fractional_weights() -> None:
    definition = ScorecardDefinition.from_dict(
        {"sections": [{"title": "S", "items": [
            {"key": "a", "text": "A", "type": "yes_no", "weight": 0.5},
            {"key": "b", "text": "B", "type": "scale", "max": 3, "weight": 1.5},
        ]}]}
    )
    # 0.5 + 1.5 * 2/3 = 1.5 of 2.0
    assert compute_score(definition, {"a": "yes", "b": 2}).score == pytest.approx(75.0)


def test_missing_and_unknown_answers_are_refused() -> None:
    answers = _answers()
    del answers["close"]
    with pytest.raises(ScorecardError, match="Closes: no answer given"):
        compute_score(DEFINITION, answers)
    with pytest.raises(ScorecardError, match="not on the scorecard"):
        compute_score(DEFINITION, _answers(extra="yes"))


@pytest.mark.parametrize(
    ("key", "raw", "expected"),
    [
        ("greet", "yes", "yes"),
        ("greet", "Yes ", "yes"),
        ("greet", "да", "yes"),
        ("greet", True, "yes"),
        ("greet", 1, "yes"),
        ("greet", "no", "no"),
        ("greet", "нет", "no"),
        ("greet", False, "no"),
        ("greet", "N/A", NA),
        ("greet", "na", NA),
        ("needs", "3", 3),
        ("needs", 0, 0),
        ("needs", 4.0, 4),
        ("needs", "NA", NA),
    ],
)
def test_normalize_answer(key: str, raw: Any, expected: Any) -> None:
    assert normalize_answer(DEFINITION.item(key), raw) == expected


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("greet", "maybe", "answer yes, no or N/A"),
        ("greet", None, "answer yes, no or N/A"),
        ("greet", 3, "answer yes, no or N/A"),
        ("needs", 5, "from 0 to 4"),
        ("needs", -1, "from 0 to 4"),
        ("needs", "-1", "from 0 to 4"),
        ("needs", 2.5, "from 0 to 4"),
        ("needs", True, "from 0 to 4"),
        ("needs", "yes", "from 0 to 4"),
        ("needs", "", "from 0 to 4"),
    ],
)
def test_invalid_answers(key: str, raw: Any, message: str) -> None:
    with pytest.raises(ScorecardError, match=message):
        normalize_answer(DEFINITION.item(key), raw)


def _item(**fields: Any) -> dict[str, Any]:
    return {"key": "k", "text": "Question", "type": "yes_no", "weight": 1, **fields}


def _one_item(**fields: Any) -> dict[str, Any]:
    return {"sections": [{"title": "S", "items": [_item(**fields)]}]}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "must be an object"),
        ({}, "at least one section"),
        ({"sections": []}, "at least one section"),
        ({"sections": ["x"]}, "section 1: must be an object"),
        ({"sections": [{"title": " ", "items": [_item()]}]}, "section 1: the title is required"),
        ({"sections": [{"title": "S", "items": []}]}, r"section 1 \(S\): add at least one item"),
        (_one_item(key="Bad Key"), "key must be"),
        (_one_item(key=""), "key must be"),
        (_one_item(text=""), r"item 1 \(k\): the question text is required"),
        (_one_item(type="stars"), "type must be one of yes_no, scale"),
        (_one_item(weight="heavy"), "weight must be a number"),
        (_one_item(weight=True), "weight must be a number"),
        (_one_item(weight=float("nan")), "weight must be a number"),
        (_one_item(weight=-1), "weight cannot be negative"),
        (_one_item(type="scale"), "a scale item needs an integer max"),
        (_one_item(type="scale", max=0), "max must be between 1 and 100"),
        (_one_item(type="scale", max=101), "max must be between 1 and 100"),
        (_one_item(type="scale", max=2.5), "a scale item needs an integer max"),
        (_one_item(max=3), "only scale items take a max"),
        (_one_item(critical="yes"), "critical must be true or false"),
        (_one_item(guidance=5), "guidance must be text"),
        (_one_item(suggest_from=5), "suggest_from must be a flag label"),
        (_one_item(colour="red"), r"unknown fields \['colour'\]"),
        (
            {"sections": [{"title": "A", "items": [_item()]}, {"title": "B", "items": [_item()]}]},
            "section 2, item 1: key 'k' is used twice",
        ),
    ],
)
def test_definition_validation(raw: Any, message: str) -> None:
    with pytest.raises(ScorecardError, match=message):
        ScorecardDefinition.from_dict(raw)


def test_round_trip_and_lookups() -> None:
    assert ScorecardDefinition.from_dict(DEFINITION.to_dict()) == DEFINITION
    assert [item.key for item in DEFINITION.items] == ["greet", "needs", "price", "close", "note"]
    price = DEFINITION.item("price")
    assert (price.critical, price.weight, price.suggest_from) == (True, 3.0, "price")
    assert DEFINITION.item("needs").choices() == (0, 1, 2, 3, 4, NA)
    assert DEFINITION.item("greet").choices() == ("yes", "no", NA)
    with pytest.raises(ScorecardError, match="no item 'nope'"):
        DEFINITION.item("nope")


def test_defaults_are_filled() -> None:
    definition = ScorecardDefinition.from_dict(
        {"sections": [{"title": " Close ",
                       "items": [{"key": "a", "text": " Asks ", "type": "yes_no"}]}]}
    )
    item = definition.item("a")
    assert (definition.sections[0].title, item.text, item.weight, item.critical) == (
        "Close", "Asks", 1.0, False,
    )
    assert item.to_dict() == {
        "key": "a", "text": "Asks", "type": "yes_no", "weight": 1.0, "critical": False,
        "guidance": "",
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (_one_item(weight=1e308), r"weight must be between 0 and 1000"),
        (_one_item(weight=1000.5), r"weight must be between 0 and 1000"),
        (_one_item(weight=float("inf")), "weight must be a number"),
        (_one_item(weight=float("-inf")), "weight must be a number"),
        (_one_item(text="Asks\x00"), r"the question text contains control characters"),
        (_one_item(text="q" * 501), r"the question text is longer than 500 characters"),
        (_one_item(guidance="g" * 2001), r"the guidance is longer than 2000 characters"),
        (_one_item(guidance="\x07bell"), r"the guidance contains control characters"),
        ({"sections": [{"title": "S\x00", "items": [_item()]}]}, "title contains control"),
        ({"sections": [{"title": "T" * 201, "items": [_item()]}]}, "longer than 200"),
        ({"sections": [{"title": "S", "items": [_item(key=f"k{i}") for i in range(301)]}]},
         "at most 300 items"),
        ({"sections": [{"title": f"S{i}", "items": [_item(key=f"k{i}")]} for i in range(51)]},
         "at most 50 sections"),
    ],
)
def test_definition_limits(raw: Any, message: str) -> None:
    with pytest.raises(ScorecardError, match=message):
        ScorecardDefinition.from_dict(raw)


def test_limits_at_the_edge_are_accepted() -> None:
    raw = {"sections": [{"title": "T" * 200, "items": [
        _item(key="a", weight=1000, text="q" * 500, guidance="g" * 2000),
        _item(key="b", weight=0),
    ]}]}
    definition = ScorecardDefinition.from_dict(raw)
    assert [i.weight for i in definition.items] == [1000.0, 0.0]


def test_huge_stored_weights_still_give_a_finite_score() -> None:
    # Stored before the weight limit: 1e308 + 1e308 overflows to inf, and inf / inf is NaN.
    raw = {"sections": [{"title": "S", "items": [
        _item(key="a", weight=1e308), _item(key="b", weight=1e308), _item(key="c", weight=1),
    ]}]}
    with pytest.raises(ScorecardError):
        ScorecardDefinition.from_dict(raw)
    definition = ScorecardDefinition.from_dict(raw, check_limits=False)
    result = compute_score(definition, {"a": "yes", "b": "no", "c": "yes"})
    # a earns 1e308 of 2e308 + 1: 50 % (c's weight vanishes beside them)
    assert result.score == pytest.approx(50.0)
    full = compute_score(definition, {"a": "yes", "b": "yes", "c": "yes"})
    assert full.score == 100.0


def test_tiny_weights_give_the_same_score_as_their_ratio() -> None:
    raw = {"sections": [{"title": "S", "items": [
        _item(key="a", weight=5e-324), _item(key="b", weight=1e-323),
    ]}]}
    definition = ScorecardDefinition.from_dict(raw)
    # 5e-324 and 1e-323 are one and two of the smallest float: a yes earns a third
    assert compute_score(definition, {"a": "yes", "b": "no"}).score == pytest.approx(100 / 3)
