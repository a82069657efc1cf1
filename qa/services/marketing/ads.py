"""Ad texts and their audits: audit one text or a batch, re-audit, list with filters, export."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, not_, select
from sqlalchemy.orm import selectinload

from qa.extensions import db
from qa.models import AdAudit, AdText, Campaign, User
from qa.services import exports, validation
from qa.services.errors import NotFound, ValidationFailed
from qa.services.marketing.campaigns import find_by_name
from qa.services.tabular import Table
from qa.timefmt import local_today
from qa.vocabulary import AD_STATUS
from scoring.adcopy import AdAudit as AdCheck
from scoring.adcopy import check_ad

MAX_AD_CHARS = 5000
MAX_BATCH_ROWS = 1000
# Columns of a batch row other than the text, campaign and language, kept with the ad.
MAX_EXTRA_CHARS = 2000
LANGS = ("ru", "en")
STATUSES = AD_STATUS.values
# Accepted header names (already normalised by read_table), Russian spreadsheets included.
TEXT_COLUMNS = ("text", "ad_text", "текст", "текст_объявления")
CAMPAIGN_COLUMNS = ("campaign", "кампания")
LANG_COLUMNS = ("lang", "language", "язык")
# Columns the results download adds; a re-uploaded results file drops them, so none is doubled.
RESULT_COLUMNS = ("offer", "deadline", "cta", "expired", "suggestions", "error")
# Kept in AdText.extra (keys starting "__" are not shown as columns): an online ad in Russia.
ONLINE_KEY = "__online"
BATCH_TOKEN = re.compile(r"^[0-9a-f]{32}$")
BATCH_KEEP_SECONDS = 30 * 24 * 3600
# The same file from the same user within this time is a repeated click, not a new batch.
REPEAT_SECONDS = 10 * 60

# Control characters break PostgreSQL text (NUL) and XLSX cells; newlines and tabs are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class AdFilters:
    campaign_id: int | None = None
    status: str | None = None
    missing: str | None = None


@dataclass(frozen=True)
class BatchRow:
    line: int
    values: dict[str, str]
    audit: AdAudit | None = None
    error: str | None = None

    @property
    def suggestions(self) -> list[str]:
        return suggestions(self.audit) if self.audit else []


@dataclass
class BatchReport:
    header: list[str]
    rows: list[BatchRow] = field(default_factory=list)
    filename: str = ""
    text_column: str = "text"
    campaign_column: str | None = None

    @property
    def audited(self) -> int:
        return sum(1 for row in self.rows if row.audit is not None)

    @property
    def failed(self) -> int:
        return sum(1 for row in self.rows if row.error is not None)


def clean_text(text: str) -> str:
    """The text as it is stored and audited: one newline style, no control characters."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def campaign_period(campaign: Campaign | None) -> tuple[date | None, date | None] | None:
    """The campaign's dates, by which an ad reads a date written without a year."""
    if campaign is None or not (campaign.starts_on or campaign.ends_on):
        return None
    return campaign.starts_on, campaign.ends_on


def campaign_for_check(value: object) -> Campaign | None:
    """The campaign a live check names by number, if it exists; anything else is no campaign.

    The live check only previews, so a missing or malformed number falls back to the audit day.
    """
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**31:
        return None
    return db.session.get(Campaign, value)


def is_online(extra: dict[str, Any]) -> bool:
    """Whether an ad was stored as an online ad (its marking is checked)."""
    return extra.get(ONLINE_KEY) == "yes"


def check_text(
    text: str,
    lang: str | None = None,
    today: date | None = None,
    campaign: Campaign | None = None,
    online: bool = False,
) -> AdCheck:
    """Audit a text without storing it; raise ValidationFailed when it cannot be audited.

    ``online``: an online ad in Russia, whose marking (label, advertiser, erid) is checked too.
    A deadline is judged against the company's day, not the server's.
    """
    today = today or local_today()
    cleaned = clean_text(text)
    if not cleaned:
        raise ValidationFailed(_("The ad text is empty."))
    if len(cleaned) > MAX_AD_CHARS:
        raise ValidationFailed(
            _(
                "The ad text is %(n)d characters long; the limit is %(max)d.",
                n=len(cleaned),
                max=MAX_AD_CHARS,
            )
        )
    if lang and lang not in LANGS:
        raise ValidationFailed(_("Unknown language %(lang)s: use ru or en.", lang=lang))
    try:
        return check_ad(
            cleaned,
            lang=lang or None,
            today=today,
            campaign_period=campaign_period(campaign),
            online=online,
        )
    except ValueError as exc:
        raise ValidationFailed(_("This text cannot be audited: %(error)s", error=exc)) from exc


