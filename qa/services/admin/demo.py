"""Demo data for a first look: users of every role, campaigns, leads and real recordings."""

from __future__ import annotations

import io
import json
import random
import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from qa.extensions import db
from qa.models import (
    Agent,
    Call,
    Campaign,
    Lead,
    ScorecardDefault,
    ScorecardTemplate,
    ScorecardVersion,
    ShopAssignment,
    User,
)
from qa.roles import ADMIN, EMPLOYEE, LOCATION_MANAGER, QA_LEAD, REVIEWER, ROLES, SHOPPER
from qa.services.admin.demo_pay import load_pay
from qa.services.admin.demo_photos import photo_with_exif
from qa.services.admin.users import create_user, set_password
from qa.services.calls.intake import recording_metadata, take_in
from qa.services.errors import NotFound
from qa.services.marketing.ads import audit_text
from qa.services.mystery import assignments, evidence, locations, reports, scenarios, waves
from qa.services.mystery import validation as mystery_validation
from qa.services.quality import disputes
from qa.services.quality.reviews import save_review
from qa.services.quality.subjects import subject_for_call
from qa.timefmt import local_today, stored_from_local
from qa.vocabulary import LEAD_CHANNEL

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
RECORDINGS_MANIFEST = DEMO_DIR / "recordings" / "manifest.json"
DEMO_DOMAIN = "demo.example.com"

CAMPAIGNS = (
    # name (as in the recordings manifest), channel, kind, utm_source, utm_campaign, spend, views
    ("Яндекс Директ: диваны, ноябрь", "search", "mass", "yandex", "sofas_nov", "96000", 620),
    ("ВКонтакте: кухни на заказ", "social", "targeted", "vk", "kitchens", "45000", 110),
    ("Google Ads: sofas, November", "search", "targeted", "google", "sofas_en", "30000", 70),
    ("Авито: доставка мебели", "classifieds", "mass", "avito", "delivery", "12000", 900),
)
# Two ads per campaign: one with all three elements, one that misses something.
AD_TEXTS = {
    "Яндекс Директ: диваны, ноябрь": (
        "Диваны со скидкой 20% до 30 ноября! Закажите на сайте — доставка бесплатно.",
        "Диваны от производителя. Лучшие цены в городе.",
    ),
    "ВКонтакте: кухни на заказ": (
        "Кухня на заказ: дизайн-проект в подарок. Только до конца месяца. Оставьте заявку!",
        "Кухни любых размеров. Звоните: 8 800 000-00-00.",
    ),
    "Google Ads: sofas, November": (
        "Sofas 25% off this week only. Order online today!",
        "Comfortable sofas for every home. Best prices in town.",
    ),
    "Авито: доставка мебели": (
        "Доставка мебели бесплатно при заказе до пятницы. Пишите нам!",
        "Доставим мебель за 2 часа. Подъём на этаж — по договорённости.",
    ),
}

DEFAULT_SCORECARD = {
    "sections": [
        {
            "title": "Начало разговора",
            "items": [
                {"key": "greeting", "text": "Поздоровался и представил компанию", "type": "yes_no",
                 "weight": 1, "critical": False, "guidance": "Имя, компания, предложение помочь."},
                {"key": "needs", "text": "Выяснил потребность клиента", "type": "scale",
                 "max": 3, "weight": 2, "critical": False,
                 "guidance": "0 — не спросил, 3 — подробно: для чего, размеры, бюджет, сроки."},
            ],
        },
        {
            "title": "Возражения и завершение",
            "items": [
                {"key": "price_objection", "text": "Отработал возражение по цене",
                 "type": "yes_no", "weight": 3, "critical": False, "suggest_from": "price",
                 "guidance": "Не применимо, если клиент не возражал по цене."},
                {"key": "assortment_objection", "text": "Предложил замену, когда нужного нет",
                 "type": "yes_no", "weight": 2, "critical": False, "suggest_from": "assortment",
                 "guidance": "Не применимо, если клиент не возражал по ассортименту."},
                {"key": "next_step", "text": "Договорился о следующем шаге", "type": "yes_no",
                 "weight": 2, "critical": False, "guidance": "Визит, заказ, время перезвона."},
                {"key": "politeness", "text": "Вежлив на протяжении всего разговора",
                 "type": "yes_no", "weight": 1, "critical": True,
                 "guidance": "«Нет» обнуляет всю оценку."},
            ],
        },
    ]
}


@dataclass
class DemoResult:
    created: bool
    password: str | None = None
    emails: list[str] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    queued: int = 0


def demo_users() -> list[User]:
    """The demo accounts (one per role), in role order."""
    return list(
        db.session.scalars(
            select(User).where(User.email.endswith(f"@{DEMO_DOMAIN}")).order_by(User.id)
        )
    )


