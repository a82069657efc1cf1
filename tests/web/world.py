"""One stored object of every kind a URL names, for tests that walk the whole URL map."""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import current_app
from werkzeug.routing import Rule

from qa.extensions import db
from qa.models import (
    AdAudit,
    AdText,
    AdVideo,
    ApiToken,
    CalibrationSession,
    CoachingAssignment,
    CoachingExample,
    Comment,
    Dispute,
    GlossaryTerm,
    Notification,
    ObjectionCorrection,
    PayStatement,
    PersonalDataErasure,
    Review,
    SamplingRule,
    SegmentEdit,
    ShopEvidence,
    ShopReport,
    Tracker,
    TranscriptionJob,
)
from qa.services.quality.subjects import subject_for_call
from tests.web import factories


def build(admin_id: int, participants: Sequence[Any] = ()) -> dict[str, Any]:
    """Store the objects; return URL variable name -> a value that finds one of them.

    ``participants`` (users) take part in the calibration session.
    """
    agent = factories.make_agent()
    campaign = factories.make_campaign()
    call = factories.make_call(status="transcribed", agent_id=agent.id, duration=12.0)
    segment = factories.make_segment(call, text="Это дорого для нас.", speaker="customer")
    finding = factories.make_finding(call, segment_id=segment.id, text="дорого",
                                     start_char=4, end_char=10)
    template = factories.make_scorecard()
    version = template.versions[0]
    review = Review(call=call, scorecard_version=version, score=80.0, reviewer_id=admin_id)
    ad = AdText(campaign=campaign, text="Скидка 20% до 31 марта. Звоните!", lang="ru")
    audit = AdAudit(ad_text=ad, has_offer=True, has_deadline=True, has_cta=True)
    tracker = Tracker(name="Competitor", label="competitor", phrases=["конкурент"])
    term = GlossaryTerm(term="Acme")
    rule = SamplingRule(name="Weekly", kind="random_per_agent")
    session = CalibrationSession(name="March", scorecard_version=version)
    subject = subject_for_call(call)
    session.subjects.append(subject)
    session.participants.extend(participants)
    token = ApiToken(name="CRM", token_hash="0" * 64, prefix="qa_0000")
    job = TranscriptionJob(call=call, status="queued")
    correction = ObjectionCorrection(
        call=call, segment=segment, finding=finding, kind="wrong", label="price", start_char=4,
        end_char=10, text="дорого", segment_text=segment.text, lang="ru", status="pending",
    )
    edit = SegmentEdit(segment=segment, old_text=segment.text, new_text=segment.text)
    db.session.add_all([review, ad, audit, tracker, term, rule, session, token, job, correction,
                        edit])
    shopper = factories.make_user(role="shopper")
    assignment = factories.make_assignment(shopper, state="in_progress")
    report = ShopReport(assignment=assignment, answers={})
    evidence = ShopEvidence(report=report, kind="photo", stored_name="0" * 32 + ".jpg",
                            original_name="shelf.jpg", mime_type="image/jpeg", size_bytes=1,
                            sha256="0" * 64)
    db.session.add_all([report, evidence])
    db.session.flush()
    dispute = Dispute(review=review, item_key="*", reason="The score is wrong, listen again.")
    example = CoachingExample(call=call, segment=segment, start_s=0.0, end_s=1.0, kind="good",
                              note="Listen to how the price is explained.", lang="ru")
    employee = factories.make_user(role="employee")
    coaching = CoachingAssignment(example=example, assignee=employee)
    db.session.add_all([dispute, example, coaching])
    comment = Comment(call=call, segment=segment, time_start=0.0, time_end=1.0,
                      author_id=admin_id, body="Listen to the greeting.")
    notice = Notification(recipient_id=admin_id, kind="comment.reply", params={},
                          link=f"/calls/{call.id}")
    db.session.add_all([comment, notice])
    statement = PayStatement(
        agent=agent, period=date(2026, 3, 1), role="seller", state="draft",
        lines=[{"key": "fixed", "kind": "fixed", "amount": "25000.00"}], sources={},
        fixed=Decimal("25000.00"), variable=Decimal("0.00"), total=Decimal("25000.00"),
    )
    db.session.add(statement)
    video = store_ad_video(campaign.id)
    erasure = PersonalDataErasure(scope="phone", target="+7••••••••67", requested_by="Пётр",
                                  actor_name="Admin", summary={"calls": [call.id]})
    db.session.add(erasure)
    db.session.flush()
    return {
        "call_id": call.id,
        "segment_id": segment.id,
        "finding_id": finding.id,
        "correction_id": correction.id,
        "review_id": review.id,
        "template_id": template.id,
        "campaign_id": campaign.id,
        "ad_id": ad.id,
        "audit_id": audit.id,
        "agent_id": agent.id,
        "user_id": admin_id,
        "tracker_id": tracker.id,
        "term_id": term.id,
        "rule_id": rule.id,
        "session_id": session.id,
        "subject_id": subject.id,
        "token_id": token.id,
        "location_id": assignment.location_id,
        "scenario_id": assignment.wave.scenario_id,
        "wave_id": assignment.wave_id,
        "assignment_id": assignment.id,
        "visit_id": assignment.id,
        "evidence_id": evidence.id,
        "dispute_id": dispute.id,
        "example_id": example.id,
        "coaching_id": coaching.id,
        "comment_id": comment.id,
        "notice_id": notice.id,
        "job_id": job.id,
        "edit_id": edit.id,
        "statement_id": statement.id,
        "kind": "leads",
        "video_id": video.id,
        "shop_id": assignment.id,
        "record_id": erasure.id,
        "fmt": "txt",
        "token": "unknown-batch",
        "filename": "qa.css",
    }


def store_ad_video(campaign_id: int) -> AdVideo:
    """An ad video whose file is stored (a small fixture with no audio track: no speech)."""
    relative = "00/" + "0" * 64 + ".mov"
    target = Path(current_app.config["RECORDINGS_DIR"]) / "ad-videos" / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(__file__).resolve().parents[1] / "data" / "video" / "en_no_audio.mov",
                    target)
    video = AdVideo(
        campaign_id=campaign_id, original_filename="spring.mov", video_path=relative,
        sha256="0" * 64, size_bytes=target.stat().st_size, duration=2.0, width=384, height=216,
        has_audio=False, lang="en",
    )
    db.session.add(video)
    return video


def url_for_rule(rule: Rule, values: dict[str, Any]) -> str:
    """The rule's path with every variable filled from ``values``."""
    return re.sub(
        r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", lambda m: str(values[m.group(1)]), rule.rule
    )