def audit_text(
    text: str,
    *,
    campaign_id: int | None = None,
    lang: str | None = None,
    user: User | None = None,
    extra: dict[str, str] | None = None,
    today: date | None = None,
    online: bool = False,
) -> AdText:
    """Audit a new ad text and store it with its first audit (``online``: marking checked too,
    now and at every re-audit)."""
    campaign = None
    if campaign_id:
        campaign = db.session.get(Campaign, campaign_id)
        if campaign is None:
            raise ValidationFailed(_("There is no campaign number %(id)s.", id=campaign_id))
    extra = {**(extra or {}), **({ONLINE_KEY: "yes"} if online else {})}
    ad_text = _store_new(text, campaign, lang or None, user, extra, today)
    db.session.flush()
    return ad_text


def _store_new(
    text: str,
    campaign: Campaign | None,
    lang: str | None,
    user: User | None,
    extra: dict[str, str],
    today: date | None,
) -> AdText:
    result = check_text(text, lang, today, campaign, online=is_online(extra))
    ad_text = AdText(
        text=clean_text(text),
        campaign=campaign,
        lang=lang,
        created_by=user,
        extra={key: clean_text(value) for key, value in extra.items()},
    )
    db.session.add(ad_text)
    _add_audit(ad_text, result, user)
    return ad_text


def reaudit(ad_text: AdText, user: User | None, today: date | None = None) -> AdAudit:
    """Audit a stored text again (after the rules change); the earlier audits stay in history."""
    audit = _add_audit(
        ad_text,
        check_text(
            ad_text.text, ad_text.lang, today, ad_text.campaign, online=is_online(ad_text.extra)
        ),
        user,
    )
    db.session.flush()
    return audit


def _add_audit(ad_text: AdText, result: AdCheck, user: User | None) -> AdAudit:
    audit = AdAudit(
        has_offer=result.offer.present,
        has_deadline=result.deadline.present,
        has_cta=result.cta.present,
        deadline_expired=result.deadline.expired,
        result=result.to_dict(),
        audited_by=user,
    )
    ad_text.audits.append(audit)
    return audit


def _latest_audits() -> Any:
    return (
        select(AdAudit.ad_text_id.label("ad_text_id"), func.max(AdAudit.id).label("audit_id"))
        .group_by(AdAudit.ad_text_id)
        .subquery()
    )


def list_ad_texts(page: int, per_page: int, filters: AdFilters | None = None) -> Pagination:
    """Ad texts, newest first, filtered by campaign and by the verdict of their latest audit."""
    filters = filters or AdFilters()
    query = (
        select(AdText)
        .options(selectinload(AdText.audits), selectinload(AdText.campaign))
        .order_by(AdText.created_at.desc(), AdText.id.desc())
    )
    if filters.campaign_id:
        query = query.where(AdText.campaign_id == filters.campaign_id)
    if filters.status or filters.missing:
        latest = _latest_audits()
        query = query.outerjoin(latest, latest.c.ad_text_id == AdText.id).outerjoin(
            AdAudit, AdAudit.id == latest.c.audit_id
        )
        if filters.status == "passed":
            query = query.where(AdAudit.passed)
        elif filters.status == "failed":
            query = query.where(AdAudit.id.is_not(None), not_(AdAudit.passed))
        elif filters.status == "unaudited":
            query = query.where(AdAudit.id.is_(None))
        missing = {
            "offer": not_(AdAudit.has_offer),
            "deadline": not_(AdAudit.has_deadline),
            "cta": not_(AdAudit.has_cta),
            "expired": AdAudit.deadline_expired,
        }.get(filters.missing or "")
        if missing is not None:
            query = query.where(missing, AdAudit.id.is_not(None))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def _column(header: list[str], names: tuple[str, ...]) -> str | None:
    return next((name for name in names if name in header), None)


def _unneutralise(value: str) -> str:
    """Undo the quote our own CSV download puts before formula-like cells."""
    if value.startswith("'") and value[1:2] and value[1] in exports.FORMULA_START:
        return value[1:]
    return value


