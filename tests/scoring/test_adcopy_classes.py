"""check_ad on classes of wording found in real ads, each with look-alikes that must not match.

Rows are written per class (other verbs, word forms and layouts than the ones the rules name),
so that a rule fitted to one example string fails them.
"""

from __future__ import annotations

import datetime

import pytest

from scoring.adcopy import check_ad
from scoring.adcopy.rules import aspect_key

TODAY = datetime.date(2026, 12, 6)


def _present(text: str, lang: str, element: str) -> bool:
    return check_ad(text, lang=lang, today=TODAY).element(element).present


CTA_CLASSES = [
    # A call to action inside a line without punctuation: after a promo code or figures, in
    # capitals, mid-line.
    ("en", "40% OFF EVERYTHING SHOP NOW", True),
    ("en", "Use code WINTER15 order online today", True),
    ("en", "Promo code FALL book now", True),
    ("en", "Up to 50% off all boots Shop now", True),
    ("en", "Free delivery over $40 call 555-0142", True),
    ("en", "Free estimates reserve your spot at roofpro.com", True),
    ("en", "Free gift with any $75 purchase.", False),
    ("en", "$25 order minimum for delivery", False),
    ("en", "Open 9-5 at 2 shop locations", False),
    ("en", "Your table hold ends at 6pm today", False),
    ("en", "We Call You Back Within 15 Minutes", False),
    ("en", "Customers call us the friendliest store in town", False),
    ("en", "Our team will book your flights", False),
    ("en", "COFFEE SHOP NOW OPEN", False),
    ("en", "24/7 CALL OUT SERVICE", False),
    ("en", "BOOK FAIR THIS SATURDAY", False),
    ("en", "SUMMER SALE SHOP NOW", True),
    ("ru", "Скидка 15% по промокоду ЛЕТО15 Оформить заказ", True),
    ("ru", "Пицца 590 ₽ Заказать", True),
    ("ru", "Распродажа обуви Купить", True),
    ("ru", "Успеть купить можно до пятницы", False),
    # Russian imperatives by morphology: other aspect and reflexive forms of the action class.
    ("ru", "Подключайтесь к домашнему интернету", True),
    ("ru", "Регистрируйтесь на марафон", True),
    ("ru", "Оформляйтесь на сайте", True),
    ("ru", "Приобретайте билеты в кассах", True),
    ("ru", "Забронируйте стол на праздник", True),
    ("ru", "Присоединяйтесь к программе лояльности", True),
    ("ru", "Записывайтесь заранее", True),
    ("ru", "Подписывайтесь на рассылку", True),
    ("ru", "Успейте оформить карту", True),
    ("ru", "Не забудьте продлить абонемент", True),
    ("ru", "Не забудьте подключиться к акции", True),
    ("ru", "Вы отлично смотритесь в нашей одежде", False),
    ("ru", "Откройтесь новому вкусу", False),
    ("ru", "Обратите внимание на новинки сезона", False),
    ("ru", "Обращайтесь в любое отделение", True),
    ("ru", "Не сдавайтесь!", False),
    ("ru", "Сдайте старый телефон в зачёт нового", True),
    ("ru", "Не забудьте о себе", False),
    ("ru", "Успейте!", False),
    ("ru", "Пополните счёт в приложении", True),
    ("ru", "Предъявите купон на кассе", True),
    ("ru", "Мы указываем цены с НДС", False),
    ("en", "Quote SAVE10 at checkout", True),
    ("en", "Quote of the day", False),
    # A button label: an infinitive on a line of its own, no colon.
    ("ru", "Новая коллекция пальто\nКупить", True),
    ("ru", "Курсы английского для детей\nЗаписаться онлайн", True),
    ("ru", "Записаться можно по телефону", False),
    ("ru", "Купить в рассрочку можно в любом салоне", False),
    # Persuasion imperatives name no step.
    ("ru", "Выбирайте лучшее", False),
    ("ru", "Выбирайте качество для своей семьи", False),
    ("ru", "Выбирайте нас", False),
    ("ru", "Выберите тариф в приложении", True),
    ("en", "Choose the best for your family", False),
    ("en", "Choose quality, choose us", False),
]


@pytest.mark.parametrize(("lang", "text", "expected"), CTA_CLASSES)
def test_cta_classes(lang: str, text: str, expected: bool) -> None:
    assert _present(text, lang, "cta") is expected


def test_aspect_key_pairs_aspects_and_reflexive_forms() -> None:
    for pair in (
        ("записать", "записывать", "записываться"),
        ("оформить", "оформлять", "оформляться"),
        ("подключить", "подключать", "подключаться"),
        ("присоединиться", "присоединяться"),
    ):
        assert len({aspect_key(word) for word in pair}) == 1, pair
    assert aspect_key("купить") != aspect_key("копить")


