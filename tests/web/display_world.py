"""A company with something of everything, every stored time set to one known UTC instant.

Used by the display tests: every page of the URL map is rendered over it, in Russian and in
English, and checked for raw stored values and for times not in the company's zone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import DateTime, select, update

from qa.extensions import db
from qa.models import (
    AdAuditMark,
    Appointment,
    AssignmentEvent,
    AuditEvent,
    Call,
    CoachingAssignment,
    CoachingExample,
    CoachingTag,
    Dispute,
    GlossaryTerm,
    ObjectionCorrection,
    ObjectionModelVersion,
    PersonalDataErasure,
    Review,
    ReviewAcknowledgement,
    ReviewAssignment,
    ReviewDraft,
    SamplingRule,
    ScorecardDefault,
    ScorecardTemplate,
    SegmentEdit,
    ShopEvidence,
    ShopReport,
    Tracker,
    TranscriptionJob,
    User,
    Wave,
    WorkerHeartbeat,
)
from qa.models._base import utcnow
from qa.services.admin.api_tokens import create_token
from qa.services.admin.settings import company_settings
from qa.services.marketing import ad_videos
from qa.services.marketing import ads as ad_service
from qa.services.notifications import inbox
from qa.services.pay import plans as pay_plans
from qa.services.pay import statements as pay_statements
from qa.services.quality import comments
from qa.services.quality.calibration import create_session
from qa.services.quality.reviews import save_review
from qa.services.quality.scorecards import definition_of
from qa.services.quality.subjects import subject_for_call, subject_for_shop
from qa.services.tabular import Table, TableRow
from qa.vocabulary import (
    APPOINTMENT_KIND,
    CALL_STATUS,
    JOB_STATUS,
    LEAD_CHANNEL,
    LEAD_STATUS,
    MODEL_STATUS,
    SHOP_STATE,
)
from tests.web import factories

ZONE = "Asia/Vladivostok"  # UTC+10 all year
# Late evening in UTC is already the next morning in Vladivostok: a day shown from the UTC
# value would be the 28th.
KNOWN_UTC = datetime(2026, 2, 28, 17, 37, 41, 123456)
LOCAL_DAY = date(2026, 3, 1)
LOCAL_TIME = {"ru": "03:37", "en": "3:37\u202fAM"}
LOCAL_ISO = "2026-03-01T03:37:41+10:00"

SCORECARD: dict[str, Any] = {
    "sections": [
        {
            "title": "Начало разговора",
            "items": [
                {"key": "greet", "text": "Приветствует клиента", "type": "yes_no", "weight": 1},
                {"key": "price", "text": "Отрабатывает возражение о цене", "type": "yes_no",
                 "weight": 2, "suggest_from": "price"},
            ],
        }
    ]
}
# Columns whose value changes what a row means, not when it happened: left as they are.
KEEP_NULL = {"revoked_at", "locked_until", "closed_at", "lease_expires_at"}


@dataclass
class World:
    admin: User
    ids: dict[str, int] = field(default_factory=dict)
    api_token: str = ""
    batch_token: str = ""
    # Pages beyond one per URL rule: every call (one per status), every campaign.
    more_pages: list[str] = field(default_factory=list)


def build(app: Flask) -> World:
    settings = company_settings()
    settings.timezone = ZONE
    settings.name = "Мебельный салон"
    # Personal data redacted: the call pages show the redaction bar, and the original once.
    settings.redact_transcripts = True
    admin = factories.make_user(role="admin", name="Анна Админова", email="admin@example.com")
    reviewer = factories.make_user(role="reviewer", name="Роман Ревьюеров")
    agent = factories.make_agent(name="Ольга Продажина", team="Розница")
    mass = factories.make_campaign(name="Диваны весна", kind="mass", channel="search",
                                   starts_on=date(2026, 2, 1), ends_on=date(2026, 3, 31),
                                   spend=Decimal("50000"), views=1000)
    targeted = factories.make_campaign(name="Кухни на заказ", kind="targeted", channel="social",
                                       spend=Decimal("20000"), views=100)
    leads = []
    for n, (status, channel) in enumerate(
        (s, c) for s in LEAD_STATUS.values for c in LEAD_CHANNEL.values
    ):
        leads.append(factories.make_lead(
            external_id=f"Л-{n}", status=status, channel=channel, phone=f"+7914000{n:04d}",
            campaign=mass if n % 2 else targeted, customer_id=f"клиент-{n % 3}",
            name="Покупатель", sale_amount=Decimal("15000") if status == "won" else None,
        ))
    calls = {}
    for n, status in enumerate(CALL_STATUS.values):
        calls[status] = factories.make_call(
            status=status, title=f"Звонок {n}", original_filename=f"звонок-{n}.wav",
            agent=agent, campaign=mass, lead=leads[n], called_at=KNOWN_UTC, duration=65.0,
            language="ru", error="Файл повреждён" if status == "failed" else None,
        )
    call = calls["transcribed"]
    greeting = factories.make_segment(call, speaker="agent", text="Добрый день, салон мебели.")
    objection = factories.make_segment(call, speaker="customer", start=1.0, end=3.0,
                                       text="Дороговато, и нужного цвета нет.")
    price = factories.make_finding(call, label="price", segment_id=objection.id,
                                   text="Дороговато", start_char=0, end_char=10,
                                   model_version="54886f4b2f76")
    factories.make_finding(call, label="assortment", segment_id=objection.id,
                           text="нужного цвета нет", time_start=2.0, time_end=3.0)
    for kind, status, finding in (("wrong", "accepted", price), ("missed", "pending", None),
                                  ("missed", "rejected", None)):
        db.session.add(ObjectionCorrection(
            call_id=call.id, segment_id=objection.id, finding_id=finding.id if finding else None,
            kind=kind, label="price", start_char=0, end_char=10, text="Дороговато",
            segment_text=objection.text, context=greeting.text, lang="ru", status=status,
            created_by_id=reviewer.id, decided_by_id=admin.id if status != "pending" else None,
            decided_at=KNOWN_UTC if status != "pending" else None,
            decision_note="Проверено" if status != "pending" else None,
        ))
    db.session.add(SegmentEdit(segment_id=greeting.id, user_id=admin.id,
                               old_text="Добрый день", new_text=greeting.text))
    for status in JOB_STATUS.values:
        db.session.add(TranscriptionJob(call_id=calls["queued"].id, status=status,
                                        attempts=1, progress=0.5))
    # A worker beating now (the jobs page shows only recent ones), started at the known time.
    db.session.add(WorkerHeartbeat(name="worker-1:101", host="worker-1", pid=101,
                                   started_at=KNOWN_UTC, last_heartbeat=utcnow(), jobs_done=3,
                                   concurrency=2, worker_type="process",
                                   settings={"model": "base", "compute_type": "int8"}))
    template = factories.make_scorecard(SCORECARD, name="Оценка звонка", language="ru",
                                        default_for=("ru",))
    template.defaults.append(ScorecardDefault(kind="team", value="Розница"))
    version = template.versions[0]
    review = save_review(subject_for_call(call), version, admin,
                         values={"greet": "yes", "price": "no"},
                         comments={}, comment="Хорошо поздоровался")
    rule = SamplingRule(name="Случайные звонки", kind="random_per_agent", count=2,
                        period="week", template_id=template.id, reviewer_id=reviewer.id,
                        last_run_at=KNOWN_UTC)
    db.session.add(rule)
    db.session.flush()
    db.session.add_all([
        ReviewAssignment(subject=subject_for_call(calls["transcribed"]), reviewer_id=admin.id,
                         rule_id=rule.id, template_id=template.id),
        ReviewAssignment(subject=subject_for_call(calls["uploaded"]), reviewer_id=admin.id,
                         rule_id=rule.id,
                         template_id=template.id, status="done", review_id=review.id,
                         done_at=KNOWN_UTC),
    ])
    # The admin's unsubmitted draft of a queued call (shown with its time on the call page).
    db.session.add(ReviewDraft(subject_id=subject_for_call(calls["transcribed"]).id,
                               user_id=admin.id, scorecard_version_id=version.id,
                               answers={"greet": {"value": "yes"}}, comment="Черновик",
                               updated_at=KNOWN_UTC))
    session = create_session(name="Сверка марта", template_id=template.id,
                             call_ids=[call.id], participant_ids=[admin.id, reviewer.id],
                             consensus="median", user=admin)
    tracker = Tracker(name="Доставка", label="доставка", phrases=["доставка"])
    term = GlossaryTerm(term="Лофт", misheard="лофд", kind="product")
    db.session.add_all([tracker, term])
    passing = ad_service.audit_text(
        "Диваны со скидкой 20% до 31 марта. Звоните! Реклама. ООО «Диваны»", campaign_id=mass.id,
        lang="ru", user=admin, today=date(2026, 3, 1), online=True)
    ad_service.audit_text("Лучшие диваны в городе.", campaign_id=targeted.id, lang="ru",
                          user=admin, today=date(2026, 3, 1))
    report = ad_service.audit_batch(
        Table(header=["text", "campaign"], rows=[
            TableRow(2, {"text": "Кухни со скидкой 10% до 31 марта. Звоните!",
                         "campaign": targeted.name}),
        ]),
        admin, today=date(2026, 3, 1))
    score = {"name": "test.ru.jsonl", "lang": "ru", "customer_turns": 10, "calls": 10,
             "false_flags": 1, "labels": {"price": {"precision": 0.9, "recall": 0.9,
                                                    "f1": 0.9, "support": 5}}}
    for n, status in enumerate(MODEL_STATUS.values):
        db.session.add(ObjectionModelVersion(
            folder=f"20261201T00000{n}Z", status=status, versions={"ru": "a1b2c3d4e5f6"},
            corrections={"ru": 3}, report={"after": [score], "reasons": (
                [{"set": "test.ru.jsonl", "lang": "ru", "label": "price", "before": 0.95,
                  "after": 0.9}]
                if status == "refused" else [])},
        ))
    db.session.flush()
    db.session.add(AdAuditMark(audit_id=passing.latest_audit.id, element="erid", kind="missed",
                               note="Токен ERID в ссылке", created_by_id=admin.id))
    coaching_ids = _coaching(admin, call, objection)
    # The admin's own work: linked to the agent, one review acknowledged and disputed.
    admin.agent_id = agent.id
    db.session.add_all([
        ReviewAcknowledgement(review=review, user=admin),
        Dispute(review=review, item_key="price", raised_by=admin, status="upheld",
                reason="Клиенту предложили рассрочку.", resolved_by=admin,
                resolution_note="Согласен, рассрочка была."),
    ])
    shop_ids = _mystery_shopping(admin, template.id)
    notice_id = _comments_and_notifications(admin, reviewer, call, objection.id, review.id)
    token, secret = create_token("ЦРМ", admin)
    video_path = Path(__file__).resolve().parents[1] / "data" / "video" / "ru_spoken_marking.mkv"
    with video_path.open("rb") as stream:
        video = ad_videos.upload(stream, "весна.mkv", admin, mass, "ru")
    # A call whose recording and transcript were deleted, and a deletion record.
    deleted = factories.make_call(status="transcribed", agent=agent, called_at=KNOWN_UTC,
                                  recording_path="", sha256="", original_filename="",
                                  recording_deleted_at=KNOWN_UTC, transcript_deleted_at=KNOWN_UTC)
    erased = PersonalDataErasure(
        actor_id=admin.id, actor_name=admin.name, scope="phone", target="+7••••••••67",
        requested_by="Пётр Покупателев", reason="Заявление от 1 марта",
        summary={"calls": [deleted.id], "recordings": 1, "transcript_lines": 3,
                 "leads": [leads[0].id]},
    )
    db.session.add(erased)
    db.session.flush()
    db.session.add(AuditEvent(actor_id=admin.id, actor_name=admin.name, actor_email=admin.email,
                              action="erasure.deleted", object_type="personal_data_erasure",
                              object_id=erased.id, summary="+7••••••••67", details={}))
    _set_every_time(KNOWN_UTC)
    pay_ids = _pay(admin, agent, mass, leads)
    # The audit trail: a view by the admin (what the services write in a request).
    db.session.add(AuditEvent(actor_id=admin.id, actor_name=admin.name, actor_email=admin.email,
                              action="view", object_type="call_transcript", object_id=call.id,
                              summary=call.original_filename, details={}, ip="203.0.113.7"))
    admin.last_login_at = KNOWN_UTC
    token.last_used_at = KNOWN_UTC
    db.session.commit()
    world = World(admin=admin, api_token=secret)
    # Where the ads pages keep batch results (qa.ads.views).
    world.batch_token = ad_service.save_batch(report, os.path.join(app.instance_path, "ad-batches"))
    world.ids = {
        "call_id": call.id, "segment_id": greeting.id, "user_id": reviewer.id,
        "agent_id": agent.id, "campaign_id": mass.id, "ad_id": passing.id,
        "session_id": session.id, "review_id": review.id, "rule_id": rule.id,
        "template_id": template.id, "tracker_id": tracker.id, "term_id": term.id,
        "lead_id": leads[0].id, "queued_call_id": calls["queued"].id,
        "subject_id": subject_for_call(call).id, "notice_id": notice_id, **shop_ids,
        "video_id": video.id, "record_id": erased.id, "deleted_call_id": deleted.id,
        **coaching_ids, **pay_ids,
    }
    world.more_pages = [f"/calls/{c.id}" for c in (*calls.values(), deleted)] + [
        f"/calls/{call.id}?original=1"
    ] + [
        f"/campaigns/{c.id}" for c in (mass, targeted)
    ]
    return world


def _coaching(admin: User, call: Any, line: Any) -> dict[str, int]:
    """Examples of every kind, one assigned to the admin (their own page shows it) and one
    seen by an employee."""
    moment = CoachingExample(
        call=call, segment=line, start_s=1.0, end_s=3.0, kind="bad", lang="ru",
        note="Уступил по цене, не предложив замену", created_by=admin,
        tags=[CoachingTag(kind="item", value="price"), CoachingTag(kind="label", value="price"),
              CoachingTag(kind="label", value="доставка")])
    whole = CoachingExample(call=call, kind="good", lang="ru", note="Тёплое приветствие",
                            created_by=admin, tags=[CoachingTag(kind="item", value="greet")])
    employee = factories.make_user(role="employee", name="Елена Сотрудникова")
    mine = CoachingAssignment(example=moment, assignee=admin, assigned_by=admin,
                              note="Послушай, как не надо", due_on=date(2026, 3, 2))
    seen = CoachingAssignment(example=whole, assignee=employee, assigned_by=admin,
                              seen_at=KNOWN_UTC)
    db.session.add_all([moment, whole, mine, seen])
    db.session.flush()
    return {"example_id": moment.id, "coaching_id": mine.id}


def _pay(admin: User, agent: Any, campaign: Any, leads: list[Any]) -> dict[str, Any]:
    """A seller on a plan, an approved March statement with a disputed line, appointments."""
    agent.pay_role = "seller"
    campaign.owner_id = agent.id
    for lead in leads:
        lead.seller_id = agent.id
    db.session.add_all([
        Appointment(external_id=f"В-{n}", kind=kind, held=n % 2 == 0, setter_id=agent.id,
                    lead_id=leads[0].id, scheduled_at=KNOWN_UTC, created_at=KNOWN_UTC,
                    updated_at=KNOWN_UTC)
        for n, kind in enumerate(APPOINTMENT_KIND.values)
    ])
    indicator = {"weight": "100", "threshold": "10000", "target": "20000", "stretch": "60000",
                 "threshold_pays": "2", "target_pays": "3", "stretch_pays": "4",
                 "accelerator": "1.5", "penalty": "10"}
    pay_plans.save_plan("seller", date(2026, 1, 1), {"fixed": "25000", "variable": "10000",
                        "cap": "20000", "max_reduction": "50", "note": "Весна"},
                        [{"key": "revenue", "pay": "revenue_percent", **indicator}], admin)
    pay_plans.save_plan("marketer", date(2026, 1, 1), {"fixed": "30000", "variable": "10000",
                        "max_reduction": "50"},
                        [{"key": "view_lead", "pay": "share", **indicator}], admin)
    pay_statements.calculate_month(LOCAL_DAY)
    (statement,) = pay_statements.month_statements(LOCAL_DAY)
    pay_statements.approve(statement, admin)
    statement.computed_at = statement.approved_at = KNOWN_UTC
    db.session.add(Dispute(statement=statement, item_key="revenue", raised_at=KNOWN_UTC,
                           reason="Не учтена продажа Л-3.", status="open"))
    db.session.flush()
    return {"statement_id": statement.id, "kind": "won"}


def _mystery_shopping(admin: User, template_id: int) -> dict[str, int]:
    """Locations, a scenario and a wave with an assignment in every state (the admin shops one
    and manages one location, so that their own pages show something too)."""
    manager = factories.make_user(role="location_manager", name="Мария Управляющая")
    shopper = factories.make_user(role="shopper", name="Пётр Покупатель")
    mine = factories.make_location(name="Салон на Светланской", address="Светланская, 1",
                                   latitude=43.1155, longitude=131.8855, phone="+74232000000",
                                   manager=admin)
    others = [factories.make_location(name=f"Салон {n}", manager=manager) for n in range(3)]
    scenario = factories.make_scenario(
        name="Диван для дачи", legend="Вы ищете недорогой диван для дачи.", channel="call",
        objections=[{"label": "price", "wording": "Дороговато"},
                    {"label": "assortment", "wording": "А другого цвета нет?"}],
        template_id=template_id, needs_photos=True)
    wave = Wave(name="Мартовская волна", scenario=scenario, starts_on=date(2026, 3, 2),
                ends_on=date(2026, 3, 8), created_by_id=admin.id)
    db.session.add(wave)
    assignments = []
    for n, state in enumerate(SHOP_STATE.values):
        assignment = factories.make_assignment(
            admin if n < 2 else shopper, location=[mine, *others][n % 4], wave=wave, state=state)
        db.session.add(AssignmentEvent(assignment=assignment, user=admin, from_state=None,
                                       to_state="scheduled"))
        if state != "scheduled":
            db.session.add(AssignmentEvent(assignment=assignment, user=admin,
                                           from_state="scheduled", to_state=state,
                                           comment="Проверено"))
        assignments.append(assignment)
    seller = factories.make_agent(name="Игорь Продавцов", location=mine)
    # A published report at the admin's location, disputed twice (one open, one decided),
    # and a scored report waiting for the editor.
    published = factories.make_assignment(shopper, location=mine, wave=wave, state="published")
    db.session.add(AssignmentEvent(assignment=published, user=admin, from_state="approved",
                                   to_state="published"))
    version = db.session.get(ScorecardTemplate, template_id).current
    items = list(definition_of(version).items)
    values = {i.key: ("yes" if i.type == "yes_no" else i.max) for i in items}
    reviews = []
    for shop in (assignments[2], published):
        subject = subject_for_shop(shop)
        subject.agent = seller
        reviews.append(save_review(subject, version, admin, values=values,
                                   comments={items[0].key: "Поздоровался не сразу"},
                                   comment="Продавец предложил замену"))
    db.session.add_all([
        Dispute(review=reviews[1], item_key=items[0].key, raised_by=admin,
                reason="Продавец поздоровался, это слышно на записи."),
        Dispute(review=reviews[1], item_key="*", raised_by=admin, status="upheld",
                reason="Оценка занижена.", resolved_by=admin, resolved_at=KNOWN_UTC,
                resolution_note="Согласны, пересчитано."),
    ])
    # The admin's visit in progress has a draft report with a photo and a receipt: both the
    # shopper's report page and the staff assignment page (with its checks) show it.
    report = ShopReport(
        assignment=assignments[1], seller="Игорь, в синей форме", wait_minutes=3,
        narrative="Продавец встретил у входа и показал два дивана.",
        visit_started_at=datetime(2026, 3, 3, 9, 0), visit_ended_at=datetime(2026, 3, 3, 9, 30),
        answers={}, draft_saved_at=datetime(2026, 3, 3, 9, 40),
    )
    db.session.add_all([
        report,
        ShopEvidence(report=report, kind="photo", stored_name="a" * 32 + ".jpg",
                     original_name="витрина.jpg", mime_type="image/jpeg", size_bytes=2048,
                     sha256="a" * 64, taken_at=datetime(2026, 3, 3, 9, 10), latitude=43.1156,
                     longitude=131.8856),
        ShopEvidence(report=report, kind="receipt", stored_name="b" * 32 + ".pdf",
                     original_name="чек.pdf", mime_type="application/pdf", size_bytes=1024,
                     sha256="b" * 64),
    ])
    db.session.flush()
    return {"location_id": mine.id, "scenario_id": scenario.id, "wave_id": wave.id,
            "assignment_id": assignments[2].id, "shop_id": published.id,
            "visit_id": assignments[1].id, "evidence_id": report.evidence[0].id}


def _comments_and_notifications(
    admin: User, reviewer: User, call: Call, segment_id: int, review_id: int
) -> int:
    """Threads on a line, a range and a review item (a reply, a mention, a deleted comment),
    and a notification of every kind for the admin, some read; returns an unread one's id."""
    review = db.session.get(Review, review_id)
    on_line = comments.comment_on_segment(call, segment_id, "Клиент про цену, @admin", reviewer)
    comments.reply(on_line, "Согласна, предложить рассрочку", admin)
    gone = comments.comment_on_range(call, "10", "20", "Лишнее", reviewer)
    comments.delete_comment(gone, admin)
    comments.comment_on_item(review, "price", "Возражение не отработано", reviewer)
    disputed = db.session.scalar(select(Dispute).order_by(Dispute.id))
    kinds = {
        "dispute.raised": {"author": reviewer.name, "review_id": review_id,
                           "item": "Приветствует клиента", "dispute_id": disputed.id},
        "dispute.decided": {"outcome": "rejected", "review_id": review_id,
                            "dispute_id": disputed.id},
        "coaching.planned": {},
        # As an employee gets them (the admin's copies name no row of theirs to check).
        "review.submitted": {"author": reviewer.name, "call_title": call.display_title},
        "coaching.assigned": {"author": reviewer.name, "due_on": "2026-03-20"},
    }
    notices = [inbox.notify(admin, kind, f"/reviews/{review_id}", **params)
               for kind, params in kinds.items()]
    db.session.flush()
    for notice in notices[1:]:
        inbox.mark_read(notice)
    first = notices[0]
    assert first is not None
    return first.id


def _set_every_time(moment: datetime) -> None:
    """Every stored moment that is set becomes ``moment`` (the columns' own defaults were now)."""
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, DateTime) and column.name not in KEEP_NULL:
                db.session.execute(
                    update(table).where(column.is_not(None)).values({column.name: moment})
                )
    db.session.expire_all()