def audit_batch(
    table: Table, user: User | None, today: date | None = None, online: bool = False
) -> BatchReport:
    """Audit every row of an uploaded table; a bad row is reported with its line, others stored.

    ``online``: every row is an online ad in Russia, whose marking is checked too (as
    :func:`audit_text` does for one ad).
    """
    text_column = _column(table.header, TEXT_COLUMNS)
    if text_column is None:
        raise ValidationFailed(
            _(
                "The file needs a 'text' column (found: %(columns)s).",
                columns=validation.shown(", ".join(h for h in table.header if h) or "–", 200),
            )
        )
    if not table.rows and not table.errors:
        raise ValidationFailed(_("The file has no rows below its header."))
    total = len(table.rows) + len(table.errors)
    if total > MAX_BATCH_ROWS:
        raise ValidationFailed(
            _(
                "The file has %(n)d rows; audit at most %(max)d at a time.",
                n=total,
                max=MAX_BATCH_ROWS,
            )
        )
    campaign_column = _column(table.header, CAMPAIGN_COLUMNS)
    lang_column = _column(table.header, LANG_COLUMNS)
    known = {text_column, campaign_column, lang_column, *RESULT_COLUMNS}
    header = [h for h in table.header if h and h not in RESULT_COLUMNS]
    report = BatchReport(header=header, text_column=text_column, campaign_column=campaign_column)
    report.rows.extend(BatchRow(line, {}, error=message) for line, message in table.errors)
    campaigns: dict[str, Campaign | None] = {}
    for row in table.rows:
        values = {k: v for k, v in row.values.items() if k in header}
        try:
            _refuse_nul(values)
            campaign = _row_campaign(row.values.get(campaign_column or "", ""), campaigns)
            lang = _row_lang(row.values.get(lang_column or "", ""))
            text = _unneutralise(row.values.get(text_column, ""))
            extra = {
                k: validation.clean_text(v, field=k, max_length=MAX_EXTRA_CHARS, multiline=True)
                or ""
                for k, v in values.items()
                # "__" keys are the app's own (ONLINE_KEY): a column cannot set them.
                if k not in known and not k.startswith("__")
            }
            if online:
                extra[ONLINE_KEY] = "yes"
            # Its own savepoint: a row the database refuses costs only that row.
            with db.session.begin_nested():
                ad_text = _store_new(text, campaign, lang, user, extra, today)
                db.session.flush()
        except ValidationFailed as exc:
            report.rows.append(BatchRow(row.line, values, error=str(exc)))
            continue
        report.rows.append(BatchRow(row.line, values, audit=ad_text.audits[-1]))
    report.rows.sort(key=lambda batch_row: batch_row.line)
    return report


def _refuse_nul(values: dict[str, str]) -> None:
    """Other control characters are dropped from ad texts; a NUL means the file is damaged."""
    for name, value in values.items():
        if "\x00" in value:
            raise ValidationFailed(_("%(field)s: contains a NUL byte.", field=name))


def _row_campaign(name: str, cache: dict[str, Campaign | None]) -> Campaign | None:
    name = name.strip()
    if not name:
        return None
    key = name.casefold()
    if key not in cache:
        cache[key] = find_by_name(name)
    if cache[key] is None:
        raise ValidationFailed(_("Unknown campaign %(name)s.", name=validation.shown(name)))
    return cache[key]


def _row_lang(value: str) -> str | None:
    value = value.strip().lower()
    if value in ("", "auto"):
        return None
    if value not in LANGS:
        raise ValidationFailed(
            _("Unknown language %(lang)s: use ru or en.", lang=validation.shown(value))
        )
    return value


def save_batch(report: BatchReport, directory: str) -> str:
    """Keep the batch's rows on disk so its results page and downloads can be opened later."""
    os.makedirs(directory, exist_ok=True)
    _prune(directory)
    token = uuid.uuid4().hex
    payload = {
        "filename": report.filename,
        "header": report.header,
        "text_column": report.text_column,
        "campaign_column": report.campaign_column,
        "rows": [
            {
                "line": row.line,
                "values": row.values,
                "audit_id": row.audit.id if row.audit else None,
                "error": row.error,
            }
            for row in report.rows
        ],
    }
    with open(os.path.join(directory, f"{token}.json"), "w", encoding="utf-8") as handle:
        json.dump(payload, handle, ensure_ascii=False)
    return token


def _prune(directory: str) -> None:
    now = time.time()
    for name in os.listdir(directory):
        path = os.path.join(directory, name)
        keep = {".json": BATCH_KEEP_SECONDS, ".upload": REPEAT_SECONDS}.get(
            os.path.splitext(name)[1]
        )
        try:
            if keep is not None and os.path.getmtime(path) < now - keep:
                os.unlink(path)
        except FileNotFoundError:
            continue


