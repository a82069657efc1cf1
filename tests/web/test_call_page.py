"""The call page: conversation, inline flags (escaped), side panel, timeline, roles, facts."""

from __future__ import annotations

import pytest

from qa.extensions import db
from qa.models import Finding
from qa.services.calls.conversation_facts import conversation_facts, merge_intervals
from tests.web import factories


@pytest.fixture(autouse=True)
def english(client):  # type: ignore[no-untyped-def]
    """Assertions read the English UI whatever the catalogs hold."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _flagged_call():  # type: ignore[no-untyped-def]
    agent = factories.make_agent(name="Анна")
    call = factories.make_call(
        title="Диваны <b>",
        agent=agent,
        status="transcribed",
        duration=40.0,
        channels=2,
        agent_channel="left",
        language="ru",
    )
    greet = factories.make_segment(
        call, speaker="agent", start=0.0, end=3.0, text="Здравствуйте, чем помочь?"
    )
    price = factories.make_segment(
        call,
        speaker="customer",
        start=10.0,
        end=14.0,
        text="<script>x</script> Это слишком дорого, правда.",
    )
    whole = factories.make_segment(
        call,
        speaker="customer",
        start=20.0,
        end=24.0,
        text="Мне бы другой цвет.",
        suspect=True,
        suspect_reason="repeated phrase",
    )
    start = price.text.index("слишком")
    db.session.add_all(
        [
            Finding(
                call=call,
                segment=price,
                label="price",
                rule_id="price.too_expensive",
                start_char=start,
                end_char=start + len("слишком дорого"),
                text="слишком дорого",
                time_start=10.0,
                time_end=14.0,
            ),
            Finding(
                call=call,
                segment=whole,
                label="assortment",
                score=0.91,
                text="Мне бы другой цвет.",
                time_start=20.0,
                time_end=24.0,
            ),
        ]
    )
    db.session.commit()
    return call, greet, price, whole


def test_call_page_shows_conversation_with_escaped_inline_flags(client, login) -> None:
    login.as_role("reviewer")
    call, greet, price, whole = _flagged_call()
    response = client.get(f"/calls/{call.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Диваны &lt;b&gt;" in html
    assert "<b>" not in html.split("<main")[1].split("</h1>")[0]
    # The flagged words are marked, the text around them escaped.
    assert (
        f'&lt;script&gt;x&lt;/script&gt; Это <mark class="flag flag-price" '
        f'data-finding-id="{call.findings[0].id}" title="Price objection">слишком дорого</mark>'
        ", правда."
    ) in html
    assert "<script>x</script>" not in html
    # Classifier-only flag: the whole line carries a badge.
    assert (
        f'id="seg-{whole.id}" class="transcript-line speaker-customer has-flag is-suspect"' in html
    )
    assert 'title="repeated phrase">check</span>' in html
    # Lines carry their times for the player; the side panel lists both flags in time order.
    assert f'id="seg-{greet.id}" class="transcript-line speaker-agent"' in html
    assert 'data-start="10.0" data-end="14.0"' in html
    panel = html.split('id="flag-list"')[1].split("</ul>")[0]
    assert panel.index('data-time="10.0"') < panel.index('data-time="20.0"')
    assert f'data-segment-id="{price.id}"' in panel
    # Timeline markers at 10/40 = 25% and 20/40 = 50% of the call.
    assert 'class="timeline-marker flag-price" data-left="25.0" data-width="10.0"' in html
    assert 'class="timeline-marker flag-assortment" data-left="50.0" data-width="10.0"' in html
    assert f'src="/calls/{call.id}/recording"' in html
    # Editing tools for a reviewer; no mono speaker tools on a stereo call.
    assert f'id="edit-{price.id}"' in html
    assert 'id="swap-roles-form"' in html
    assert 'id="speaker-form"' not in html


def test_time_parameter_starts_player_there(client, login) -> None:
    login.as_role("marketing")
    call, *_ = _flagged_call()
    html = client.get(f"/calls/{call.id}?t=12.5").get_data(as_text=True)
    assert 'data-start="12.5"' in html
    assert 'data-start="0.0" data-duration' in client.get(f"/calls/{call.id}?t=-4").get_data(
        as_text=True
    )


def test_marketing_sees_the_call_read_only(client, login) -> None:
    login.as_role("marketing")
    call, _, price, _ = _flagged_call()
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "слишком дорого</mark>" in html
    assert f'id="edit-{price.id}"' not in html
    assert 'id="swap-roles-form"' not in html
    assert 'class="scorecard"' not in html


def test_pending_call_shows_job_panel(client, login) -> None:
    login.as_role("reviewer")
    call = factories.make_call(status="failed", error="The file is not audio: notes.wav")
    db.session.commit()
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert 'id="job-panel"' in html
    assert "The file is not audio: notes.wav" in html
    assert f'action="/calls/{call.id}/retry"' in html


def test_reviewer_gets_the_scorecard_beside_the_transcript(client, login) -> None:
    login.as_role("reviewer")
    call, *_ = _flagged_call()
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    scorecard = html.split('id="scorecard"')[1]
    assert 'class="scorecard"' in scorecard


def _facts_call(channels: int, agent_channel: str):  # type: ignore[no-untyped-def]
    call = factories.make_call(
        status="transcribed", duration=20.0, channels=channels, agent_channel=agent_channel
    )
    for speaker, start, end, text in [
        ("agent", 0.0, 4.0, "Добрый день, салон мебели"),  # 4 words
        ("customer", 3.5, 6.0, "Сколько стоит диван"),  # starts 0.5 s into the agent's turn
        ("agent", 6.5, 8.0, "Сорок тысяч"),
        ("agent", 9.0, 12.0, "Есть рассрочка тоже"),  # 1 s pause: same monologue 6.5..12
        ("customer", 11.9, 13.0, "Понятно, спасибо"),  # 0.1 s overlap: jitter, not interruption
        ("agent", 16.0, 18.0, "Всего"),
    ]:
        factories.make_segment(call, speaker=speaker, start=start, end=end, text=text)
    db.session.commit()
    return call


def test_conversation_facts_against_hand_computed_values(app) -> None:
    facts = conversation_facts(_facts_call(2, "left"))
    assert facts.talk == {"agent": 10.5, "customer": 3.6, "unknown": 0.0}
    assert facts.talk_ratio == pytest.approx(10.5 / 14.1)
    # Speech covers 0-6, 6.5-8, 9-13 and 16-18: 13.5 of 20 seconds.
    assert facts.silence_share == pytest.approx(0.325)
    longest = facts.longest_monologue
    assert (longest.speaker, longest.start, longest.end) == ("agent", 6.5, 12.0)
    assert facts.longest_by_speaker["customer"].duration == pytest.approx(2.5)
    assert facts.interruptions == {"agent": 0, "customer": 1}
    assert facts.overlap_seconds == pytest.approx(0.6)
    assert facts.words_per_minute == {
        "agent": round(10 / (10.5 / 60), 1),
        "customer": round(5 / (3.6 / 60), 1),
    }


def test_mono_calls_report_no_interruptions(app) -> None:
    facts = conversation_facts(_facts_call(1, "none"))
    assert facts.interruptions is None
    assert facts.overlap_seconds is None
    assert facts.talk_ratio == pytest.approx(10.5 / 14.1)


def test_long_pause_ends_a_monologue_and_unknown_roles_have_no_ratio(app) -> None:
    call = factories.make_call(
        status="transcribed", duration=10.0, channels=1, agent_channel="none"
    )
    factories.make_segment(call, speaker="unknown", start=0.0, end=3.0, text="а")
    factories.make_segment(call, speaker="unknown", start=5.5, end=9.0, text="б")
    db.session.commit()
    facts = conversation_facts(call)
    assert facts.talk_ratio is None
    assert facts.longest_monologue is None
    assert facts.silence_share == pytest.approx(1 - 6.5 / 10)
    for segment in call.segments:
        segment.speaker = "agent"
    facts = conversation_facts(call)
    assert (facts.longest_monologue.start, facts.longest_monologue.end) == (5.5, 9.0)
    assert merge_intervals([(5, 6), (0, 2), (1, 3), (3, 4)]) == [(0, 4), (5, 6)]


def test_facts_on_the_page(client, login) -> None:
    login.as_role("reviewer")
    call = _facts_call(2, "left")
    html = client.get(f"/calls/{call.id}").get_data(as_text=True)
    facts = html.split('id="conversation-facts"')[1].split("</section>")[0]
    assert '<strong class="fact-talk-ratio">74 : 26</strong>' in facts
    assert "agent 0 · customer 1" in facts
    assert 'data-time="6.5">0:06</button>' in facts
