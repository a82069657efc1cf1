"""Objection analysis of stored transcripts and ``qa rescore``: findings replaced, reviews kept."""

from __future__ import annotations

from sqlalchemy import select

from qa.cli import main
from qa.extensions import db
from qa.models import Call, Finding, Review, ScorecardVersion, Tracker
from qa.services.calls.objections import active_tracker_specs, analyse_call
from tests.web import factories


def _ru_call(**overrides: object) -> Call:
    call = factories.make_call(language="ru", status="transcribed", **overrides)
    factories.make_segment(call, speaker="agent", start=0.0, end=2.0,
                           text="Здравствуйте, диван стоит сорок тысяч, это не дорого.")
    factories.make_segment(call, speaker="customer", start=2.5, end=5.0,
                           text="Ой, это слишком дорого для меня.")
    factories.make_segment(call, speaker="customer", start=5.5, end=8.0,
                           text="А синего цвета у вас нету?")
    return call


def _labels(call: Call) -> list[tuple[str, int]]:
    rows = db.session.scalars(
        select(Finding).where(Finding.call_id == call.id).order_by(Finding.time_start)
    )
    return [(f.label, f.segment.position) for f in rows]


def test_customer_objections_are_found_in_stored_segments(app) -> None:
    call = _ru_call()
    found = analyse_call(call)
    db.session.commit()
    # The agent's "не дорого" is neither the customer's nor an objection.
    assert _labels(call) == [("price", 1), ("assortment", 2)]
    price = next(f for f in found if f.label == "price")
    segment_text = call.segments[1].text
    assert price.segment_id == call.segments[1].id
    assert (price.time_start, price.time_end) == (2.5, 5.0)
    assert price.start_char is not None
    assert price.rule_id
    assert segment_text[price.start_char : price.end_char] == price.text
    assert "дорого" in price.text
    assert not price.speaker_unknown


def test_mono_turns_are_analysed_and_marked_speaker_unknown(app) -> None:
    call = factories.make_call(language="en", agent_channel="none")
    factories.make_segment(call, speaker="unknown",
                           text="Honestly that's way too expensive for us.")
    analyse_call(call)
    finding = db.session.scalar(select(Finding).where(Finding.call_id == call.id))
    assert finding is not None
    assert finding.label == "price"
    assert finding.speaker_unknown


def test_language_scoring_lacks_is_detected_from_the_text(app) -> None:
    call = factories.make_call(language="uk")
    factories.make_segment(call, speaker="customer",
                           text="Нет, это слишком дорого, у конкурентов дешевле.")
    assert [f.label for f in analyse_call(call)] == ["price"]


def test_analysis_replaces_findings_and_uses_corrected_text(app) -> None:
    call = _ru_call()
    analyse_call(call)
    analyse_call(call)
    assert _labels(call) == [("price", 1), ("assortment", 2)]  # not doubled
    call.segments[1].text = "Хорошо, беру, оформляйте."
    analyse_call(call)
    assert _labels(call) == [("assortment", 2)]


def test_active_trackers_are_merged_and_bad_ones_skipped(app) -> None:
    call = factories.make_call(language="ru")
    factories.make_segment(call, speaker="customer",
                           text="Мне надо подумать, я посоветуюсь с женой.")
    db.session.add_all([
        Tracker(name="Think it over", label="think_over", lang="ru", phrases=["надо подумать"]),
        Tracker(name="Competitor", label="competitor", lang="ru", phrases=["ИКЕА"], active=False),
        Tracker(name="Broken", label="has spaces", lang="ru", phrases=["жена"]),
    ])
    db.session.flush()
    assert [s.name for s in active_tracker_specs()] == ["Think it over"]
    found = analyse_call(call)
    assert [(f.label, f.text) for f in found] == [("think_over", "надо подумать")]
    assert found[0].rule_id
    assert found[0].rule_id.startswith("tracker.")


def _review(call: Call) -> Review:
    template = factories.make_scorecard()
    reviewer = factories.make_user()
    version = db.session.scalar(
        select(ScorecardVersion).where(ScorecardVersion.template_id == template.id)
    )
    review = Review(call=call, scorecard_version=version, reviewer=reviewer, score=75.0,
                    answers={"greet": {"value": True}}, comment="Хороший звонок")
    db.session.add(review)
    db.session.flush()
    return review


def test_rescore_replaces_findings_and_leaves_reviews_untouched(app, runner) -> None:
    call = _ru_call()
    other = _ru_call()
    stale_id = factories.make_finding(call, label="stale_rule", text="старое правило").id
    factories.make_finding(other, label="stale_rule", text="старое правило")
    review = _review(call)
    db.session.commit()
    review_state = (review.id, review.version, review.score, review.answers, review.updated_at)

    result = runner.invoke(main, ["rescore", "--call", str(call.id)])
    assert result.exit_code == 0, result.output
    assert f"Call #{call.id}: 2 finding(s) (assortment 1, price 1)" in result.output
    db.session.expire_all()
    assert db.session.get(Finding, stale_id) is None
    assert _labels(call) == [("price", 1), ("assortment", 2)]
    assert [f.label for f in other.findings] == ["stale_rule"]  # not named, not touched
    kept = db.session.get(Review, review.id)
    assert kept is not None
    assert (kept.id, kept.version, kept.score, kept.answers, kept.updated_at) == review_state

    result = runner.invoke(main, ["rescore", "--all"])
    assert result.exit_code == 0, result.output
    assert "Rescored 2 call(s): assortment 2, price 2." in result.output
    db.session.expire_all()
    assert _labels(other) == [("price", 1), ("assortment", 2)]


def test_rescore_needs_a_choice_and_names_calls_it_cannot_score(app, runner) -> None:
    assert runner.invoke(main, ["rescore"]).exit_code == 2
    untranscribed = factories.make_call()
    db.session.commit()
    result = runner.invoke(main, ["rescore", "--call", str(untranscribed.id), "--call", "999"])
    assert result.exit_code == 1
    assert f"call #{untranscribed.id}: no such call or no transcript yet" in result.output
    assert "call #999: no such call or no transcript yet" in result.output