def reset_demo_password() -> DemoResult:
    """Give every demo account one new password (their sessions end); NotFound without a demo."""
    users = demo_users()
    if not users:
        raise NotFound(_("There is no demo data: load it first with `qa demo load`."))
    password = secrets.token_urlsafe(9)
    for user in users:
        set_password(user, password)
    return DemoResult(created=False, password=password, emails=[u.email for u in users])


def load_demo(seed: int = 7, transcribe: bool = True) -> DemoResult:
    """Create the demo once and queue its calls' transcription; a second run changes nothing."""
    if db.session.scalar(select(User).where(User.email == f"admin@{DEMO_DOMAIN}")):
        return DemoResult(created=False)
    password = secrets.token_urlsafe(9)
    result = DemoResult(created=True, password=password)
    users = {}
    for role in ROLES:
        user = create_user(f"{role.replace('_', '')}@{DEMO_DOMAIN}", f"Demo {role}", password, role)
        result.emails.append(user.email)
        users[role] = user

    campaigns = [
        Campaign(name=name, channel=channel, kind=kind, utm_source=source, utm_campaign=utm,
                 spend=Decimal(spend), views=views)
        for name, channel, kind, source, utm, spend, views in CAMPAIGNS
    ]
    db.session.add_all(campaigns)
    template = ScorecardTemplate(name="Звонок продаж: базовый", language="ru")
    template.versions.append(ScorecardVersion(number=1, definition=DEFAULT_SCORECARD))
    # Russian calls get it by default; the English demo call has no English scorecard yet.
    template.defaults.append(ScorecardDefault(kind="language", value="ru"))
    db.session.add(template)

    manifest = json.loads(RECORDINGS_MANIFEST.read_text(encoding="utf-8"))
    agents = _agents(manifest)
    # The demo month ends a few days before today, so the dashboard's default period shows it.
    # 9:00 company time, stored as UTC like every moment.
    start = stored_from_local(datetime.combine(local_today() - timedelta(days=28), time(9, 0)))
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    leads = _leads(campaigns, start, rng)
    db.session.add_all(leads)
    db.session.flush()
    campaign_by_name = {c.name: c for c in campaigns}
    for campaign in campaigns:
        for text in AD_TEXTS.get(campaign.name, ()):
            audit_text(text, campaign_id=campaign.id, user=None)
    first_call = min(datetime.fromisoformat(e["called_at"]) for e in manifest)
    for entry in manifest:
        campaign = campaign_by_name.get(entry.get("campaign", ""), campaigns[0])
        # Manifest times are the company's local times, shifted into the demo month.
        called_at = start + (datetime.fromisoformat(entry["called_at"]) - first_call)
        meta = recording_metadata(
            agent_channel=entry.get("agent_channel") or "none",
            language=entry.get("language"),
            title=entry.get("title"),
            phone=entry.get("phone"),
            called_at=called_at,
            agent_id=agents[entry["agent"]].id,
            campaign_id=campaign.id,
        )
        lead = Lead(phone=meta.phone, channel="call", campaign=campaign, status="qualified",
                    created_at=(meta.called_at or called_at) - timedelta(minutes=5))
        db.session.add(lead)
        db.session.flush()
        with open(RECORDINGS_MANIFEST.parent / entry["file"], "rb") as handle:
            intake = take_in(handle, entry["file"], replace(meta, lead_id=lead.id),
                             duplicate="reuse", queue=transcribe)
        result.calls.append(intake.call)
    _mystery_shopping(users, template, list(agents.values()))
    _employee_work(users, template.versions[0], result.calls)
    load_pay(users[ADMIN], agents, campaigns, leads, rng)
    if transcribe:
        # The worker that `make run` starts picks these up once the caller commits.
        result.queued = len(result.calls)
    return result


