"""check_ad on the real blank pipelines: each element per language, dates, vague claims."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from scoring.adcopy import AdAudit, check_ad
from scoring.adcopy.rules import read_lexicon

TODAY = datetime.date(2026, 11, 27)


def _audit(text: str, lang: str) -> AdAudit:
    return check_ad(text, lang=lang, today=TODAY)


OFFER_CASES = [
    # Russian: present
    ("ru", "Скидка 20% на все диваны", True),
    ("ru", "Скидки до 70% на зимнюю коллекцию", True),
    ("ru", "Распродажа", True),
    ("ru", "Те самые скидки наконец здесь", True),
    ("ru", "Промокод −500 ₽ на первый заказ", True),
    ("ru", "Смартфон за 25 000 вместо 30 000 ₽", True),
    ("ru", "Кухни по старой цене", True),
    ("ru", "Два месяца по цене одного", True),
    ("ru", "Бесплатная диагностика двигателя", True),
    ("ru", "Пробный урок бесплатно", True),
    ("ru", "Выставка фотографии. Вход свободный", True),
    ("ru", "Каждый пятый кофе в подарок", True),
    ("ru", "Кешбэк 7% баллами", True),
    ("ru", "Рассрочка 0% на полгода", True),
    ("ru", "Все сумки за полцены", True),
    ("ru", "Вторая пицца за 1 рубль", True),
    ("ru", "Интернет за 1 ₽ первые 2 месяца", True),
    ("ru", "Зафиксируйте текущую цену на год", True),
    ("ru", "Розыгрыш сертификата на 5000 ₽", True),
    ("ru", "Каждому покупателю — подарок", True),
    # Russian: absent
    ("ru", "Надёжно и доступно", False),
    ("ru", "Самые выгодные цены в городе", False),
    ("ru", "Выгодные условия для бизнеса", False),
    ("ru", "Спецпредложение! Узнайте у консультантов", False),
    ("ru", "Акция!", False),
    ("ru", "Стрижка — 900 ₽", False),
    ("ru", "Гарантия 3 года, монтаж за 1 день", False),
    ("ru", "Ипотека от 6%", False),
    ("ru", "Следите за нашими скидками в канале", False),
    ("ru", "Кредит до 500 000 ₽ за 15 минут", False),
    ("ru", "Звонок по России бесплатный: 8-800-100-00-00", False),
    ("ru", "Диван по цене 29 990 ₽", False),
    ("ru", "Фиксированная цена от 1500 ₽", False),
    ("ru", "Стрижка за 1000 ₽", False),
    ("ru", "Скоро в нашем канале — большие скидки", False),
    ("ru", "Подпишитесь, чтобы не пропустить скидки", False),
    ("ru", "Выиграйте время с нашей доставкой", False),
    # English: present
    ("en", "40% off all outerwear", True),
    ("en", "Big sale this weekend", True),
    ("en", "Second night free", True),
    ("en", "Free estimate on every job", True),
    ("en", "Early-bird pricing for conference passes", True),
    ("en", "Lock in your rate", True),
    ("en", "Two months for the price of one", True),
    ("en", "Earn double points on groceries", True),
    ("en", "Was $199, now $149", True),
    ("en", "0% APR for 24 months", True),
    ("en", "Take an extra 20% off clearance", True),
    ("en", "Savings of up to 40% on winter gear", True),
    ("en", "Oil change special $29.95", True),
    ("en", "New Patient Special\nExam, X-rays and cleaning for $99", True),
    ("en", "First month for $1", True),
    ("en", "First lesson just $25", True),
    ("en", "Talk to an advisor at no cost", True),
    ("en", "Gift wrapping at no extra charge", True),
    ("en", "Your 500 reward points expire soon", True),
    ("en", "Orders placed this month ship at 2025 prices", True),
    ("en", "Renew now to keep your current rate", True),
    ("en", "Enter to win a $500 gift card", True),
    ("en", "Giveaway! Tag a friend to enter", True),
    ("en", "20 percent off all frames", True),
    ("en", "Admission is free!", True),
    ("en", "Book 3 nights, pay for 2", True),
    ("en", "HVAC tune-up $49 (reg. $119)", True),
    ("en", "Your $20 birthday credit expires in 7 days", True),
    ("en", "Now only $99", True),
    ("en", "2-for-$20 burgers", True),
    ("en", "1/2 off all frames", True),
    ("en", "B1G1 lattes all week", True),
    ("en", "No money down on all models", True),
    ("en", "We'll waive the setup fee", True),
    ("en", "Happy Hour 4–6pm daily: $5 drafts", True),
    # English: absent
    ("en", "Best prices in town", False),
    ("en", "Exclusive deals for members", False),
    ("en", "Fair prices, honest work", False),
    ("en", "Terms and conditions apply", False),
    ("en", "Starting at $9,900", False),
    ("en", "Same-day delivery. Licensed and insured", False),
    ("en", "Financing available", False),
    ("en", "Tickets go on sale March 3", False),
    ("en", "Feel free to call us with questions", False),
    ("en", "Gluten-free bakery in Midtown", False),
    ("en", "Coming soon: our biggest sale of the year", False),
    ("en", "Special offer for new customers. Plans from $29/mo", False),
    ("en", "No hidden costs. Licensed and insured", False),
    ("en", "Rated 4.8 stars by 2,000 customers", False),
    ("en", "We deliver within 100 miles", False),
    ("en", "You're free to cancel anytime", False),
    ("en", "Reminder: your coupon expires tomorrow", False),
    ("en", "Ticket sales close Dec 28", False),
    ("en", "Applications close on the 15th", False),
    ("en", "Subscribe so you never miss a sale", False),
    ("en", "Happy hour every day at 4pm", False),
]


@pytest.mark.parametrize(("lang", "text", "expected"), OFFER_CASES)
def test_offer(lang: str, text: str, expected: bool) -> None:
    verdict = _audit(text, lang).offer
    assert verdict.present is expected, verdict.explanation
    assert bool(verdict.evidence) is expected
    assert (verdict.suggestion is None) is expected


DEADLINE_CASES = [
    # Russian: present
    ("ru", "Скидка 20% до 31 марта", True),
    ("ru", "Акция до пятницы", True),
    ("ru", "Цены действуют до 10.06", True),
    ("ru", "Распродажа с 20 по 31 декабря", True),
    ("ru", "Только сегодня −30%", True),
    ("ru", "Предложение действует до конца месяца", True),
    ("ru", "Последний день скидок", True),
    ("ru", "Осталось 3 дня!", True),
    ("ru", "Последние 48 часов распродажи", True),
    ("ru", "Закажите до полуночи — упаковка в подарок", True),
    ("ru", "Только на этих выходных", True),
    ("ru", "Срок хранения до 20.05", True),
    ("ru", "Тарифы вырастут с 1 июля", True),
    ("ru", "Приём заявок закрывается 15 мая", True),
    ("ru", "Распродажа 24–27 ноября", True),
    ("ru", "Приём заявок 1–15 декабря", True),
    ("ru", "Акция только в ноябре", True),
    ("ru", "Весь декабрь скидки на спальни", True),
    ("ru", "В этом месяце — бесплатная диагностика", True),
    ("ru", "Сегодня с 18:00 до 21:00 закрытая распродажа", True),
    ("ru", "С 1 января абонентская плата на тарифе «Семейный» вырастет", True),
    ("ru", "Передайте показания до 25 числа", True),
    ("ru", "Ещё 2 недели действуют летние цены", True),
    ("ru", "Финальная неделя распродажи", True),
    ("ru", "Купон действует 14 дней — скидка 500 ₽", True),
    ("ru", "Ярмарка 20–25 декабря: скидки до 50%", True),
    # Russian: absent
    ("ru", "Работаем с 2008 года", False),
    ("ru", "Стартует 1 июля", False),
    ("ru", "Мы открылись 1 сентября", False),
    ("ru", "Старт 15 октября", False),
    ("ru", "Мастер-класс 14 июня", False),
    ("ru", "Примерка в пятницу", False),
    ("ru", "Меню на 8 Марта", False),
    ("ru", "Сдача — IV квартал 2027", False),
    ("ru", "Открыто с 9:00 до 21:00", False),
    ("ru", "Скидка 10% по вторникам", False),
    ("ru", "Тестовый доступ на неделю", False),
    ("ru", "Перезвоним за 15 минут", False),
    ("ru", "Ждём поставку в понедельник", False),
    ("ru", "Успейте к лету", False),
    ("ru", "Спешите, пока есть!", False),
    ("ru", "Предложение скоро закончится", False),
    ("ru", "Звоните прямо сейчас", False),
    ("ru", "Приедем сегодня же", False),
    ("ru", "Кредит до 500 000 ₽", False),
    ("ru", "Доставка до двери", False),
    ("ru", "Ярмарка 24–27 ноября", False),
    ("ru", "Представления 28–30 декабря. Билеты от 800 ₽", False),
    ("ru", "Смены с 1 по 21 июля", False),
    ("ru", "Весь декабрь работаем без выходных", False),
    ("ru", "Открытие в декабре", False),
    ("ru", "Комплекс за 990 р. по будням до 12:00", False),
    ("ru", "Концерт 5–7 декабря. Вход свободный", False),
    ("ru", "Старт курса в декабре, первое занятие бесплатно", False),
    # English: present
    ("en", "Sale ends Sunday", True),
    ("en", "Through Labor Day", True),
    ("en", "Order by Friday", True),
    ("en", "Nov 24–27 only", True),
    ("en", "Offer expires in 7 days", True),
    ("en", "Ends at 10pm today", True),
    ("en", "Registration closes in 3 days", True),
    ("en", "This week only", True),
    ("en", "Sign-ups end 15 May", True),
    ("en", "Rates rise on July 1", True),
    ("en", "Last day to save", True),
    ("en", "Book in the next 48 hours and save", True),
    ("en", "Offer valid through end of month", True),
    ("en", "Our fall clearance wraps up tomorrow", True),
    ("en", "Move in by the 30th", True),
    ("en", "Book a facial this month and get a free mask", True),
    ("en", "Big sale this weekend", True),
    ("en", "$15 off any purchase, valid for 14 days", True),
    ("en", "The application deadline for the scholarship is June 30", True),
    ("en", "Rent goes up Jan 1", True),
    ("en", "Price increase effective Feb 1", True),
    ("en", "We're closing our Main St store on Dec 31. Everything 50% off", True),
    ("en", "Our doors close for good on January 15", True),
    ("en", "The patio closes for the season this Sunday", True),
    ("en", "30% off until we close on Jan 15", True),
    ("en", "Offer expires 30 days from purchase", True),
    ("en", "Redeem within 30 days", True),
    ("en", "48-hour flash sale", True),
    ("en", "Back for 2 more weeks only", True),
    ("en", "Final performance Dec 28", True),
    ("en", "Valid 12/1–12/7: free delivery", True),
    ("en", "Winter sale Dec 26–31", True),
    ("en", "Registration: Dec 1–15", True),
    ("en", "All December long: 15% off gift cards", True),
    ("en", "Saturday 10am–2pm: 30% off all plants", True),
    ("en", "Sale ends New Year's Eve", True),
    ("en", "Last week to enroll!", True),
    ("en", "Expires: 12/31", True),
    ("en", "Now – Dec 24: 20% off", True),
    ("en", "Offer expires end of month", True),
    ("en", "Black Friday: Nov 24–27. Up to 60% off everything", True),
    # English: absent
    ("en", "Family owned since 1998", False),
    ("en", "Tickets go on sale March 3", False),
    ("en", "Open house on May 12", False),
    ("en", "Open until 9pm on Thursdays", False),
    ("en", "Every Tuesday: trivia night", False),
    ("en", "Limited time offer", False),
    ("en", "While stocks last", False),
    ("en", "Schedule your visit today", False),
    ("en", "Your order will arrive by Friday", False),
    ("en", "Open 7 days a week, 8am to 10pm", False),
    ("en", "Christmas market Dec 1–24", False),
    ("en", "The biggest home show of the year — April 4–6", False),
    ("en", "Open house Saturday 1–4pm", False),
    ("en", "New arrivals this month", False),
    ("en", "Live music this weekend", False),
    ("en", "Membership valid for 12 months", False),
    ("en", "Try it free for 30 days", False),
    ("en", "Free returns within 30 days", False),
    ("en", "We reply within 15 minutes", False),
    ("en", "Store closes at 9pm on Sundays", False),
    ("en", "We close early on Christmas Eve", False),
    ("en", "Happy hour weekdays until 6pm: half-price drinks", False),
    ("en", "Free donut with any coffee before 10am on weekdays", False),
    ("en", "Buy 3 tires, get the 4th free", False),
    ("en", "Celebrate our 10th anniversary", False),
    ("en", "Opening in December", False),
    ("en", "Last week we opened a new store", False),
    ("en", "Free fries with any burger, all day long", False),
    ("en", "Closes: 9pm", False),
    ("en", "Festival June 1–3. Free admission!", False),
    ("en", "Classes start this month with a free first lesson", False),
]


@pytest.mark.parametrize(("lang", "text", "expected"), DEADLINE_CASES)
def test_deadline(lang: str, text: str, expected: bool) -> None:
    verdict = _audit(text, lang).deadline
    assert verdict.present is expected, verdict.explanation
    assert bool(verdict.evidence) is expected


CTA_CASES = [
    # Russian: present
    ("ru", "Звоните: 8 (495) 123-45-67", True),
    ("ru", "Позвоните нам", True),
    ("ru", "Закажите на сайте", True),
    ("ru", "Оставьте заявку", True),
    ("ru", "Пишите в директ", True),
    ("ru", "Запишитесь онлайн", True),
    ("ru", "Приходите в субботу", True),
    ("ru", "Загляните к нам", True),
    ("ru", "Переходите по ссылке", True),
    ("ru", "Жми!", True),
    ("ru", "Скачайте приложение", True),
    ("ru", "Бронируйте заранее", True),
    ("ru", "Купи сейчас", True),
    ("ru", "Ждём вас в салоне", True),
    ("ru", "Приглашаем на дегустацию", True),
    ("ru", "Купить: shop.example/sale", True),
    ("ru", "Успейте купить билеты", True),
    ("ru", "Успевайте записаться на курс", True),
    ("ru", "Присылайте рисунки на почту", True),
    ("ru", "Ждём до 20:00", True),
    ("ru", "Передайте показания через приложение", True),
    ("ru", "Подтвердите запись ответом ДА", True),
    # Russian: absent
    ("ru", "Тел. 8 (495) 123-45-67", False),
    ("ru", "Запись: 8-900-123-45-67", False),
    ("ru", "Детали на сайте", False),
    ("ru", "Записаться можно по телефону", False),
    ("ru", "Можно позвонить нам или написать", False),
    ("ru", "Купить можно в любом салоне", False),
    ("ru", "Оплатить можно на месте", False),
    ("ru", "Клиенты звонят — мы выезжаем", False),
    ("ru", "Нам звонят, когда срочно", False),
    ("ru", "Первые 50 покупателей получат месяц в подарок", False),
    ("ru", "Представьте дом мечты", False),
    ("ru", "Забудьте о пробках", False),
    ("ru", "Спешите!", False),
    ("ru", "Не пропустите!", False),
    ("ru", "Для отписки отправьте СТОП на 1234", False),
    ("ru", "Перезвоним за 15 минут", False),
    # English: present
    ("en", "Call us today", True),
    ("en", "Book online", True),
    ("en", "Shop the sale", True),
    ("en", "Order online", True),
    ("en", "Visit our showroom", True),
    ("en", "Apply now", True),
    ("en", "Sign up in two minutes", True),
    ("en", "Text JOIN to 55555", True),
    ("en", "Join us on Saturday", True),
    ("en", "Come by anytime", True),
    ("en", "Hurry in!", True),
    ("en", "Ask about our family plan", True),
    ("en", "Sign up online and get $10 off", True),
    ("en", "Don't forget to book your holiday photos", True),
    ("en", "Make an appointment today", True),
    ("en", "Celebrate with us on Saturday", True),
    ("en", "Rates rise on July 1. Lock in your rate now", True),
    ("en", "Shop: example.com/sale", True),
    ("en", "Check availability at your address", True),
    ("en", "Tour today", True),
    ("en", "Use it on your next order in the app", True),
    ("en", "Pay with your card at any partner café and get 5% back", True),
    ("en", "See you there!", True),
    ("en", "We look forward to seeing you", True),
    ("en", "Compare plans online", True),
    ("en", "Explore our collection online", True),
    ("en", "Find a store near you", True),
    ("en", "Take a tour of our campus", True),
    ("en", "Let's talk about your project", True),
    ("en", "Log in to see your offer", True),
    ("en", "Order ahead: crumb.example", True),
    ("en", "Drop off donations at any branch", True),
    ("en", "Test ride one today", True),
    ("en", "Email entries to hello@example.com", True),
    ("en", "Nominate today", True),
    ("en", "Complete your purchase and get free shipping", True),
    ("en", "Trade in your old phone and get $200", True),
    ("en", "Get a free quote today", True),
    ("en", "Kindly call us to confirm", True),
    ("en", "Go to example.com/deals", True),
    ("en", "DM to book", True),
    ("en", "Fill out the form to get started", True),
    ("en", "Claim it in the app", True),
    ("en", "Hire us for your next event", True),
    ("en", "Stock up on essentials", True),
    # English: absent
    ("en", "Portfolio at annalee.com", False),
    ("en", "People call us the friendliest garage in town", False),
    ("en", "Imagine waking up by the sea", False),
    ("en", "Don't miss out", False),
    ("en", "Hurry, while stocks last", False),
    ("en", "Hurry!", False),
    ("en", "Save 20% on your first box", False),
    ("en", "Get 20% off", False),
    ("en", "Text END to unsubscribe", False),
    ("en", "Buy one, get one free", False),
    ("en", "Rent one, get one free", False),
    ("en", "Upgrade on us: free premium seats", False),
    ("en", "Rent goes up Jan 1", False),
    ("en", "Tour dates announced", False),
    ("en", "Call it a gift to yourself", False),
    ("en", "Pay in 4 interest-free installments", False),
    ("en", "Compare at $59, now $39", False),
    ("en", "Discover the joy of baking", False),
    ("en", "See store for details", False),
    ("en", "Get a free trial", False),
    ("en", "Book 3 nights, pay for 2", False),
    ("en", "Buy any 2 entrées, get a free appetizer", False),
    ("en", "Contact: info@example.com", False),
    ("en", "Save the date: Spring Gala, April 18", False),
    ("en", "Go green with solar", False),
]


@pytest.mark.parametrize(("lang", "text", "expected"), CTA_CASES)
def test_cta(lang: str, text: str, expected: bool) -> None:
    verdict = _audit(text, lang).cta
    assert verdict.present is expected, verdict.explanation
    assert bool(verdict.evidence) is expected


def test_evidence_spans_point_into_the_text() -> None:
    text = "Скидка 20% до 31 марта. Закажите на сайте"
    audit = _audit(text, "ru")
    for verdict in (audit.offer, audit.deadline, audit.cta):
        for item in verdict.evidence:
            assert text[item.start : item.end] == item.text
            assert item.rule_id.count(".") >= 1
    assert audit.deadline.evidence[0].text == "до 31 марта"
    assert audit.deadline.evidence[0].rule_id == "deadline.until_date"
    assert audit.cta.evidence[0].text == "Закажите"


def test_date_without_year_is_its_next_occurrence() -> None:
    march = _audit("Скидка до 31 марта", "ru").deadline
    assert march.ends_on == datetime.date(2027, 3, 31)
    assert march.expired is False
    december = _audit("Sale through December 31", "en").deadline
    assert december.ends_on == datetime.date(2026, 12, 31)
    # A day-month that is today has not passed yet.
    assert _audit("Акция до 27 ноября", "ru").deadline.ends_on == TODAY


def test_day_of_month_and_bare_month_resolve_to_their_next_end() -> None:
    assert _audit("Move in by the 30th", "en").deadline.ends_on == datetime.date(2026, 11, 30)
    assert _audit("Pay by the 15th", "en").deadline.ends_on == datetime.date(2026, 12, 15)
    russian = _audit("Передайте показания до 25 числа", "ru").deadline
    assert russian.ends_on == datetime.date(2026, 12, 25)
    # A month in the prepositional case ("в ноябре") ends on its last day.
    november = _audit("Акция только в ноябре", "ru").deadline
    assert november.ends_on == datetime.date(2026, 11, 30)


def test_date_range_is_a_deadline_only_for_an_offer_or_a_sign_up() -> None:
    assert _audit("Скидки 20% с 1 по 21 июля", "ru").deadline.present is True
    assert _audit("Смены с 1 по 21 июля", "ru").deadline.present is False
    assert _audit("Registration open Dec 1–15", "en").deadline.present is True
    assert _audit("Home show Dec 1–15", "en").deadline.present is False
    # The offer may sit in another sentence of the same ad, unless the range dates an event.
    assert _audit("Black Friday sale. Nov 24–27", "en").deadline.present is True
    assert _audit("Jazz festival Nov 24–27. Free parking", "en").deadline.present is False
    assert _audit("Jazz festival Nov 24–27: free entry", "en").deadline.present is True


def test_evidence_ends_on_a_word() -> None:
    audit = _audit("New Patient Special\nExam and cleaning for $99", "en")
    assert [item.text for item in audit.offer.evidence] == ["Special"]


def test_expired_deadline_is_still_a_deadline() -> None:
    verdict = _audit("Скидка 25% до 25.11.2026. Звоните", "ru").deadline
    assert verdict.present is True
    assert verdict.expired is True
    assert verdict.ends_on == datetime.date(2026, 11, 25)
    assert "прошёл" in verdict.explanation
    assert verdict.suggestion is not None
    english = _audit("Offer valid until 31 October 2026", "en").deadline
    assert (english.present, english.expired) == (True, True)
    future = _audit("Скидка 25% до 05.12.2026", "ru").deadline
    assert (future.present, future.expired) == (True, False)


def test_relative_deadlines_never_expire() -> None:
    for text, lang in (("Только сегодня −30%", "ru"), ("Offer expires in 7 days", "en")):
        verdict = _audit(text, lang).deadline
        assert verdict.present is True
        assert verdict.expired is False


def test_explanations_and_suggestions_follow_the_language() -> None:
    ru = _audit("Лучшие цены на шины", "ru")
    en = _audit("Best prices on tires", "en")
    for verdict in (ru.offer, ru.deadline, ru.cta):
        assert verdict.suggestion
        assert any("а" <= ch <= "я" for ch in verdict.suggestion.lower())
        assert "\n" not in verdict.explanation
    for verdict in (en.offer, en.deadline, en.cta):
        assert verdict.suggestion
        assert verdict.suggestion.isascii()
    # The deadline suggestion names a concrete day a week ahead.
    assert "4 декабря" in (ru.deadline.suggestion or "")
    assert "December 4" in (en.deadline.suggestion or "")


def test_cta_suggestion_uses_the_contact_in_the_ad() -> None:
    verdict = _audit("Ремонт холодильников. Тел. 8 (495) 123-45-67", "ru").cta
    assert verdict.present is False
    assert "8 (495) 123-45-67" in (verdict.suggestion or "")
    verdict = _audit("Handmade candles at glowshop.com", "en").cta
    assert "glowshop.com" in (verdict.suggestion or "")


@pytest.mark.parametrize(
    ("lang", "text", "vague"),
    [
        ("ru", "Лучшие цены на шины в Казани", "Лучшие цены"),
        ("ru", "Выгодные условия для юрлиц", "Выгодные условия"),
        ("ru", "Низкие цены каждый день", "Низкие цены"),
        ("en", "Best prices in town", "Best prices in town"),
        ("en", "Unbeatable prices on tires", "Unbeatable prices"),
    ],
)
def test_vague_claims_are_reported_and_are_not_offers(lang: str, text: str, vague: str) -> None:
    audit = _audit(text, lang)
    assert audit.offer.present is False
    assert [claim.text for claim in audit.vague_claims] == [vague]
    assert audit.vague_claims[0].explanation
    assert vague in audit.offer.explanation


def test_unnamed_promotion_is_vague_only_without_an_offer() -> None:
    assert [c.text for c in _audit("Акция! Подробности на сайте", "ru").vague_claims] == ["Акция"]
    assert _audit("Акция: скидка 20% на всё", "ru").vague_claims == ()


def test_language_is_detected_when_not_given() -> None:
    assert check_ad("Скидка 10% до пятницы", today=TODAY).lang == "ru"
    assert check_ad("10% off until Friday", today=TODAY).lang == "en"


@pytest.mark.parametrize(
    ("text", "lang", "error"),
    [("", None, ValueError), ("   ", "ru", ValueError), ("Sale", "de", ValueError)],
)
def test_bad_input_is_refused(text: str, lang: str | None, error: type[Exception]) -> None:
    with pytest.raises(error):
        check_ad(text, lang=lang, today=TODAY)


def test_conditional_rule_may_only_need_labels_decided_before_it(tmp_path: Path) -> None:
    bad = {
        "id": "deadline.x",
        "label": "deadline",
        "needs": {"any": ["cta"], "scope": "sentence"},
        "pattern": [{"LOWER": "x"}],
    }
    path = tmp_path / "adcopy.xx.jsonl"
    path.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="needs may only name"):
        read_lexicon(path)
    bad["needs"] = {"any": ["offer"], "scope": "ad", "unless": ["cta"]}
    path.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="needs may only name"):
        read_lexicon(path)
    bad["needs"] = {"any": ["offer"], "scope": "paragraph"}
    path.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="needs must be"):
        read_lexicon(path)


def test_to_dict_is_json_ready() -> None:
    audit = _audit("Скидка 20% до 31.12.2026. Звоните: 8-800-555-35-35", "ru")
    data = json.loads(json.dumps(audit.to_dict(), ensure_ascii=False))
    assert data["lang"] == "ru"
    assert data["offer"]["present"]
    assert data["deadline"]["present"]
    assert data["cta"]["present"]
    assert data["deadline"]["ends_on"] == "2026-12-31"
    assert data["deadline"]["evidence"][0]["rule_id"] == "deadline.until_date"
    assert {fmt["name"] for fmt in data["lengths"]["formats"]} >= {"yandex_direct_title"}
    assert data["lengths"]["sms"]["encoding"] == "UCS-2"


def _ends(text: str, lang: str, today: datetime.date, period=None) -> tuple[datetime.date, bool]:
    verdict = check_ad(text, lang=lang, today=today, campaign_period=period).deadline
    assert verdict.present is True
    assert verdict.ends_on is not None
    return verdict.ends_on, verdict.expired


D = datetime.date


@pytest.mark.parametrize(
    ("text", "lang", "today", "ends_on", "expired"),
    [
        # A date that fell within the six months before the audit is this year's, and past.
        ("Скидка 10% до 30 ноября", "ru", D(2026, 12, 6), D(2026, 11, 30), True),
        ("Sale ends Nov 30", "en", D(2026, 12, 6), D(2026, 11, 30), True),
        ("Скидка 10% до 30.11", "ru", D(2026, 12, 6), D(2026, 11, 30), True),
        # Early January: last December is days ago, not next December.
        ("Скидки до 25 декабря", "ru", D(2027, 1, 5), D(2026, 12, 25), True),
        ("Offer valid through December 25", "en", D(2027, 1, 5), D(2026, 12, 25), True),
        # End of the year: a January date is the coming one.
        ("Скидки до 10 января", "ru", D(2026, 12, 28), D(2027, 1, 10), False),
        ("Sale ends January 10", "en", D(2026, 12, 28), D(2027, 1, 10), False),
        # Mid-year, both ways.
        ("Sale ends June 30", "en", D(2026, 7, 15), D(2026, 6, 30), True),
        ("Скидка до 31 августа", "ru", D(2026, 7, 15), D(2026, 8, 31), False),
        # More than six months back is the next occurrence.
        ("Скидка до 31 марта", "ru", D(2026, 11, 27), D(2027, 3, 31), False),
        # Exactly six months back still counts as past; one day more does not.
        ("Sale ends June 6", "en", D(2026, 12, 6), D(2026, 6, 6), True),
        ("Sale ends June 5", "en", D(2026, 12, 6), D(2027, 6, 5), False),
        # The audit day itself has not passed.
        ("Акция до 6 декабря", "ru", D(2026, 12, 6), D(2026, 12, 6), False),
        # 29 February: the nearest one that exists.
        ("Акция до 29 февраля", "ru", D(2027, 3, 10), D(2028, 2, 29), False),
        ("Акция до 29 февраля", "ru", D(2028, 3, 5), D(2028, 2, 29), True),
        ("Offer ends Feb 29", "en", D(2028, 2, 1), D(2028, 2, 29), False),
        # A bare month ends on its last day, this year's when it just ended.
        ("Акция только в ноябре", "ru", D(2026, 12, 6), D(2026, 11, 30), True),
        ("Акция только в ноябре", "ru", D(2026, 11, 27), D(2026, 11, 30), False),
    ],
)
def test_date_without_year_is_the_nearest_one(text, lang, today, ends_on, expired) -> None:
    assert _ends(text, lang, today) == (ends_on, expired)


def test_campaign_period_places_a_date_without_year() -> None:
    text = "Скидка 10% до 30 ноября"
    # A campaign planned for next November: not expired although this November has passed.
    planned = (D(2027, 11, 1), D(2027, 11, 30))
    assert _ends(text, "ru", D(2026, 12, 6), planned) == (D(2027, 11, 30), False)
    # An old campaign re-audited: its own November, long past.
    old = (D(2025, 11, 1), D(2025, 12, 31))
    assert _ends(text, "ru", D(2027, 1, 6), old) == (D(2025, 11, 30), True)
    # Only an end date known: the occurrence nearest to it.
    assert _ends("Sale ends Jan 10", "en", D(2026, 6, 1), (None, D(2027, 1, 31))) == (
        D(2027, 1, 10),
        False,
    )
    # No dates on the campaign: the audit day decides.
    assert _ends(text, "ru", D(2026, 12, 6), (None, None)) == (D(2026, 11, 30), True)
    # A date with a year ignores the campaign.
    assert _ends("Скидка до 30.11.2026", "ru", D(2026, 12, 6), planned) == (D(2026, 11, 30), True)
