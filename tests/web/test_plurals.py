"""Counts read right in both languages: "1 review", "2 reviews"; "1 оценка", "5 оценок"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask, render_template_string
from flask_babel import force_locale

ROOT = Path(__file__).resolve().parents[2]
NUMBERS = (1, 2, 5, 21)

# (singular, plural) as the templates and views write them -> the expected text for 1, 2, 5, 21.
CASES = {
    ("%(num)d review", "%(num)d reviews"): {
        "en": ["1 review", "2 reviews", "5 reviews", "21 reviews"],
        "ru": ["1 оценка", "2 оценки", "5 оценок", "21 оценка"],
    },
    ("%(num)d published report", "%(num)d published reports"): {
        "en": [
            "1 published report",
            "2 published reports",
            "5 published reports",
            "21 published reports",
        ],
        "ru": [
            "1 опубликованный отчёт",
            "2 опубликованных отчёта",
            "5 опубликованных отчётов",
            "21 опубликованный отчёт",
        ],
    },
    ("%(num)d character", "%(num)d characters"): {
        "en": ["1 character", "2 characters", "5 characters", "21 characters"],
        "ru": ["1 символ", "2 символа", "5 символов", "21 символ"],
    },
    ("%(num)d call assigned.", "%(num)d calls assigned."): {
        "en": ["1 call assigned.", "2 calls assigned.", "5 calls assigned.", "21 calls assigned."],
        "ru": [
            "Назначен 1 звонок.",
            "Назначено 2 звонка.",
            "Назначено 5 звонков.",
            "Назначен 21 звонок.",
        ],
    },
    ("Today: %(num)d job done", "Today: %(num)d jobs done"): {
        "en": [
            "Today: 1 job done",
            "Today: 2 jobs done",
            "Today: 5 jobs done",
            "Today: 21 jobs done",
        ],
        "ru": [
            "Сегодня выполнено 1 задание",
            "Сегодня выполнено 2 задания",
            "Сегодня выполнено 5 заданий",
            "Сегодня выполнено 21 задание",
        ],
    },
}


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize(("singular", "plural"), list(CASES))
def test_counts_take_the_plural_form_of_each_number(
    app: Flask, lang: str, singular: str, plural: str
) -> None:
    template = "{{ ngettext(singular, plural, n) }}"
    with app.test_request_context(), force_locale(lang):
        shown = [
            render_template_string(template, singular=singular, plural=plural, n=n) for n in NUMBERS
        ]
    assert shown == CASES[(singular, plural)][lang]


def test_no_count_is_written_with_a_fixed_plural_word() -> None:
    """A count followed by an English plural must go through ngettext ("1 reviews" never)."""
    fixed = re.compile(r"""\b_\(\s*['"]%\(\w+\)d [a-z]+s\b""")
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "templates").rglob("*.html")
        for match in fixed.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_jobs_page_counts_in_russian(client, login) -> None:  # type: ignore[no-untyped-def]
    login.as_role("qa_lead")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru"
    page = client.get("/jobs/").get_data(as_text=True)
    assert "Сегодня выполнено 0 заданий" in page
    assert "Задания расшифровки" in page
