"""One-line explanations and concrete suggestions, in the language of the ad."""

from __future__ import annotations

import datetime

_MONTHS_RU = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


def format_day(value: datetime.date, lang: str) -> str:
    """Write a day the way an ad would: "4 декабря 2026" or "December 4, 2026"."""
    if lang == "ru":
        return f"{value.day} {_MONTHS_RU[value.month - 1]} {value.year}"
    return f"{value:%B} {value.day}, {value.year}"


def _short_day(value: datetime.date, lang: str) -> str:
    if lang == "ru":
        return f"{value.day} {_MONTHS_RU[value.month - 1]}"
    return f"{value:%B} {value.day}"


def _quote(texts: list[str], lang: str) -> str:
    if lang == "ru":
        return ", ".join(f"«{text}»" for text in texts)
    return ", ".join(f'"{text}"' for text in texts)


def offer_text(found: list[str], vague: list[str], lang: str) -> tuple[str, str | None]:
    """Return (explanation, suggestion) for the offer element."""
    if found:
        if lang == "ru":
            return f"Есть конкретная выгода: {_quote(found, lang)}.", None
        return f"Names a concrete incentive: {_quote(found, lang)}.", None
    if lang == "ru":
        reason = "Нет конкретной выгоды: скидки, подарка, бесплатной услуги или особой цены"
        if vague:
            reason += f"; {_quote(vague, lang)} — общие слова, а не предложение"
        return reason + ".", (
            "Назовите выгоду конкретно, например: «Скидка 15% на первый заказ» "
            "или «Доставка бесплатно»."
        )
    reason = "No concrete incentive: no discount, gift, free item or special price"
    if vague:
        reason += f"; {_quote(vague, lang)} is a claim, not an offer"
    return reason + ".", 'Name the incentive, e.g. "15% off your first order" or "free delivery".'


def deadline_text(
    found: list[str],
    ends_on: datetime.date | None,
    expired: bool,
    today: datetime.date,
    lang: str,
) -> tuple[str, str | None]:
    """Return (explanation, suggestion) for the deadline element."""
    soon = _short_day(today + datetime.timedelta(days=7), lang)
    if found and expired and ends_on is not None:
        if lang == "ru":
            return (
                f"Срок {_quote(found, lang)} уже прошёл: {format_day(ends_on, lang)}, "
                f"а сегодня {format_day(today, lang)}.",
                f"Обновите дату (например, «до {soon}») или снимите объявление.",
            )
        return (
            f"The deadline {_quote(found, lang)} has passed: {format_day(ends_on, lang)}, "
            f"today is {format_day(today, lang)}.",
            f'Update the date (e.g. "ends {soon}") or withdraw the ad.',
        )
    if found:
        when = f" ({format_day(ends_on, lang)})" if ends_on else ""
        if lang == "ru":
            return f"Срок указан: {_quote(found, lang)}{when}.", None
        return f"States when the chance ends: {_quote(found, lang)}{when}.", None
    if lang == "ru":
        return (
            "Не сказано, когда предложение заканчивается.",
            f"Добавьте срок: «Только до {soon}» или «Предложение действует до конца недели».",
        )
    return (
        "Does not say when the offer ends.",
        f'Add an end point: "Ends {soon}" or "this week only".',
    )


def cta_text(
    found: list[str], phone: str | None, url: str | None, lang: str
) -> tuple[str, str | None]:
    """Return (explanation, suggestion) for the call-to-action element."""
    if found:
        if lang == "ru":
            return f"Есть призыв к действию: {_quote(found, lang)}.", None
        return f"Asks the reader to act: {_quote(found, lang)}.", None
    contact = phone or url
    if lang == "ru":
        reason = "Нет призыва сделать конкретный шаг"
        reason += "; контакты есть, но не сказано, что с ними делать." if contact else "."
        if phone:
            return reason, f"Добавьте призыв: «Звоните: {phone}»."
        if url:
            return reason, f"Добавьте призыв: «Заказывайте на {url}»."
        return reason, "Добавьте призыв: «Оставьте заявку на сайте» или «Звоните прямо сейчас»."
    reason = "No directive to take a concrete step"
    reason += (
        "; contact details are there, but the reader is not told to use them." if contact else "."
    )
    if phone:
        return reason, f'Add a call to action: "Call {phone} today".'
    if url:
        return reason, f'Add a call to action: "Order at {url}".'
    return reason, 'Add a call to action: "Book online" or "Call us today".'


def vague_text(text: str, promo: bool, lang: str) -> str:
    """Explain why a phrase is not an offer."""
    if lang == "ru":
        if promo:
            return f"«{text}» называет акцию, но не говорит, в чём выгода."
        return f"«{text}» — оценка, а не конкретная выгода: назовите скидку, подарок или цену."
    if promo:
        return f'"{text}" names a promotion but not what the reader gets.'
    return f'"{text}" is a value claim, not an incentive: name the discount, gift or price.'


_MARKING_RU = {
    "label": (
        "Есть пометка «Реклама»",
        "Нет пометки «Реклама»",
        "Добавьте пометку «Реклама» в начало или в конец объявления.",
    ),
    "advertiser": (
        "Рекламодатель указан",
        "Не указан рекламодатель (название с ИНН, ООО «…», ИП или сайт)",
        "Укажите рекламодателя: «ООО «Ромашка», ИНН 7707049388» или его сайт.",
    ),
    "erid": (
        "Есть токен ERID",
        "Нет токена ERID из реестра рекламы",
        "Получите токен у оператора рекламных данных и добавьте «ERID: …».",
    ),
}
_MARKING_EN = {
    "label": (
        'Carries the ad label ("Реклама")',
        'No ad label ("Реклама")',
        'Add the label "Реклама" at the start or the end of the ad.',
    ),
    "advertiser": (
        "Names the advertiser",
        "Does not name the advertiser (legal name with tax number, or its website)",
        'Name the advertiser: "ООО «Ромашка», ИНН 7707049388" or its website.',
    ),
    "erid": (
        "Carries the ERID token",
        "No ERID token from the ad register",
        'Get a token from an ad data operator and add "ERID: ...".',
    ),
}


def marking_text(
    element: str, found: list[str], lang: str, spoken_only: bool = False
) -> tuple[str, str | None]:
    """Return (explanation, suggestion) for one part of the marking (label, advertiser, erid).

    ``spoken_only``: in a video, the part is said but never shown, which does not satisfy the rule.
    """
    present, missing, suggestion = (_MARKING_RU if lang == "ru" else _MARKING_EN)[element]
    if found and not spoken_only:
        return f"{present}: {_quote(found, lang)}.", None
    if found:
        if lang == "ru":
            return (
                f"{present} только голосом ({_quote(found, lang)}), а на экране — нет.",
                "Покажите маркировку на экране: голосом её недостаточно.",
            )
        return (
            f"{present} only in speech ({_quote(found, lang)}), not on screen.",
            "Show the marking on screen: saying it is not enough.",
        )
    return missing + ".", suggestion