OFFER_CLASSES = [
    # A small reward for a step other than buying.
    ("ru", "Кофе за отзыв на картах", True),
    ("ru", "Мойка фар за репост", True),
    ("ru", "Пицца за каждого друга, который сделает заказ", True),
    ("ru", "Спасибо за отзыв!", False),
    ("ru", "Штраф за парковку на газоне", False),
    ("en", "A coffee for every review", True),
    ("en", "$20 credit for each referral", True),
    ("en", "A free drink with any pizza", True),
    ("en", "Thanks for your review!", False),
    ("en", "A late fee for each missed payment", False),
    # A gift described by its value.
    ("ru", "Подарок стоимостью 5000 при покупке дивана", True),
    ("ru", "Сертификат номиналом 3000 ₽ за покупку от 20 000 ₽", True),
    ("ru", "Подарки на сумму до 10 000 ₽", True),
    ("ru", "Стоимость подарочной упаковки 200 ₽", False),
    ("en", "A gift worth $50 with every mattress", True),
    ("en", "Bonus kit valued at $120 with any grill", True),
    ("en", "Gift wrapping costs $5", False),
    # A dash glued to a percentage is a minus.
    ("ru", "Всё –30%", True),
    ("ru", "Шубы —50 %", True),
    ("ru", "Весь ассортимент — 25%", True),
    ("en", "Everything –40%", True),
    ("en", "Winter boots —30 %", True),
    ("ru", "Размеры 40 — 50%", False),
    ("ru", "Влажность 40–60%", False),
    ("ru", "Ставка — 12% годовых", False),
    ("en", "Humidity 40–60%", False),
    ("en", "Occupancy rate — 95%", False),
    # A fee waived; bare financing is not an offer, interest-free instalments are.
    ("en", "No fee for the first month", True),
    ("en", "No charge for installation", True),
    ("en", "Zero commission on trades", True),
    ("ru", "Без комиссии за обслуживание", True),
    ("ru", "Без абонентской платы 3 месяца", True),
    ("ru", "Рассрочка без первого взноса", True),
    ("ru", "Рассрочка без переплат", True),
    ("ru", "Рассрочка 0% на 12 месяцев", True),
    ("ru", "Рассрочка на 12 месяцев", False),
    ("ru", "Ипотека от 6%", False),
    ("en", "Financing available", False),
    ("en", "Monthly payments available", False),
]


@pytest.mark.parametrize(("lang", "text", "expected"), OFFER_CLASSES)
def test_offer_classes(lang: str, text: str, expected: bool) -> None:
    assert _present(text, lang, "offer") is expected


DEADLINE_CLASSES = [
    # A price rise named by a noun: the current price ends then.
    ("ru", "Повышение цен с 1 февраля", True),
    ("ru", "Подорожание абонементов с 15 января", True),
    ("ru", "Индексация тарифов с 1 марта", True),
    ("ru", "Новые тарифы с 1 января", True),
    ("ru", "Изменение графика работы с 1 марта", False),
    ("ru", "Открытие магазина с 1 февраля", False),
    ("en", "Price increase from Feb 1", True),
    ("en", "Rate increase effective January 1", True),
    ("en", "New store hours from Feb 1", False),
    # A date leading the line names the day of the promotion.
    ("ru", "12 декабря — скидки 20% на всё", True),
    ("ru", "15 декабря: распродажа зимней обуви", True),
    ("ru", "Пятница — минус 30% на десерты", True),
    ("en", "Dec 12 — 20% off everything", True),
    ("en", "Saturday: 20% off all coats", True),
    ("ru", "12 декабря — мастер-класс по лепке", False),
    ("ru", "14 июня — концерт, вход свободный", False),
    ("en", "Dec 12 — open house", False),
    ("en", "Since 1998: family owned", False),
    # A period named after a holiday, and a holiday as a limit.
    ("ru", "Скидки на новогодние праздники", True),
    ("ru", "Скидки 20% на майские праздники", True),
    ("ru", "Скидки в чёрную пятницу до 70%", True),
    ("ru", "Скидка 10% до Нового года", True),
    ("ru", "До Нового года — скидка 10%", True),
    ("en", "Black Friday weekend: 30% off", True),
    ("en", "Memorial Day weekend sale", True),
    ("en", "20% off on Black Friday", True),
    ("ru", "Меню на 8 Марта", False),
    ("ru", "Новогодние праздники в кругу семьи", False),
    ("ru", "Детям до 5 лет вход бесплатный", False),
    ("en", "Thanksgiving menu", False),
    ("en", "Open on Black Friday from 6am", False),
    # A range beside a named promotion stands without a described offer.
    ("ru", "Акция с 1 по 10 декабря", True),
    ("ru", "Спецпредложение 1–10 декабря", True),
    ("en", "Holiday promotion Dec 1–15", True),
    ("ru", "Акция весь декабрь", True),
    ("en", "Special offer all week", True),
    ("ru", "Концерт весь декабрь по пятницам", False),
    ("ru", "Ярмарка с 1 по 10 декабря", False),
    ("en", "Home show Dec 1–15", False),
]