LOCATIONS = (
    # name, address, latitude, longitude, phone
    ("Салон на Тверской", "Москва, Тверская ул., 12", 55.7640, 37.6060, "+7 495 123-45-67"),
    ("Салон в Хамовниках", "Москва, Комсомольский пр-т, 24", 55.7290, 37.5880, "+7 495 765-43-21"),
    ("Салон на Невском", "Санкт-Петербург, Невский пр-т, 88", 59.9320, 30.3530, "+7 812 111-22-33"),
    ("Колл-центр", "Москва, ул. Шаболовка, 10", 55.7200, 37.6080, "+7 800 555-35-35"),
    ("Салон на Арбате", "Москва, ул. Арбат, 20", 55.7500, 37.5930, "+7 495 222-33-44"),
    ("Салон на Лиговском", "Санкт-Петербург, Лиговский пр-т, 30", 59.9270, 30.3610,
     "+7 812 444-55-66"),
    ("Салон в Казани", "Казань, ул. Баумана, 40", 55.7900, 49.1150, "+7 843 777-88-99"),
    ("Салон в Екатеринбурге", "Екатеринбург, ул. Вайнера, 9", 56.8370, 60.6000,
     "+7 343 123-00-11"),
)
# The managed stores: the manager disputes published reports about these.
MANAGED = frozenset({0, 1, 4, 5})
# Where each visit of the past wave ends up; every state of a report but "scheduled" (the
# upcoming wave's visit is scheduled).
PAST_WAVE = (
    # location index, final state, scorecard answers
    (0, "resolved", {"greeting": "yes", "needs": 3, "price_objection": "no",
                     "assortment_objection": "yes", "next_step": "yes", "politeness": "yes"}),
    (1, "disputed", {"greeting": "yes", "needs": 1, "price_objection": "no",
                     "assortment_objection": "no", "next_step": "no", "politeness": "yes"}),
    (2, "published", {"greeting": "yes", "needs": 2, "price_objection": "yes",
                      "assortment_objection": "yes", "next_step": "yes", "politeness": "yes"}),
    (4, "approved", {"greeting": "no", "needs": 2, "price_objection": "yes",
                     "assortment_objection": "na", "next_step": "yes", "politeness": "yes"}),
    (5, "returned", {"greeting": "yes", "needs": 3, "price_objection": "yes",
                     "assortment_objection": "no", "next_step": "no", "politeness": "yes"}),
    (6, "submitted", {"greeting": "yes", "needs": 0, "price_objection": "no",
                      "assortment_objection": "no", "next_step": "no", "politeness": "no"}),
    (7, "in_progress", {"greeting": "yes"}),
)
DEMO_NARRATIVE = (
    "Зашла в салон в будний день около одиннадцати. Продавец подошёл через пару минут, "
    "поздоровался и спросил, что я ищу. Я рассказала легенду: нужен недорогой раскладной диван "
    "для дачи, бюджет до сорока тысяч. Мне показали три модели, назвали цены и условия "
    "доставки за город. На фразу «Дороговато, в другом салоне видел дешевле» продавец ответил "
    "по-своему (см. оценку), на вопрос о сером цвете — тоже. Фото торгового зала приложено."
)


def _mystery_shopping(users: dict[str, User], template: ScorecardTemplate,
                      agents: list[Agent]) -> None:
    """Locations, a scenario, a past wave whose visits stand in every state of a report (built
    through the same services as the pages), and an upcoming wave with a scheduled visit."""
    manager = users[LOCATION_MANAGER]
    shopper = users[SHOPPER]
    lead = users[QA_LEAD]
    stores = [
        locations.save_location(locations.LocationValues(
            name=name, address=address, latitude=lat, longitude=lon, phone=phone,
            manager_id=manager.id if n in MANAGED else None))
        for n, (name, address, lat, lon, phone) in enumerate(LOCATIONS)
    ]
    for agent, store in zip(agents, stores, strict=False):
        agent.location = store
    scenario = scenarios.save_scenario(scenarios.ScenarioValues(
        name="Диван для дачи",
        legend="Вы — покупатель 35-45 лет, ищете недорогой раскладной диван для дачи, бюджет до "
               "40 000 ₽. Спросите о доставке за город и о другом цвете обивки.",
        channel="visit",
        objections=[("price", "Дороговато, в другом салоне видел дешевле."),
                    ("assortment", "А серого цвета нет?")],
        template_id=template.id, needs_photos=True, needs_receipt=False,
        min_narrative_chars=300, lockout_days=30, report_deadline_days=2))
    today = local_today()
    past = waves.schedule_wave(waves.WavePlan(
        name="Волна: дачные диваны", scenario_id=scenario.id,
        starts_on=today - timedelta(days=10), ends_on=today - timedelta(days=4),
        locations={stores[n].id: shopper.id for n, _state, _answers in PAST_WAVE}, shoppers=[]),
        lead)
    for day, (assignment, (n, state, answers)) in enumerate(
            zip(past.assignments, PAST_WAVE, strict=True)):
        visited = datetime.combine(past.starts_on + timedelta(days=day % 5), time(11, 0))
        _demo_visit(assignment, state, answers, visited, LOCATIONS[n][2:4], users)
    waves.schedule_wave(waves.WavePlan(
        name="Волна: звонки в колл-центр", scenario_id=scenario.id,
        starts_on=today + timedelta(days=3), ends_on=today + timedelta(days=9),
        locations={stores[3].id: None}, shoppers=[shopper.id]), lead)