def upload_digest(data: bytes, user: User, online: bool = False) -> str:
    """What identifies one user's upload of one file (a double click sends it twice).

    The e-mail joins the id because ids are reused when a database is recreated while the
    instance folder stays; the same file sent again as online ads is a new audit.
    """
    options = "online\n" if online else ""
    return hashlib.sha256(f"{user.id}\n{user.email}\n{options}".encode() + data).hexdigest()


def claim_upload(directory: str, digest: str) -> str | None:
    """Claim an upload for auditing; None when claimed now.

    Otherwise the same user sent the same file within REPEAT_SECONDS: return the token of its
    results, or "" while it is still being audited, so it is not stored twice.
    """
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"{digest}.upload")
    for _attempt in range(2):
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            return None
        except FileExistsError:
            try:
                if time.time() - os.path.getmtime(path) < REPEAT_SECONDS:
                    with open(path, encoding="ascii") as handle:
                        return handle.read().strip()
                os.unlink(path)
            except FileNotFoundError:
                continue
    return None


def release_upload(directory: str, digest: str) -> None:
    """Forget a claim whose audit failed, so the file can be sent again."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(os.path.join(directory, f"{digest}.upload"))


def record_upload(directory: str, digest: str, token: str) -> None:
    with open(os.path.join(directory, f"{digest}.upload"), "w", encoding="ascii") as handle:
        handle.write(token)


def load_batch(directory: str, token: str) -> BatchReport:
    """The stored batch with its audits; NotFound for an unknown or expired token."""
    path = os.path.join(directory, f"{token}.json")
    if not BATCH_TOKEN.match(token) or not os.path.exists(path):
        raise NotFound(_("These batch results are no longer available."))
    with open(path, encoding="utf-8") as handle:
        payload = json.load(handle)
    ids = [row["audit_id"] for row in payload["rows"] if row["audit_id"]]
    query = (
        select(AdAudit)
        .where(AdAudit.id.in_(ids))
        .options(selectinload(AdAudit.ad_text).selectinload(AdText.campaign))
    )
    audits = {audit.id: audit for audit in db.session.scalars(query)} if ids else {}
    report = BatchReport(
        header=payload["header"],
        filename=payload.get("filename", ""),
        text_column=payload["text_column"],
        campaign_column=payload["campaign_column"],
    )
    for row in payload["rows"]:
        audit = audits.get(row["audit_id"]) if row["audit_id"] else None
        error = row["error"] or (None if audit else _("The audit is no longer stored."))
        report.rows.append(BatchRow(row["line"], row["values"], audit, error))
    return report


def suggestions(audit: AdAudit) -> list[str]:
    """The fixes an audit proposes, for each element that is missing or expired."""
    result = audit.result or {}
    found = []
    for name in ("offer", "deadline", "cta"):
        suggestion = (result.get(name) or {}).get("suggestion")
        if suggestion:
            found.append(suggestion)
    # An online ad's marking (label, advertiser, erid); none is checked for other ads.
    for verdict in (result.get("marking") or {}).values():
        if isinstance(verdict, dict) and not verdict.get("present") and verdict.get("suggestion"):
            found.append(verdict["suggestion"])
    return found


def batch_table(report: BatchReport) -> tuple[list[str], list[list[str]]]:
    """The original columns of each row followed by the verdict columns."""
    header = [*report.header, *RESULT_COLUMNS]
    rows = []
    for row in report.rows:
        audit = row.audit
        verdict = (
            [
                _yes(audit.has_offer),
                _yes(audit.has_deadline),
                _yes(audit.has_cta),
                _yes(audit.deadline_expired),
                "; ".join(suggestions(audit)),
            ]
            if audit
            else ["", "", "", "", ""]
        )
        rows.append([row.values.get(h, "") for h in report.header] + verdict + [row.error or ""])
    return header, rows


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def batch_csv(report: BatchReport) -> bytes:
    """The results as CSV, written by the one export writer (formula-like cells neutralised)."""
    return exports.csv_bytes(*batch_table(report))


def batch_xlsx(report: BatchReport) -> bytes:
    """The results as an XLSX workbook; every text cell is stored as text, never as a formula."""
    return exports.xlsx_bytes(*batch_table(report), title="audit")
