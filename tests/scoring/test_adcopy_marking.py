"""The marking of online ads (labelling rules B4): label, advertiser and erid, in text ads."""

from __future__ import annotations

import datetime

import pytest

from scoring.adcopy import check_ad

TODAY = datetime.date(2026, 12, 6)


def _marking(text: str, lang: str) -> dict[str, list[str]]:
    audit = check_ad(text, lang, today=TODAY, online=True)
    assert audit.marking is not None
    return {
        name: [e.text for e in audit.marking.element(name).evidence]
        for name in ("label", "advertiser", "erid")
    }


def test_full_russian_marking_is_found_with_its_words() -> None:
    found = _marking(
        "Скидка 20% до 31 декабря! Звоните. Реклама. ООО «Ромашка», ИНН 7701234567. "
        "erid: 2VtzqwXYZ1",
        "ru",
    )
    assert found["label"] == ["Реклама"]
    assert found["advertiser"] == ["ООО «Ромашка»", "ИНН 7701234567"]
    assert found["erid"] == ["erid: 2VtzqwXYZ1"]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # An erid inside a link and a site right after the label.
        ("Реклама. shop.ru. Подробнее: https://shop.ru/?erid=2VtzqwXYZ1", "ru", (1, 1, 1)),
        ("Реклама. ИП Иванов И. И. Стрижка 500 ₽", "ru", (1, 1, 0)),
        # The word in the copy is not a label; a bare erid is not a token.
        ("Реклама наших услуг. Рекламное агентство «Старт». erid: токен", "ru", (0, 0, 0)),
        ("Ad. Acme Widgets LLC. erid=LjN8KaBcD4. 20% off, ends Friday", "en", (1, 1, 1)),
        ("Sponsored. Book a table at bistro.com", "en", (1, 0, 0)),
        ("Ad agency services for small shops. Visit acme.com", "en", (0, 0, 0)),
    ],
)
def test_marking_parts(text: str, lang: str, expected: tuple[int, int, int]) -> None:
    found = _marking(text, lang)
    assert tuple(int(bool(found[name])) for name in ("label", "advertiser", "erid")) == expected


def test_missing_marking_is_explained_with_a_fix_in_the_ads_language() -> None:
    audit = check_ad("Скидка 20% на всё. Звоните!", "ru", today=TODAY, online=True)
    assert audit.marking is not None
    assert not audit.marking.complete
    assert audit.marking.erid.explanation.startswith("Нет токена ERID")
    assert "ERID" in (audit.marking.erid.suggestion or "")
    english = check_ad("20% off everything. Call now!", "en", today=TODAY, online=True)
    assert english.marking is not None
    assert english.marking.label.suggestion == (
        'Add the label "Реклама" at the start or the end of the ad.'
    )


def test_marking_is_checked_only_for_online_ads() -> None:
    audit = check_ad("Скидка 20% на всё. Звоните!", "ru", today=TODAY)
    assert audit.marking is None
    assert audit.to_dict()["marking"] is None