def _demo_visit(assignment: ShopAssignment, state: str, answers: dict[str, object],
                visited: datetime, where: tuple[float, float], users: dict[str, User]) -> None:
    """Take one visit to ``state`` the way people do: the shopper's report and photo, the
    editor's return or approval and publication, the manager's dispute and its decision."""
    shopper, lead, manager = users[SHOPPER], users[QA_LEAD], users[LOCATION_MANAGER]
    assignments.move(assignment, "in_progress", shopper)
    facts = reports.VisitFacts(
        started_at=visited, ended_at=visited + timedelta(minutes=25),
        seller="Консультант у входа",
        wait_minutes=3, narrative=DEMO_NARRATIVE)
    report = reports.save_draft(assignment, shopper, facts, answers, {})
    if state == "in_progress":
        return
    photo = photo_with_exif((visited + timedelta(minutes=10)).strftime("%Y:%m:%d %H:%M:%S"),
                            where)
    evidence.add_file(report, "photo", io.BytesIO(photo), "IMG_0001.jpg")
    reports.submit(assignment, shopper)
    if state == "submitted":
        return
    if state == "returned":
        mystery_validation.return_to_shopper(
            assignment, lead, "Добавьте, сколько вы ждали у кассы.",
            local_today() + timedelta(days=2))
        return
    assignments.move(assignment, "approved", lead)
    if state == "approved":
        return
    assignments.move(assignment, "published", lead)
    if state == "published":
        return
    review = report.review
    if review is None:  # submit() saved one; kept for the type checker
        return
    dispute = disputes.raise_dispute(
        review, "price_objection",
        "Продавец предложил рассрочку: возражение по цене отработано, прослушайте запись.",
        manager)
    if state == "resolved":
        disputes.resolve(dispute, "upheld", "Согласны: рассрочка предложена.", lead,
                         changes={"price_objection": "yes"})


# The demo employee's reviews: answers per call (keys of DEFAULT_SCORECARD).
EMPLOYEE_REVIEWS = (
    {"greeting": "yes", "needs": "3", "price_objection": "yes", "assortment_objection": "na",
     "next_step": "yes", "politeness": "yes"},
    {"greeting": "yes", "needs": "1", "price_objection": "no", "assortment_objection": "na",
     "next_step": "no", "politeness": "yes"},
    {"greeting": "no", "needs": "2", "price_objection": "na", "assortment_objection": "yes",
     "next_step": "yes", "politeness": "yes"},
)


def _employee_work(users: dict[str, User], version: ScorecardVersion, calls: list[Call]) -> None:
    """The demo employee is the agent with the most calls: reviewed calls, one review
    acknowledged and one item disputed by them (open, for a QA lead to decide)."""
    employee = users[EMPLOYEE]
    counts: dict[int, int] = {}
    for call in calls:
        if call.agent_id is not None:
            counts[call.agent_id] = counts.get(call.agent_id, 0) + 1
    if not counts:
        return
    agent_id = max(sorted(counts), key=lambda key: counts[key])
    employee.agent_id = agent_id
    own = [call for call in calls if call.agent_id == agent_id]
    reviews = [
        save_review(subject_for_call(call), version, users[REVIEWER], values=answers,
                    comments={}, comment="Демо: оценка звонка")
        for call, answers in zip(own, EMPLOYEE_REVIEWS, strict=False)
    ]
    db.session.flush()
    disputes.acknowledge(reviews[0], employee)
    if len(reviews) > 1:
        disputes.raise_dispute(
            reviews[1], "price_objection",
            "Я предложил рассрочку, когда клиент сказал «дорого» — послушайте конец разговора.",
            employee)


def _agents(manifest: list[dict[str, str]]) -> dict[str, Agent]:
    agents = {
        name: Agent(name=name, team="Sales") for name in sorted({e["agent"] for e in manifest})
    }
    db.session.add_all(agents.values())
    return agents


def _leads(campaigns: list[Campaign], start: datetime, rng: random.Random) -> list[Lead]:
    """A month of leads per campaign with a plausible funnel, plus earlier buyers who return."""
    leads = []
    for index, campaign in enumerate(campaigns):
        count = {"mass": 40, "targeted": 25}[campaign.kind]
        for n in range(count):
            status = rng.choices(["new", "qualified", "won", "lost"], [1, 1, 6, 2])[0]
            leads.append(
                Lead(
                    external_id=f"crm-{index}-{n}",
                    created_at=start + timedelta(hours=rng.randint(0, 24 * 25)),
                    phone=f"+7916{rng.randint(1000000, 9999999)}",
                    channel=rng.choice(LEAD_CHANNEL.values),
                    campaign=campaign,
                    status=status,
                    sale_amount=Decimal(rng.randint(15, 160) * 1000) if status == "won" else None,
                    customer_id=f"cust-{rng.randint(1, 120)}",
                )
            )
    for n in range(20):  # purchases before the demo month: some of these customers come back
        leads.append(
            Lead(
                external_id=f"crm-earlier-{n}",
                created_at=start - timedelta(days=rng.randint(40, 200)),
                channel="store_visit", campaign=None, status="won",
                sale_amount=Decimal(rng.randint(15, 90) * 1000), customer_id=f"cust-{n + 1}",
            )
        )
    return leads