@pytest.mark.parametrize(("lang", "text", "expected"), DEADLINE_CLASSES)
def test_deadline_classes(lang: str, text: str, expected: bool) -> None:
    assert _present(text, lang, "deadline") is expected


MORE_DEADLINE_CLASSES = [
    # Dates written in words (radio ads, transcripts).
    ("ru", "Подключайтесь до тридцать первого декабря и получите месяц бесплатно", True),
    ("ru", "Скидки с пятнадцатого по двадцатое декабря", True),
    ("ru", "Набор в группы продлится до двадцатого сентября", True),
    ("ru", "Вторая пара очков в подарок", False),
    ("en", "Registration closes May fifteenth", True),
    ("en", "Sale ends the twenty-first of December", True),
    ("en", "Our second store opens in May", False),
    # A last day given with its date; a named day the offer is tied to.
    ("ru", "Ликвидация –70%\nПоследний день 30.11.2026", True),
    ("en", "Last day: Nov 30. 20% off everything", True),
    ("ru", "В день открытия каждому гостю — кофе в подарок", True),
    ("en", "Free coffee on opening day", True),
    ("ru", "В день открытия работаем до 22:00", False),
    # Price rises in other word orders, and a day of the month written "15-го".
    ("ru", "Успейте купить до повышения цен 1 марта", True),
    ("ru", "С 1 февраля — новые цены", True),
    ("ru", "Акция продлится до 15-го", True),
    ("ru", "Живём на 15-м этаже", False),
    # "Stop by today" is a visit, not a limit; a countdown to a holiday is not a limit.
    ("en", "Fresh bagels daily stop by today", False),
    ("ru", "До Нового года осталось совсем немного, а у нас 2 пиццы по цене одной", False),
    ("en", "Stay tuned for our Black Friday deals!", False),
]


@pytest.mark.parametrize(("lang", "text", "expected"), MORE_DEADLINE_CLASSES)
def test_more_deadline_classes(lang: str, text: str, expected: bool) -> None:
    assert _present(text, lang, "deadline") is expected


MORE_CTA_CLASSES = [
    ("en", "Fresh bagels daily stop by today", True),
    ("en", "Orders come in daily", False),
    # A link ends a sentence, so an opt-out after it does not veto the call to action.
    ("en", "30% off knitwear. Shop now at threadly.example Reply STOP to opt out", True),
    ("en", "Reply STOP to opt out", False),
    ("en", "GET £10 OFF YOUR FIRST SHOP WITH CODE HELLO10", False),
    ("en", "Applications close 18 January — send your CV to jobs@example.com", True),
    ("ru", "Вы оставили товары в корзине! Завершите заказ до 23:59", True),
    ("ru", "ЦЕНЫ РАСТУТ С 1 ЯНВАРЯ — ЗАФИКСИРУЙТЕ ТЕКУЩУЮ ЦЕНУ", True),
]


@pytest.mark.parametrize(("lang", "text", "expected"), MORE_CTA_CLASSES)
def test_more_cta_classes(lang: str, text: str, expected: bool) -> None:
    assert _present(text, lang, "cta") is expected


MORE_OFFER_CLASSES = [
    ("ru", "Следующий капучино за наш счёт", True),
    ("ru", "Кухни по ценам 2026 года", True),
    ("ru", "Телевизоры по цене прошлого года", True),
    ("ru", "Новогодние подарки для всей семьи", False),
    ("ru", "Подарок для вас при покупке от 3000 ₽", True),
    ("ru", "Здесь мы первыми публикуем скидки и распродажи", False),
    ("en", "No Call-Out Charge", True),
    ("en", "No hidden fees", False),
    ("en", "You could save up to £500 on car insurance", False),
]


@pytest.mark.parametrize(("lang", "text", "expected"), MORE_OFFER_CLASSES)
def test_more_offer_classes(lang: str, text: str, expected: bool) -> None:
    assert _present(text, lang, "offer") is expected


D = datetime.date


