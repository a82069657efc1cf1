"""Hostile and mistaken input, one line per case, for tests/web/test_bad_input.py.

Each case is a request that must be refused with a clear message and must leave the stored
rows untouched. ``{name}`` placeholders in the URL, form, query and JSON are filled with the ids
of the seeded rows (see ``seed`` in the test). ``status`` is what the first response must be;
for 302 the test follows the redirect once and looks for the message on that page. ``intact``
names the tables whose rows are compared before and after; ``lang`` is the Accept-Language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

NUL = "Bad\x00name"
LONG = "x" * 5000
DEEP_JSON = "[" * 100_000 + "]" * 100_000
HUGE = "99999999999999999999"  # past every database integer
CONTROL = "control characters"
SEEDED = ("users", "campaigns", "leads", "calls", "transcript_segments", "trackers",
          "glossary_terms", "scorecard_templates", "sampling_rules", "reviews", "api_tokens",
          "objection_corrections", "findings", "company_settings", "ad_audit_marks",
          "locations", "scenarios", "waves", "shop_assignments", "assignment_events", "agents")


@dataclass(frozen=True)
class Case:
    name: str
    role: str  # a role from qa.roles, or "api" for a bearer token
    method: str
    url: str
    message: str
    status: int = 400
    form: dict[str, Any] | None = None
    query: dict[str, str] | None = None
    json: Any = None
    body: str | None = None  # raw JSON text (for what json.dumps cannot write)
    lang: str = "en"
    intact: tuple[str, ...] = field(default=SEEDED)


def _user_form(**overrides: str) -> dict[str, str]:
    return {"email": "new@example.com", "name": "New Person", "role": "reviewer",
            "language": "", "password": "long enough secret", **overrides}


def _user_edit(**overrides: str) -> dict[str, str]:
    return {"edit-name": "Оля", "edit-role": "reviewer", "edit-language": "",
            "edit-active": "y", "edit-submit": "Save", **overrides}


def _location(**overrides: object) -> dict[str, object]:
    return {"name": "Тверская", "address": "Тверская, 1", "latitude": "55.76",
            "longitude": "37.61", "phone": "", "manager_id": "", "active": "y", **overrides}


def _scenario(**overrides: object) -> dict[str, object]:
    return {"name": "Диван", "legend": "Вы ищете диван.", "channel": "visit",
            "objection_lines": "price: Дорого", "template_id": "", "min_narrative_chars": "0",
            "lockout_days": "30", "report_deadline_days": "2", **overrides}


def _wave(**overrides: object) -> dict[str, object]:
    return {"name": "Май", "scenario_id": "{scenario}", "starts_on": "2026-03-02",
            "ends_on": "2026-03-08", "locations": ["{location}"], "shoppers": ["{shopper}"],
            **overrides}


def _campaign(**overrides: str) -> dict[str, str]:
    return {"name": "Лето", "channel": "", "kind": "mass", "utm_source": "", "utm_medium": "",
            "utm_campaign": "", "starts_on": "", "ends_on": "", "spend": "100", "views": "10",
            **overrides}


def _settings(**overrides: str) -> dict[str, str]:
    return {"name": "Shop", "timezone": "Europe/Moscow", "currency": "RUB", "phone_region": "RU",
            "lead_link_window_hours": "24", **overrides}


def _missed(**overrides: str) -> dict[str, str]:
    return {"start": "4", "end": "10", "words": "", "label": "price", **overrides}


MISSED = "/corrections/calls/{call}/segments/{segment}/missed"
DECIDE = "/corrections/{pending}/decide"
AD_MARK = "/ads/{ad}/audits/{audit}/marks"


def _tracker(**overrides: str) -> dict[str, str]:
    return {"name": "Подумать", "label": "think_it_over", "lang": "ru", "said_by": "customer",
            "phrases": "надо подумать", "active": "y", "submit": "Save", **overrides}


def _term(**overrides: str) -> dict[str, str]:
    return {"term": "Смартфон", "misheard": "", "kind": "product", **overrides}


def _rule(**overrides: str) -> dict[str, str]:
    return {"name": "Weekly", "kind": "random_per_agent", "count": "2", "period": "week",
            "flag_label": "", "template": "", "reviewer": "", "active": "y", **overrides}


def _calibration(**overrides: Any) -> dict[str, Any]:
    return {"name": "Октябрь", "template": "{template}", "consensus": "median",
            "calls": ["{call}"], "participants": ["{reviewer1}", "{reviewer2}"], **overrides}


def _review(**overrides: str) -> dict[str, str]:
    return {"scorecard_version_id": "{version}", "answer-greet": "yes", "answer-needs": "3",
            "answer-price": "yes", "comment": "", **overrides}


def _scorecard(**overrides: str) -> dict[str, str]:
    return {"name": "Карта", "description": "",
            "definition": '{"sections": [{"title": "A", "items": [{"key": "a", "text": "A", '
                          '"type": "yes_no", "weight": 1}]}]}',
            "active": "y", **overrides}


def _lead(**overrides: Any) -> list[dict[str, Any]]:
    return [{"external_id": "NEW-1", "created_at": "2026-03-01T10:00:00", "status": "new",
             **overrides}]


def _recording(**overrides: str) -> dict[str, str]:
    return {"lead_external_id": "R-1", **overrides}


CASES: list[Case] = [
    # --- users and company settings (admin) ---------------------------------------------------
    Case("user new: NUL in name", "admin", "POST", "/admin/users/new", CONTROL,
         form=_user_form(name=NUL)),
    Case("user new: NUL in email", "admin", "POST", "/admin/users/new", CONTROL,
         form=_user_form(email="a\x00b@example.com")),
    Case("user new: not an e-mail", "admin", "POST", "/admin/users/new",
         "not a valid e-mail address", form=_user_form(email="not-an-email")),
    Case("user new: e-mail without domain dot", "admin", "POST", "/admin/users/new",
         "not a valid e-mail address", form=_user_form(email="someone@localhost")),
    Case("user new: not an e-mail, in Russian", "admin", "POST", "/admin/users/new",
         "адрес", form=_user_form(email="not-an-email"), lang="ru"),
    Case("user new: 5000-character name", "admin", "POST", "/admin/users/new", "120",
         form=_user_form(name=LONG)),
    Case("user new: unknown role", "admin", "POST", "/admin/users/new", "Not a valid choice",
         form=_user_form(role="superuser")),
    Case("user new: tab in name", "admin", "POST", "/admin/users/new", "single line",
         form=_user_form(name="Ann\tLee")),
    Case("user edit: NUL in name", "admin", "POST", "/admin/users/{user}", CONTROL,
         form=_user_edit(**{"edit-name": NUL})),
    Case("user edit: 5000-character name", "admin", "POST", "/admin/users/{user}", "120",
         form=_user_edit(**{"edit-name": LONG})),
    Case("user edit: escape character in name", "admin", "POST", "/admin/users/{user}", CONTROL,
         form=_user_edit(**{"edit-name": "Оля\x1b[31m"})),
    Case("user edit: NUL in name, in Russian", "admin", "POST", "/admin/users/{user}",
         "управляющие символы", form=_user_edit(**{"edit-name": NUL}), lang="ru"),
    Case("user edit: huge id", "admin", "GET", "/admin/users/" + HUGE, "Nothing was found",
         status=404),
    Case("settings: NaN band", "admin", "POST", "/admin/settings", "between 0 and 100",
         form=_settings(mass_view_lead_red="NaN")),
    Case("settings: Infinity band", "admin", "POST", "/admin/settings", "between 0 and 100",
         form=_settings(lead_sale_red="Infinity")),
    Case("settings: NUL in company name", "admin", "POST", "/admin/settings", CONTROL,
         form=_settings(name=NUL)),
    Case("settings: unknown time zone", "admin", "POST", "/admin/settings", "time zone",
         form=_settings(timezone="Mars/Olympus")),
    Case("settings: NUL in time zone", "admin", "POST", "/admin/settings", CONTROL,
         form=_settings(timezone="Europe/\x00")),
    Case("settings: window 1e20 hours", "admin", "POST", "/admin/settings", "integer",
         form=_settings(lead_link_window_hours="1e20")),
    Case("account: unknown language", "reviewer", "POST", "/account", "Not a valid choice",
         form={"lang-language": "xx", "lang-submit": "Save"}),
    Case("api token: NUL in name", "admin", "POST", "/admin/api-tokens", CONTROL,
         form={"name": NUL}),
    # --- campaigns (marketing) ----------------------------------------------------------------
    Case("campaign new: NUL in name", "marketing", "POST", "/campaigns/new", CONTROL,
         form=_campaign(name=NUL)),
    Case("campaign new: NUL in channel", "marketing", "POST", "/campaigns/new", CONTROL,
         form=_campaign(channel="tv\x00")),
    Case("campaign new: NUL in utm_source", "marketing", "POST", "/campaigns/new", CONTROL,
         form=_campaign(utm_source="ya\x00")),
    Case("campaign new: line break in utm_campaign", "marketing", "POST", "/campaigns/new",
         "single line", form=_campaign(utm_campaign="spring\nsale")),
    Case("campaign new: 5000-character name", "marketing", "POST", "/campaigns/new", "200",
         form=_campaign(name=LONG)),
    Case("campaign new: spend NaN", "marketing", "POST", "/campaigns/new", "finite",
         form=_campaign(spend="NaN")),
    Case("campaign new: spend Infinity", "marketing", "POST", "/campaigns/new", "finite",
         form=_campaign(spend="Infinity")),
    Case("campaign new: spend 1e20", "marketing", "POST", "/campaigns/new", "between",
         form=_campaign(spend="1e20")),
    Case("campaign new: spend 1e13", "marketing", "POST", "/campaigns/new", "between",
         form=_campaign(spend="1e13")),
    Case("campaign new: spend negative", "marketing", "POST", "/campaigns/new", "between",
         form=_campaign(spend="-5")),
    Case("campaign new: views NaN", "marketing", "POST", "/campaigns/new", "integer",
         form=_campaign(views="NaN")),
    Case("campaign new: views 1e20", "marketing", "POST", "/campaigns/new", "integer",
         form=_campaign(views="1e20")),
    Case("campaign new: views 10^20 in digits", "marketing", "POST", "/campaigns/new",
         "between", form=_campaign(views=HUGE)),
    Case("campaign new: views 10^13 in digits", "marketing", "POST", "/campaigns/new",
         "between", form=_campaign(views="10000000000000")),
    Case("campaign new: starts in year 0001", "marketing", "POST", "/campaigns/new", "year",
         form=_campaign(starts_on="0001-01-01")),
    Case("campaign new: ends in year 9999", "marketing", "POST", "/campaigns/new", "year",
         form=_campaign(ends_on="9999-12-31")),
    Case("campaign new: unknown kind", "marketing", "POST", "/campaigns/new",
         "Not a valid choice", form=_campaign(kind="viral")),
    Case("campaign edit: spend NaN keeps the stored one", "marketing", "POST",
         "/campaigns/{campaign}/edit", "finite", form=_campaign(name="Весна", spend="NaN")),
    Case("campaign edit: NUL in name keeps the stored one", "marketing", "POST",
         "/campaigns/{campaign}/edit", CONTROL, form=_campaign(name=NUL)),
    Case("campaign edit: spend 1e20, in Russian", "marketing", "POST",
         "/campaigns/{campaign}/edit", "должно быть от", form=_campaign(name="Весна", spend="1e20"),
         lang="ru"),
    Case("campaign edit: huge id", "marketing", "GET", f"/campaigns/{HUGE}/edit",
         "Nothing was found", status=404),
    # --- leads ------------------------------------------------------------------------------------
    Case("leads: page 10^20", "marketing", "GET", "/leads/", "page", query={"page": HUGE}),
    Case("leads: page 1e21", "marketing", "GET", "/leads/", "page", query={"page": "1e21"}),
    Case("leads: campaign 10^20", "marketing", "GET", "/leads/", "Campaign",
         query={"campaign": HUGE}),
    Case("link call: lead 10^20", "reviewer", "POST", "/leads/link-call/{call}", "Lead number",
         form={"lead_id": HUGE}, status=302),
    # --- calls, transcripts and search ---------------------------------------------------------
    Case("calls: page 1e21", "reviewer", "GET", "/calls/", "page", query={"page": "1e21"}),
    Case("calls: page 10^20", "reviewer", "GET", "/calls/", "page", query={"page": HUGE}),
    Case("calls: page -1", "reviewer", "GET", "/calls/", "page", query={"page": "-1"}),
    Case("calls: unknown sort", "reviewer", "GET", "/calls/", "Not a valid choice",
         query={"sort": "drop table"}),
    Case("calls: unknown status", "reviewer", "GET", "/calls/", "Not a valid choice",
         query={"status": "lost"}),
    Case("calls: end before start", "reviewer", "GET", "/calls/",
         "The end date is before the start date",
         query={"date_from": "2026-05-01", "date_to": "2026-04-01"}),
    Case("calls: from year 0001", "reviewer", "GET", "/calls/", "year",
         query={"date_from": "0001-01-01"}),
    Case("calls: to year 9999", "reviewer", "GET", "/calls/", "year",
         query={"date_to": "9999-12-31"}),
    Case("calls: NUL in text filter", "reviewer", "GET", "/calls/", CONTROL,
         query={"q": "a\x00b"}),
    Case("calls: 5000-character text filter", "reviewer", "GET", "/calls/", "100",
         query={"q": LONG}),
    Case("calls: agent 10^20", "reviewer", "GET", "/calls/", "Not a valid choice",
         query={"agent": HUGE}),
    Case("call page: t=nan", "reviewer", "GET", "/calls/{call}", "t:", query={"t": "nan"}),
    Case("call page: t=1e309", "reviewer", "GET", "/calls/{call}", "t:", query={"t": "1e309"}),
    Case("call page: huge id", "reviewer", "GET", f"/calls/{HUGE}", "Nothing was found",
         status=404),
    Case("correction: NUL", "reviewer", "POST", "/calls/{call}/segments/{segment}", CONTROL,
         form={"text": "Добрый\x00день"}),
    Case("correction: escape character", "reviewer", "POST", "/calls/{call}/segments/{segment}",
         CONTROL, form={"text": "Добрый \x1b день"}),
    Case("correction: 6000 characters", "reviewer", "POST", "/calls/{call}/segments/{segment}",
         "5000", form={"text": "д" * 6000}),
    Case("correction: NUL, in Russian", "reviewer", "POST", "/calls/{call}/segments/{segment}",
         "управляющие символы", form={"text": "Добрый\x00день"}, lang="ru"),
    Case("speakers: segment id 10^20", "reviewer", "POST", "/calls/{call}/speakers",
         "do not belong", form={"segment_ids": HUGE, "speaker": "agent"}, status=302),
    Case("search: NUL", "reviewer", "GET", "/search/", CONTROL, query={"text": "до\x00рого"}),
    Case("search: 5000 characters", "reviewer", "GET", "/search/", "200", query={"text": LONG}),
    Case("search: page 10^20", "reviewer", "GET", "/search/", "page",
         query={"text": "дорого", "page": HUGE}),
    Case("search: to year 9999", "reviewer", "GET", "/search/", "year",
         query={"text": "дорого", "date_to": "9999-12-31"}),
    # --- reviews, sampling, calibration, scorecards ----------------------------------------------
    Case("reviews: page 10^20", "reviewer", "GET", "/reviews/", "page", query={"page": HUGE}),
    Case("reviews: score_min NaN", "reviewer", "GET", "/reviews/", "between 0 and 100",
         query={"score_min": "nan"}),
    Case("reviews: to year 9999", "reviewer", "GET", "/reviews/", "year",
         query={"date_to": "9999-12-31"}),
    Case("reviews: from year 0001", "reviewer", "GET", "/reviews/", "year",
         query={"date_from": "0001-01-01"}),
    Case("review form: template 10^20", "reviewer", "GET", "/reviews/call/{call}", "template",
         query={"template": HUGE}),
    Case("review: NUL in overall comment", "reviewer", "POST", "/reviews/call/{call}", CONTROL,
         form=_review(comment="Хорошо\x00")),
    Case("review: NUL in item comment", "reviewer", "POST", "/reviews/call/{call}", CONTROL,
         form=_review(**{"comment-greet": "ok\x00"})),
    Case("sampling rule: NUL in name", "qa_lead", "POST", "/reviews/sampling", CONTROL,
         form=_rule(name=NUL)),
    Case("sampling rule edit: NUL in name keeps the stored one", "qa_lead", "POST",
         "/reviews/sampling/{rule}", CONTROL, form=_rule(name=NUL)),
    Case("sampling rule: count 1e20", "qa_lead", "POST", "/reviews/sampling", "integer",
         form=_rule(count="1e20")),
    Case("sampling rule: NUL in flag label", "qa_lead", "POST", "/reviews/sampling", CONTROL,
         form=_rule(kind="flag", flag_label="pri\x00ce")),
    Case("calibration: NUL in name", "qa_lead", "POST", "/calibration/new", CONTROL,
         form=_calibration(name=NUL)),
    Case("calibration: 5000-character name", "qa_lead", "POST", "/calibration/new", "200",
         form=_calibration(name=LONG)),
    Case("scorecard: NUL in name", "qa_lead", "POST", "/scorecards/new", CONTROL,
         form=_scorecard(name=NUL)),
    Case("scorecard: NUL in description", "qa_lead", "POST", "/scorecards/new", CONTROL,
         form=_scorecard(description="a\x00b")),
    Case("scorecard: 99,000-deep definition", "qa_lead", "POST", "/scorecards/new",
         "levels deep", form=_scorecard(definition="[" * 99_000 + "]" * 99_000)),
    Case("scorecard: version 10^20", "qa_lead", "GET", "/scorecards/{template}", "version",
         query={"version": HUGE}),
    # --- corrections of objection flags ---------------------------------------------------------
    Case("missed: NUL in words", "reviewer", "POST", MISSED, CONTROL, status=302,
         form=_missed(start="", end="", words="до\x00рого")),
    Case("missed: 6000-character words", "reviewer", "POST", MISSED, "5000", status=302,
         form=_missed(start="", end="", words="д" * 6000)),
    Case("missed: words not in the line", "reviewer", "POST", MISSED, "not in the line",
         status=302, form=_missed(start="", end="", words="дёшево")),
    Case("missed: blank words", "reviewer", "POST", MISSED, "or type them", status=302,
         form=_missed(start="", end="", words="   ")),
    Case("missed: negative start", "reviewer", "POST", MISSED, "between", status=302,
         form=_missed(start="-1")),
    Case("missed: end past the line", "reviewer", "POST", MISSED, "between", status=302,
         form=_missed(end="12")),
    Case("missed: start 10^20", "reviewer", "POST", MISSED, "between", status=302,
         form=_missed(start=HUGE)),
    Case("missed: start not a whole number", "reviewer", "POST", MISSED, "whole number",
         status=302, form=_missed(start="4.5")),
    Case("missed: start not a number", "reviewer", "POST", MISSED, "expected a number",
         status=302, form=_missed(start="four")),
    Case("missed: start NaN", "reviewer", "POST", MISSED, "finite", status=302,
         form=_missed(start="NaN")),
    Case("missed: end before start", "reviewer", "POST", MISSED, "within the line",
         status=302, form=_missed(start="8", end="4")),
    Case("missed: only a space selected", "reviewer", "POST", MISSED, "within the line",
         status=302, form=_missed(start="3", end="4")),
    Case("missed: unknown label", "reviewer", "POST", MISSED, "price or assortment",
         status=302, form=_missed(label="<script>")),
    Case("missed: the line is already flagged so", "reviewer", "POST", MISSED,
         "already flagged", status=302, form=_missed()),
    Case("missed: overlaps a pending mark", "reviewer", "POST", MISSED, "already marked",
         status=302, form=_missed(start="0", end="3", label="assortment")),
    Case("missed: unknown label, in Russian", "reviewer", "POST", MISSED, "цена или ассортимент",
         status=302, form=_missed(label="delivery"), lang="ru"),
    Case("missed: segment of another call", "reviewer", "POST",
         "/corrections/calls/{call}/segments/{other_segment}/missed", "Nothing was found",
         status=404, form=_missed()),
    Case("missed: segment id 10^20", "reviewer", "POST",
         "/corrections/calls/{call}/segments/" + HUGE + "/missed", "Nothing was found",
         status=404, form=_missed()),
    Case("missed: marketing may not mark", "marketing", "POST", MISSED, "does not give access",
         status=403, form=_missed()),
    Case("wrong flag: finding of another call", "reviewer", "POST",
         "/corrections/calls/{call}/findings/{other_finding}/wrong", "Nothing was found",
         status=404),
    Case("decide: twice", "qa_lead", "POST", "/corrections/{decided}/decide", "already decided",
         status=302, form={"reject": "1"}),
    Case("decide: neither accept nor reject", "qa_lead", "POST", DECIDE, "Accept or Reject",
         status=302, form={"note": "ok"}),
    Case("decide: NUL in note", "qa_lead", "POST", DECIDE, CONTROL, status=302,
         form={"accept": "1", "note": "хорошо\x00"}),
    Case("decide: 5000-character note", "qa_lead", "POST", DECIDE, "1000", status=302,
         form={"accept": "1", "note": LONG}),
    Case("decide: reviewer may not decide", "reviewer", "POST", DECIDE, "does not give access",
         status=403, form={"accept": "1"}),
    Case("decide: id 10^20", "qa_lead", "POST", "/corrections/" + HUGE + "/decide",
         "Nothing was found", status=404, form={"accept": "1"}),
    Case("corrections: unknown status", "qa_lead", "GET", "/corrections/", "Not a valid choice",
         query={"status": "lost"}),
    Case("corrections: page 10^20", "qa_lead", "GET", "/corrections/", "page",
         query={"page": HUGE}),
    Case("training export: unknown language", "qa_lead", "GET", "/corrections/training.jsonl",
         "ru or en", query={"lang": "xx"}),
    Case("settings: threshold 1.5", "admin", "POST", "/admin/settings", "0.05 and 0.99",
         form=_settings(objection_threshold_price="1.5")),
    Case("settings: threshold 0.01", "admin", "POST", "/admin/settings", "0.05 and 0.99",
         form=_settings(objection_threshold_assortment="0.01")),
    Case("settings: threshold NaN", "admin", "POST", "/admin/settings", "finite",
         form=_settings(objection_threshold_price="NaN")),
    Case("settings: threshold not a number", "admin", "POST", "/admin/settings",
         "expected a number", form=_settings(objection_threshold_price="high")),
    Case("settings: threshold with NUL", "admin", "POST", "/admin/settings", "expected a number",
         form=_settings(objection_threshold_price="0.5\x00")),
    Case("settings preview: threshold 1e20", "admin", "POST", "/admin/settings",
         "0.05 and 0.99", form=_settings(objection_threshold_price="1e20", preview="Preview")),
    Case("settings: threshold 1.5, in Russian", "admin", "POST", "/admin/settings",
         "от 0.05 до 0.99", form=_settings(objection_threshold_price="1.5"), lang="ru"),
    # --- trackers and glossary ------------------------------------------------------------------
    Case("tracker: NUL in phrase", "qa_lead", "POST", "/trackers/new", CONTROL,
         form=_tracker(phrases="надо\x00подумать")),
    Case("tracker: NUL in name", "qa_lead", "POST", "/trackers/new", CONTROL,
         form=_tracker(name=NUL)),
    Case("tracker: NUL in label", "qa_lead", "POST", "/trackers/new", CONTROL,
         form=_tracker(label="think\x00")),
    Case("tracker edit: NUL in phrase keeps the stored one", "qa_lead", "POST",
         "/trackers/{tracker}", CONTROL, form=_tracker(name="Дорого", phrases="дорого\x00")),
    Case("tracker try-out: NUL in phrase", "qa_lead", "POST", "/trackers/new", CONTROL,
         form={**_tracker(phrases="надо\x00подумать"), "submit": "", "try_it": "Try"}),
    Case("glossary: NUL in term", "qa_lead", "POST", "/trackers/glossary", CONTROL,
         form=_term(term="Смарт\x00фон")),
    Case("glossary: NUL in misheard", "qa_lead", "POST", "/trackers/glossary", CONTROL,
         form=_term(misheard="смарт\x00")),
    Case("glossary edit: NUL in term", "qa_lead", "POST", "/trackers/glossary/{term}", CONTROL,
         form=_term(term="Айфон\x00")),
    Case("glossary: 5000-character term", "qa_lead", "POST", "/trackers/glossary", "200",
         form=_term(term=LONG)),
    # --- dashboard (marketing) ------------------------------------------------------------------
    Case("dashboard: year 0001", "marketing", "GET", "/dashboard/", "year",
         query={"from": "0001-01-01", "to": "0001-01-31"}),
    Case("dashboard: year 9999", "marketing", "GET", "/dashboard/", "year",
         query={"from": "9999-12-01", "to": "9999-12-31"}),
    Case("dashboard: only to, year 0001", "marketing", "GET", "/dashboard/", "year",
         query={"to": "0001-01-05"}),
    Case("dashboard: four-year period", "marketing", "GET", "/dashboard/", "at most three years",
         query={"from": "2020-01-01", "to": "2024-01-01"}),
    Case("export: backwards period", "marketing", "GET", "/dashboard/export.csv",
         "ends before it starts", query={"from": "2026-03-30", "to": "2026-03-01"}),
    Case("dashboard: not a date", "marketing", "GET", "/dashboard/", "Not a valid date",
         query={"from": "yesterday"}),
    Case("dashboard: year 9999, in Russian", "marketing", "GET", "/dashboard/", "год",
         query={"from": "9999-12-01", "to": "9999-12-31"}, lang="ru"),
    Case("drill-down: year 9999", "marketing", "GET", "/dashboard/drill", "year",
         query={"from": "9999-12-01", "to": "9999-12-31", "metric": "leads"}),
    Case("drill-down: page 10^20", "marketing", "GET", "/dashboard/drill", "page",
         query={"metric": "leads", "page": HUGE}),
    Case("drill-down: campaign 10^20", "marketing", "GET", "/dashboard/drill", "Campaign",
         query={"metric": "leads", "campaign": HUGE}),
    Case("drill-down: unknown metric", "marketing", "GET", "/dashboard/drill", "Unknown figure",
         query={"metric": "<script>"}),
    Case("export: year 0001", "marketing", "GET", "/dashboard/export.csv", "year",
         query={"from": "0001-01-01", "to": "0001-01-31"}),
    Case("export: year 9999", "marketing", "GET", "/dashboard/export.csv", "year",
         query={"from": "9999-12-01", "to": "9999-12-31"}),
    # --- ads (marketing) --------------------------------------------------------------------------
    Case("ad: 6000-character text", "marketing", "POST", "/ads/new", "the limit is 5000",
         form={"text": "Скидка 20% " * 600, "campaign_id": "0", "lang": ""}),
    Case("ad: unknown campaign", "marketing", "POST", "/ads/new", "Not a valid choice",
         form={"text": "Скидка 20%", "campaign_id": HUGE, "lang": ""}),
    Case("ads: page 10^20", "marketing", "GET", "/ads/", "page", query={"page": HUGE}),
    Case("ad form: from 10^20", "marketing", "GET", "/ads/new", "from", query={"from": HUGE}),
    Case("ad live check: 100k-deep JSON", "marketing", "POST", "/ads/check", "nested too deeply",
         body=DEEP_JSON),
    Case("ad live check: text is a number", "marketing", "POST", "/ads/check",
         "Send JSON with a text field", json={"text": 5}),
    Case("ad mark: unknown element", "marketing", "POST", AD_MARK, "Unknown ad element",
         status=302, form={"element": "<script>", "kind": "wrong"}),
    Case("ad mark: unknown kind", "marketing", "POST", AD_MARK, "element was missed",
         status=302, form={"element": "offer", "kind": "maybe"}),
    Case("ad mark: NUL in note", "marketing", "POST", AD_MARK, CONTROL, status=302,
         form={"element": "offer", "kind": "wrong", "note": "срок\x00"}),
    Case("ad mark: 5000-character note", "marketing", "POST", AD_MARK, "1000", status=302,
         form={"element": "offer", "kind": "wrong", "note": LONG}),
    Case("ad mark: unknown element, in Russian", "marketing", "POST", AD_MARK,
         "Неизвестный элемент", status=302, form={"element": "price", "kind": "wrong"},
         lang="ru"),
    Case("ad mark: audit of another ad", "marketing", "POST",
         "/ads/{ad}/audits/{other_audit}/marks", "Nothing was found", status=404,
         form={"element": "offer", "kind": "wrong"}),
    Case("ad mark: reviewer may not mark", "reviewer", "POST", AD_MARK, "does not give access",
         status=403, form={"element": "offer", "kind": "wrong"}),
    # The live check only previews: a campaign it cannot use is no campaign, not an error.
    Case("ad live check: campaign 10^20", "marketing", "POST", "/ads/check", '"deadline"',
         status=200, json={"text": "Скидка 20% до 30 ноября", "campaign_id": 10**20}),
    Case("ad live check: campaign is text", "marketing", "POST", "/ads/check", '"deadline"',
         status=200, json={"text": "Скидка 20% до 30 ноября", "campaign_id": "1 OR 1=1"}),
    # --- integration API ------------------------------------------------------------------------
    Case("api leads: 100k-deep JSON", "api", "POST", "/api/v1/leads", "nested too deeply",
         body=DEEP_JSON),
    Case("api leads: not a list", "api", "POST", "/api/v1/leads", "Send a JSON list",
         json={"external_id": "X"}),
    Case("api leads: NUL in name", "api", "POST", "/api/v1/leads", CONTROL,
         json=_lead(name="Ann\x00")),
    Case("api leads: NUL in external id", "api", "POST", "/api/v1/leads", CONTROL,
         json=_lead(external_id="X\x00")),
    Case("api leads: NUL in customer id", "api", "POST", "/api/v1/leads", CONTROL,
         json=_lead(customer_id="C\x00")),
    Case("api leads: 5000-character name", "api", "POST", "/api/v1/leads", "200",
         json=_lead(name=LONG)),
    Case("api leads: 5000-character external id", "api", "POST", "/api/v1/leads", "120",
         json=_lead(external_id=LONG)),
    Case("api leads: amount NaN", "api", "POST", "/api/v1/leads", "finite",
         body='[{"external_id": "N1", "created_at": "2026-03-01", "sale_amount": NaN}]'),
    Case("api leads: amount Infinity", "api", "POST", "/api/v1/leads", "finite",
         body='[{"external_id": "N1", "created_at": "2026-03-01", "sale_amount": Infinity}]'),
    Case("api leads: amount 1e20", "api", "POST", "/api/v1/leads", "between",
         json=_lead(sale_amount=1e20)),
    Case("api leads: amount 1e13", "api", "POST", "/api/v1/leads", "between",
         json=_lead(sale_amount=1e13)),
    Case("api leads: amount text NaN", "api", "POST", "/api/v1/leads", "finite",
         json=_lead(sale_amount="NaN")),
    Case("api leads: created in year 0001", "api", "POST", "/api/v1/leads", "year",
         json=_lead(created_at="0001-01-01")),
    Case("api leads: created in year 9999", "api", "POST", "/api/v1/leads", "year",
         json=_lead(created_at="9999-12-31T23:00:00-05:00")),
    Case("api leads: update keeps the stored amount", "api", "POST", "/api/v1/leads", "finite",
         json=_lead(external_id="L-1", sale_amount="Infinity")),
    Case("api leads: amount 1e20, in Russian", "api", "POST", "/api/v1/leads", "должно быть от",
         json=_lead(sale_amount=1e20), lang="ru"),
    Case("api recording: NUL in title", "api", "POST", "/api/v1/recordings", CONTROL,
         status=422, form=_recording(title="Call\x00")),
    Case("api recording: NUL in agent", "api", "POST", "/api/v1/recordings", CONTROL,
         status=422, form=_recording(agent="Ann\x00")),
    Case("api recording: 5000-character agent", "api", "POST", "/api/v1/recordings", "120",
         status=422, form=_recording(agent=LONG)),
    Case("api recording: NUL in lead id", "api", "POST", "/api/v1/recordings", CONTROL,
         status=422, form=_recording(lead_external_id="R\x00")),
    Case("api recording: NUL in utm_campaign", "api", "POST", "/api/v1/recordings", CONTROL,
         status=422, form=_recording(utm_campaign="spring\x00")),
    Case("api recording: call in year 0001", "api", "POST", "/api/v1/recordings", "year",
         status=422, form=_recording(called_at="0001-01-01T00:00")),
    Case("api recording: call in year 9999", "api", "POST", "/api/v1/recordings", "year",
         status=422, form=_recording(called_at="9999-12-31T23:59")),
    Case("api call: id 10^20", "api", "GET", f"/api/v1/calls/{HUGE}", "Not Found", status=404),
    # --- mystery shopping -----------------------------------------------------------------------
    Case("location new: NUL in name", "qa_lead", "POST", "/locations/new", CONTROL,
         form=_location(name=NUL)),
    Case("location new: NUL in address", "qa_lead", "POST", "/locations/new", CONTROL,
         form=_location(address="Main\x00 St")),
    Case("location new: 5000-character name", "qa_lead", "POST", "/locations/new", "200",
         form=_location(name=LONG)),
    Case("location new: latitude 91", "qa_lead", "POST", "/locations/new", "between -90 and 90",
         form=_location(latitude="91")),
    Case("location new: longitude -181", "qa_lead", "POST", "/locations/new",
         "between -180 and 180", form=_location(longitude="-181")),
    Case("location new: latitude NaN", "qa_lead", "POST", "/locations/new", "Latitude",
         form=_location(latitude="NaN")),
    Case("location new: longitude Infinity", "qa_lead", "POST", "/locations/new", "Longitude",
         form=_location(longitude="Infinity")),
    Case("location new: latitude text", "qa_lead", "POST", "/locations/new", "Latitude",
         form=_location(latitude="north")),
    Case("location new: latitude without longitude", "qa_lead", "POST", "/locations/new",
         "both the latitude", form=_location(longitude="")),
    Case("location new: latitude 91, in Russian", "qa_lead", "POST", "/locations/new", "Широта",
         form=_location(latitude="91"), lang="ru"),
    Case("location new: not a phone", "qa_lead", "POST", "/locations/new",
         "Not a valid phone number", form=_location(phone="12")),
    Case("location new: a reviewer as manager", "qa_lead", "POST", "/locations/new",
         "location manager role", form=_location(manager_id="{user}")),
    Case("location new: manager id 10^20", "qa_lead", "POST", "/locations/new", "Manager",
         form=_location(manager_id=HUGE)),
    Case("location edit: another location's name", "qa_lead", "POST", "/locations/{location}/edit",
         "already a location named", form=_location(name="Склад")),
    Case("location edit: id 10^20", "qa_lead", "GET", f"/locations/{HUGE}/edit",
         "Nothing was found", status=404),
    Case("location import: random bytes as XLSX", "qa_lead", "POST", "/locations/import",
         "XLSX", status=302, form={"file": (bytes(range(256)) * 8, "locations.xlsx")}),
    Case("location import: no name column", "qa_lead", "POST", "/locations/import",
         "needs a name column", status=302,
         form={"file": (b"address;lat\nSomewhere;1\n", "locations.csv")}),
    Case("location import: NUL bytes in CSV", "qa_lead", "POST", "/locations/import",
         "does not look like a CSV",
         status=302, form={"file": (b"name;address\nA\x00;B\n", "locations.csv")}),
    Case("location import: not CSV or XLSX", "qa_lead", "POST", "/locations/import",
         "CSV or XLSX only", status=302, form={"file": (b"MZ\x90\x00", "locations.exe")}),
    Case("agent location: unknown location", "qa_lead", "POST", "/agents/{agent}/location",
         "no location number 999999", status=302, form={"location_id": "999999"}),
    Case("agent location: id 10^20", "qa_lead", "POST", "/agents/{agent}/location", "Location",
         status=302, form={"location_id": HUGE}),
    Case("scenario new: NUL in name", "qa_lead", "POST", "/mystery/scenarios/new", CONTROL,
         form=_scenario(name=NUL)),
    Case("scenario new: NUL in legend", "qa_lead", "POST", "/mystery/scenarios/new", CONTROL,
         form=_scenario(legend="Вы\x00 покупатель")),
    Case("scenario new: 6000-character legend", "qa_lead", "POST", "/mystery/scenarios/new",
         "5000", form=_scenario(legend="x" * 6000)),
    Case("scenario new: unknown channel", "qa_lead", "POST", "/mystery/scenarios/new",
         "Not a valid choice", form=_scenario(channel="telepathy")),
    Case("scenario new: unknown objection label", "qa_lead", "POST", "/mystery/scenarios/new",
         "Unknown objection label", form=_scenario(objection_lines="vibes: hmm")),
    Case("scenario new: NUL in suggested words", "qa_lead", "POST", "/mystery/scenarios/new",
         CONTROL, form=_scenario(objection_lines="price: до\x00рого")),
    Case("scenario new: 30 objections", "qa_lead", "POST", "/mystery/scenarios/new",
         "At most 20", form=_scenario(objection_lines="price: x\n" * 30)),
    Case("scenario new: negative lockout", "qa_lead", "POST", "/mystery/scenarios/new",
         "between 0 and 3650", form=_scenario(lockout_days="-1")),
    Case("scenario new: lockout 10^20", "qa_lead", "POST", "/mystery/scenarios/new",
         "3650", form=_scenario(lockout_days=HUGE)),
    Case("scenario new: unknown scorecard", "qa_lead", "POST", "/mystery/scenarios/new",
         "Not a valid choice", form=_scenario(template_id="999999")),
    Case("scenario edit: another scenario's name", "qa_lead", "POST",
         "/mystery/scenarios/{scenario}/edit", "already a scenario named",
         form=_scenario(name="Второй сценарий")),
    Case("wave new: days out of order", "qa_lead", "POST", "/mystery/waves/new",
         "before the first", form=_wave(starts_on="2026-05-10", ends_on="2026-05-01")),
    Case("wave new: year 0001", "qa_lead", "POST", "/mystery/waves/new", "year",
         form=_wave(starts_on="0001-01-01")),
    Case("wave new: NUL in name", "qa_lead", "POST", "/mystery/waves/new", CONTROL,
         form=_wave(name=NUL)),
    Case("wave new: unknown scenario", "qa_lead", "POST", "/mystery/waves/new",
         "Not a valid choice", form=_wave(scenario_id="999999")),
    Case("wave new: unknown location", "qa_lead", "POST", "/mystery/waves/new",
         "no location number 999999", form=_wave(locations=["999999"])),
    Case("wave new: location id 10^20", "qa_lead", "POST", "/mystery/waves/new", "Location",
         form=_wave(locations=[HUGE])),
    Case("wave new: a reviewer as shopper", "qa_lead", "POST", "/mystery/waves/new",
         "mystery shopper role", form=_wave(shoppers=["{user}"])),
    Case("wave new: shopper locked out", "qa_lead", "POST", "/mystery/waves/new",
         "visited it within the last 30 days", form=_wave(**{"shopper-{location}": "{shopper}"},
                                                          shoppers=[])),
    Case("assignment move: unknown state", "qa_lead", "POST",
         "/mystery/assignments/{assignment}/move", "Unknown state", status=302,
         form={"to_state": "hacked"}),
    Case("assignment move: approve a scheduled visit", "qa_lead", "POST",
         "/mystery/assignments/{assignment}/move", "cannot become", status=302,
         form={"to_state": "approved"}),
    Case("assignment move: NUL in comment", "qa_lead", "POST",
         "/mystery/assignments/{submitted}/move", CONTROL, status=302,
         form={"to_state": "returned", "comment": "Нет\x00 чека"}),
    Case("shopper: start another shopper's assignment", "shopper", "POST",
         "/shopping/{assignment}/start", "Nothing was found", status=404, form={}),
    Case("shopper: open the staff assignment page", "shopper", "GET",
         "/mystery/assignments/{assignment}", "does not give access", status=403),
    # The shopper's report: only the owner gets past the id; evidence content is checked in
    # tests/web/test_shop_reports.py (the owner is the only one who may upload).
    Case("shopper: open another shopper's report", "shopper", "GET",
         "/shopping/{assignment}/report", "Nothing was found", status=404,
         intact=(*SEEDED, "shop_reports", "shop_evidence")),
    Case("shopper: write into another shopper's report", "shopper", "POST",
         "/shopping/{assignment}/report", "Nothing was found", status=404,
         form={"seller": "Иван", "save": "1",
               "file": (b"<html><script>alert(1)</script>", "photo.jpg")},
         intact=(*SEEDED, "shop_reports", "shop_evidence")),
    Case("shopper: report id 10^20", "shopper", "GET", f"/shopping/{HUGE}/report",
         "Nothing was found", status=404),
    Case("shopper: remove evidence from another's report", "shopper", "POST",
         "/shopping/{assignment}/report/evidence/1/remove", "Nothing was found", status=404,
         form={}, intact=(*SEEDED, "shop_reports", "shop_evidence")),
    Case("shopper: evidence id 10^20", "shopper", "GET", f"/shopping/evidence/{HUGE}",
         "Nothing was found", status=404),
    Case("staff: evidence id 10^20", "qa_lead", "GET", f"/mystery/evidence/{HUGE}",
         "Nothing was found", status=404),
    Case("shopper: open the staff evidence download", "shopper", "GET", "/mystery/evidence/1",
         "does not give access", status=403),
]
