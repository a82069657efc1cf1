"""Every page, export and API answer speaks the reader's language and the company's time.

Pages come from the URL map, so a new page is checked the moment it exists. They are rendered
over ``display_world`` (something of every status, channel and kind; every stored time the same
known UTC instant) as an admin, in Russian and in English.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from werkzeug.routing import Rule

from qa.extensions import db
from qa.vocabulary import VOCABULARIES
from tests.test_i18n import translations
from tests.web import display_world
from tests.web.display_world import KNOWN_UTC, LOCAL_DAY, LOCAL_ISO, LOCAL_TIME
from tests.web.test_access import _MAP_APP

# Not pages: files, JSON and the API are checked on their own below.
NOT_PAGES = {
    "static", "bootstrap.static", "calls.recording", "calls.status", "calls.export",
    "ads.batch_download", "dashboard.export", "corrections.export",
    "ads.marks_export", "shopping.evidence_file", "mystery.evidence_file",
    "mystery.reports_export", "coaching.mine_recording", "my_work.recording",
    "ads.video_file", "ads.video_thumbnail", "ads.video_status",
    # Machine-readable: health as JSON, metrics in Prometheus's text format.
    "ops.healthz", "ops.readyz", "ops.metrics_page",
}
PERIOD = f"from={LOCAL_DAY.isoformat()}&to={LOCAL_DAY.isoformat()}"
EXTRA_PAGES = (
    f"/dashboard/?{PERIOD}",
    *(f"/dashboard/drill?{PERIOD}&campaign={scope}&metric={metric}"
      for scope in ("all", "mass", "targeted")
      for metric in ("leads", "won", "leads_site_request", "calls", "price_calls", "ad_texts",
                     "ads_failed")),
    "/calls/?status=transcribed",
    "/calls/?flag=price",
    "/ads/?status=passed",
    "/search/?q=дороговато",
    "/corrections/?status=",
    "/coaching/?kind=bad",
    "/coaching/assignments?state=seen",
)
# Pages whose list or header shows a stored moment: they must show it in company time.
SHOWS_TIME = (
    "/calls/", "/calls/{call_id}", "/calls/{call_id}/segments/{segment_id}", "/leads/",
    "/campaigns/{campaign_id}", "/ads/", "/ads/{ad_id}", "/reviews/", "/reviews/{review_id}",
    "/reviews/queue", "/reviews/sampling", "/agents/{agent_id}", "/admin/users",
    "/admin/api-tokens", "/admin/audit", "/admin/personal-data",
    "/admin/personal-data/records/{record_id}", "/calls/{deleted_call_id}", "/corrections/",
    "/corrections/?status=", "/ads/marks",
    "/ads/videos", "/ads/videos/{video_id}",
    "/mystery/assignments/{assignment_id}",
    "/coaching/", "/coaching/assignments", "/coaching/mine/{coaching_id}",
    "/me/", "/me/calls/{call_id}",
    "/me/reviews/{review_id}",
    "/mystery/assignments/{assignment_id}", "/notifications/",
    f"/dashboard/drill?{PERIOD}&campaign=all&metric=leads",
    f"/dashboard/drill?{PERIOD}&campaign=all&metric=calls",
)
# Language pickers name each language in itself.
ENDONYMS = {"English"}
# The UTC instant as it would read without conversion, and as a raw datetime would.
UTC_READINGS = (
    re.compile(r"(?<!\d)17:37(?!\d)"), re.compile(r"(?<!\d)5:37\s?PM"),
    re.compile(r"2026-02-28"), re.compile(r"Feb 28"), re.compile(r"28 февр"),
    re.compile(r"123456"), re.compile(r"\d\d:\d\d:\d\d\.\d{6}"),
)


class _Visible(HTMLParser):
    """The text a reader sees: no scripts, styles, code samples or editable text."""

    SKIP = {"script", "style", "code", "textarea", "template"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def without_scripts(html: str) -> str:
    return re.sub(r"<script\b.*?</script>", "", html, flags=re.S)


def page_urls(ids: dict[str, int], batch_token: str, more: list[str]) -> list[str]:
    def fill(rule: Rule) -> str:
        def value(match: re.Match[str]) -> str:
            name = match.group(2)
            if name == "token":
                return batch_token
            if name == "fmt":
                return "csv"
            return str(ids[name])

        return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", value, rule.rule)

    rules = sorted(_MAP_APP.url_map.iter_rules(), key=lambda r: r.rule)
    urls = [
        fill(rule) for rule in rules
        if "GET" in (rule.methods or ()) and rule.endpoint not in NOT_PAGES
        # The API and its description speak the wire format: stored values are its contract.
        and not rule.endpoint.startswith(("api.", "api_docs."))
    ]
    return [*urls, *EXTRA_PAGES, *more]


@pytest.fixture
def world(app: Flask, client: FlaskClient, login) -> display_world.World:  # type: ignore[no-untyped-def]
    built = display_world.build(app)
    login.as_user(built.admin.email)
    built.admin.last_login_at = KNOWN_UTC  # logging in just now set it
    db.session.commit()
    return built


def _read_as(client: FlaskClient, world: display_world.World, lang: str) -> dict[str, str]:
    """Every page as ``lang`` reads it: url -> html (pages must answer 200)."""
    world.admin.language = lang
    db.session.commit()
    pages = {}
    for url in page_urls(world.ids, world.batch_token, world.more_pages):
        response = client.get(url)
        if response.status_code == 302:  # the login page sends a logged-in user home
            continue
        assert response.status_code == 200, f"{url}: {response.status_code}"
        pages[url] = response.get_data(as_text=True)
    return pages


def _english_phrases() -> tuple[set[str], set[str]]:
    """Interface strings that Russian translates: phrases (2+ words) and single words."""
    template, russian = translations.extract(), translations.load("ru")
    phrases, words = set(), set()
    for message in template:
        if not message.id or isinstance(message.id, tuple):
            continue
        translated = russian.get(message.id)
        if translated is None or translated.string == message.id:
            continue
        for fragment in re.split(r"%\(\w+\)[sd]|[.:,;!?()“”'\"…·–]", message.id):
            fragment = fragment.strip()
            if re.fullmatch(r"[A-Za-z]+(?: [A-Za-z]+)+", fragment) and len(fragment) >= 8:
                phrases.add(fragment)
            elif re.fullmatch(r"[A-Z][a-z]{3,}", fragment) and fragment not in ENDONYMS:
                words.add(fragment)
    return phrases, words


def test_russian_pages_show_no_raw_values_or_english(client, world) -> None:
    raw_values = {v for vocab in VOCABULARIES.values() for v in vocab.values}
    raw = re.compile(r"(?<![\w-])(" + "|".join(sorted(raw_values)) + r")(?![\w-])")
    phrases, words = _english_phrases()
    single = re.compile(r"(?<![\w-])(" + "|".join(sorted(words)) + r")(?![\w-])")
    problems = []
    for url, html in _read_as(client, world, "ru").items():
        text = visible_text(html)
        problems += [f"{url}: raw value {m!r}" for m in sorted(set(raw.findall(text)))]
        problems += [f"{url}: English {p!r}" for p in sorted(phrases) if p in text]
        problems += [f"{url}: English {w!r}" for w in sorted(set(single.findall(text)))]
        problems += [f"{url}: {m!r}" for m in re.findall(r"\d+ in total", text)]
    assert not problems, "\n".join(problems)


def test_english_pages_show_names_not_codes(client, world) -> None:
    codes = {v for vocab in VOCABULARIES.values() for v in vocab.values if "_" in v}
    problems = []
    for url, html in _read_as(client, world, "en").items():
        text = visible_text(html)
        problems += [f"{url}: raw value {c!r}" for c in sorted(codes) if c in text]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_page_shows_company_time(client, world, lang: str) -> None:
    pages = _read_as(client, world, lang)
    problems = []
    for url, html in pages.items():
        shown = without_scripts(html)
        problems += [f"{url}: {p.pattern}" for p in UTC_READINGS if p.search(shown)]
        # Days are written the reader's way, not as ISO dates.
        problems += [f"{url}: {d}" for d in re.findall(r"\d{4}-\d\d-\d\d", visible_text(html))]
    for pattern in SHOWS_TIME:
        url = pattern.format(**world.ids)
        if visible_text(LOCAL_TIME[lang]) not in visible_text(pages[url]):
            problems.append(f"{url}: no {LOCAL_TIME[lang]!r}")
    assert not problems, "\n".join(problems)
    # Days are the company's days, in the reader's format.
    day = visible_text(format_date(LOCAL_DAY, "medium", locale=lang))
    assert day in visible_text(pages["/calibration/"])
    assert day in visible_text(pages[f"/dashboard/?{PERIOD}"])


def test_api_and_status_give_company_time_with_its_offset(client, world) -> None:
    headers = {"Authorization": f"Bearer {world.api_token}"}
    call = client.get(f"/api/v1/calls/{world.ids['call_id']}", headers=headers).get_json()
    assert call["called_at"] == LOCAL_ISO
    assert [r["created_at"] for r in call["reviews"]] == [LOCAL_ISO]
    status = client.get(f"/calls/{world.ids['queued_call_id']}/status").get_json()
    assert status["job"]["created_at"] == LOCAL_ISO


def test_exports_carry_no_utc_or_raw_times(client, world) -> None:
    bodies = {
        "dashboard.csv": client.get(f"/dashboard/export.csv?{PERIOD}").get_data(as_text=True),
        "batch.csv": client.get(
            f"/ads/batch/{world.batch_token}/results.csv").get_data(as_text=True),
    }
    book = load_workbook(io.BytesIO(
        client.get(f"/ads/batch/{world.batch_token}/results.xlsx").get_data()))
    rows = book.active.iter_rows(values_only=True)
    bodies["batch.xlsx"] = "\n".join(" ".join(str(c) for c in row if c is not None) for row in rows)
    for fmt in ("txt", "srt", "vtt", "json"):
        response = client.get(f"/calls/{world.ids['call_id']}/transcript.{fmt}")
        assert response.status_code == 200
        bodies[fmt] = response.get_data(as_text=True)
    # The dashboard CSV starts with a byte-order mark, so that Excel reads it as UTF-8.
    assert list(csv.reader(io.StringIO(bodies["dashboard.csv"].lstrip("\ufeff"))))[0][0] == "row"
    problems = [f"{name}: {p.pattern}" for name, body in bodies.items()
                for p in UTC_READINGS if p.search(body)]
    assert not problems, "\n".join(problems)
    assert str(KNOWN_UTC) not in "".join(bodies.values())