@pytest.mark.parametrize(
    ("text", "lang", "today", "ends_on", "expired"),
    [
        # Holidays resolve to their day (the nearest one), a holiday weekend to its last day.
        ("Black Friday weekend: 30% off", "en", D(2026, 12, 6), D(2026, 11, 29), True),
        ("Cyber Monday only: 25% off", "en", D(2026, 12, 6), D(2026, 11, 30), True),
        ("Presidents' Day weekend only: half price", "en", D(2026, 2, 20), D(2026, 2, 16), True),
        ("20% off until Christmas", "en", D(2026, 12, 6), D(2026, 12, 25), False),
        ("Sale through Labor Day", "en", D(2026, 9, 10), D(2026, 9, 7), True),
        ("Скидка 10% до Нового года", "ru", D(2026, 12, 6), D(2027, 1, 1), False),
        ("Скидки в чёрную пятницу до 70%", "ru", D(2026, 12, 6), D(2026, 11, 27), True),
        ("Только в новогодние праздники вход бесплатно", "ru", D(2027, 1, 20), D(2027, 1, 8), True),
        ("Чай в подарок до конца масленичной недели", "ru", D(2026, 3, 10), D(2026, 2, 22), True),
        # Spoken dates follow the same year rule.
        ("Скидка до двадцать пятого декабря", "ru", D(2027, 1, 3), D(2026, 12, 25), True),
        (
            "Call before April fifteenth: free consultation",
            "en",
            D(2026, 4, 20),
            D(2026, 4, 15),
            True,
        ),
        # A weekend after a date is that date's weekend.
        ("July 4th weekend: 20% off grills", "en", D(2026, 12, 6), D(2026, 7, 5), True),
    ],
)
def test_named_and_spoken_days_resolve(text, lang, today, ends_on, expired) -> None:
    verdict = check_ad(text, lang=lang, today=today).deadline
    assert verdict.present is True
    assert (verdict.ends_on, verdict.expired) == (ends_on, expired)


def test_a_time_of_day_ends_on_the_date_given_with_it() -> None:
    verdict = check_ad("Offer ends 11:59 PM PT on 12/2", lang="en", today=TODAY).deadline
    assert (verdict.present, verdict.ends_on, verdict.expired) == (True, D(2026, 12, 2), True)
    # A time alone ends on the day of the audit, which has not passed.
    verdict = check_ad("Ends at 10pm today: free appetizer", lang="en", today=TODAY).deadline
    assert (verdict.ends_on, verdict.expired) == (TODAY, False)


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # A date before a dash names the day of the offer wherever it stands...
        ("ru", "Приходите 14 февраля — всем влюблённым скидка 14%", True),
        # ...but a start date does not: the offer begins then.
        ("en", "Starting Dec 1: 25% off gift cards", False),
        ("ru", "С 1 декабря — скидки 20%", False),
        ("ru", "Цены вырастут с 1 января | Купите сейчас", True),
        ("en", "From Dec 1 to Dec 5: 20% off", True),
    ],
)
def test_dates_before_a_dash(lang: str, text: str, expected: bool) -> None:
    assert _present(text, lang, "deadline") is expected


@pytest.mark.parametrize(
    ("lang", "text", "element", "expected"),
    [
        ("ru", "Последние выходные распродажи диванов", "deadline", True),
        ("ru", "Абонементы дорожают с января — успейте купить по старой цене", "deadline", True),
        ("ru", "Дети бесплатно на весенних каникулах", "deadline", True),
        ("ru", "Лагерь на летних каникулах", "deadline", False),
        ("en", "Kids go free over half-term", "deadline", True),
        ("en", "Half-term camp for kids", "deadline", False),
        ("en", "Memberships go up in January — join now at the old rate", "offer", True),
        ("en", "Membership rates are listed at reception", "offer", False),
    ],
)
def test_school_holidays_last_weekends_and_old_rates(lang, text, element, expected) -> None:
    assert _present(text, lang, element) is expected


@pytest.mark.parametrize(
    ("text", "ends_on"),
    [
        ("Offer ends 12/24", D(2026, 12, 24)),
        ("Offer closes 24/12/2026", D(2026, 12, 24)),
        ("Expires 01/15/27", D(2027, 1, 15)),
        ("Valid until 31.12.2026", D(2026, 12, 31)),
    ],
)
def test_numeric_dates_in_english(text: str, ends_on: datetime.date) -> None:
    verdict = check_ad(text, lang="en", today=TODAY).deadline
    assert (verdict.present, verdict.ends_on) == (True, ends_on)


@pytest.mark.parametrize("text", ["24/7 — free delivery on all orders", "Open 24/7: free parking"])
def test_round_the_clock_is_not_a_date(text: str) -> None:
    assert _present(text, "en", "deadline") is False


def test_weekdays_in_a_holiday_week_are_that_week() -> None:
    text = "Thanksgiving week only: pies 20% off when you pre-order by Tuesday"
    after = check_ad(text, lang="en", today=D(2026, 12, 6)).deadline
    assert (after.ends_on, after.expired) == (D(2026, 11, 26), True)
    before = check_ad(text, lang="en", today=D(2026, 11, 20)).deadline
    assert before.expired is False
    # Without a holiday's week a weekday is the next one after the audit.
    plain = check_ad("Order by Friday for Christmas delivery", lang="en", today=TODAY).deadline
    assert plain.ends_on == D(2026, 12, 11)
