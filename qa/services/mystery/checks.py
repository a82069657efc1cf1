"""Automatic checks of a shopper's report against its evidence, shown to the editor.

Each check says pass, fail or unknown with a reason. The seller's handling of each raised
objection is only a suggestion (rule lexicons, Russian and English): it never scores.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from qa.extensions import db
from qa.models import Call, ShopAssignment, ShopReport, TranscriptSegment
from qa.services.mystery.evidence import deleted_recordings
from qa.services.quality.scorecards import definition_of
from qa.timefmt import day_bounds
from qa.vocabulary import OBJECTION

EARTH_RADIUS_M = 6_371_000.0
# How the seller met an objection: the first class whose words appear in their next turns.
HANDLING_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "gave_up",
        re.compile(
            r"ничем не (могу|можем) помочь|ничего не (могу|можем|поделаешь)|как хотите|"
            r"не знаю|нет в наличии и не будет|\bcan'?t help\b|nothing (i|we) can do|"
            r"up to you|no idea",
            re.I,
        ),
    ),
    (
        "alternative",
        re.compile(
            r"альтернатив|вместо|аналог|похож|другую модель|другой вариант|можем заказать|"
            r"под заказ|привез|есть (также|ещё|еще)|предлож|\binstead\b|alternative|similar|"
            r"another (model|option)|we can order|in stock at",
            re.I,
        ),
    ),
    (
        "value",
        re.compile(
            # Stems as Whisper also spells them: "гаранты", "расрочка".
            r"гарант|качеств|служит|выгод|экономи|рас+рочк|скидк|окупа|надёжн|надежн|зато|"
            r"потому что|\bwarranty\b|quality|lasts|worth|save|discount|instal?lments?|"
            r"because",
            re.I,
        ),
    ),
)
FOLLOWING_TURNS = 2


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # pass | fail | unknown
    reason: str


@dataclass(frozen=True)
class Handling:
    label: str
    raised: bool
    suggestion: str | None  # alternative | value | gave_up | no_answer; None if not raised
    seller_words: str = ""


@dataclass
class ReportChecks:
    checks: list[Check] = field(default_factory=list)
    handling: list[Handling] = field(default_factory=list)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def classify_reply(text: str) -> str:
    """A suggestion for how the seller answered: alternative, value, gave_up or no_answer."""
    for name, pattern in HANDLING_RULES:
        if pattern.search(text):
            return name
    return "no_answer"


def _time_check(report: ShopReport) -> Check:
    wave = report.assignment.wave
    start, end = day_bounds(wave.starts_on, wave.ends_on)
    moments: list[tuple[str, datetime]] = []
    if report.visit_started_at:
        moments.append((_("visit start"), report.visit_started_at))
    if report.visit_ended_at:
        moments.append((_("visit end"), report.visit_ended_at))
    for item in report.evidence:
        if item.taken_at is not None:
            what = _("recording") if item.kind == "recording" else item.original_name
            moments.append((what, item.taken_at))
    if not moments:
        return Check("visit_time", "unknown", _("No visit time is known yet."))
    outside = [what for what, moment in moments if not start <= moment < end]
    if outside:
        return Check(
            "visit_time", "fail", _("Outside the visit window: %(what)s.", what=", ".join(outside))
        )
    return Check(
        "visit_time",
        "pass",
        ngettext(
            "%(num)d time, all inside the visit window.",
            "%(num)d times, all inside the visit window.",
            len(moments),
        ),
    )


def _gps_check(report: ShopReport) -> Check:
    location = report.assignment.location
    placed = [item for item in report.evidence if item.latitude is not None]
    if location.latitude is None or location.longitude is None:
        return Check("photo_place", "unknown", _("The location has no coordinates."))
    if not placed:
        return Check("photo_place", "unknown", _("No photo carries a GPS position."))
    radius = float(current_app.config["SHOP_GPS_RADIUS_M"])
    far = []
    for item in placed:
        distance = haversine_m(location.latitude, location.longitude, item.latitude, item.longitude)  # type: ignore[arg-type]
        if distance > radius:
            far.append(f"{item.original_name} ({distance / 1000:.1f} km)")
    if far:
        return Check(
            "photo_place",
            "fail",
            _(
                "Taken more than %(m)d m from the location: %(what)s.",
                m=int(radius),
                what=", ".join(far),
            ),
        )
    return Check(
        "photo_place",
        "pass",
        ngettext(
            "%(num)d photo within %(m)d m of the location.",
            "%(num)d photos within %(m)d m of the location.",
            len(placed),
            m=int(radius),
        ),
    )


def _recording_check(report: ShopReport) -> Check:
    needed = report.assignment.wave.scenario.needs_recording
    if report.call_id is not None:
        return Check("recording", "pass", _("The recording was handed in."))
    if needed:
        return Check(
            "recording", "fail", _("The scenario requires a recording; none was handed in.")
        )
    return Check("recording", "unknown", _("No recording (the scenario does not require one)."))


def _customer(segment: TranscriptSegment) -> bool:
    return segment.speaker in ("customer", "unknown")


def scripted_handling(
    turns: Sequence[tuple[str, str]], flags: Iterable[tuple[int, str]], labels: Sequence[str]
) -> list[Handling]:
    """Per scripted objection: whether the customer raised it, and how the seller met it.

    ``turns`` are the call's (speaker, text) in order; ``flags`` are (turn index, label) of the
    objections found in the customer's turns. The seller's answer is their next
    ``FOLLOWING_TURNS`` turns, up to the customer's next scripted objection (that one has its
    own answer). Plain values in and out, so the benchmark runs the very same check.
    """
    first: dict[str, int] = {}
    objection_turns: set[int] = set()
    for index, label in sorted(flags):
        if label in labels:
            objection_turns.add(index)
            first.setdefault(label, index)
    result = []
    for label in labels:
        index = first.get(label)
        if index is None:
            result.append(Handling(label, False, None))
            continue
        replies: list[str] = []
        for later in range(index + 1, len(turns)):
            if later in objection_turns or len(replies) == FOLLOWING_TURNS:
                break
            speaker, text = turns[later]
            if speaker == "agent":
                replies.append(text)
        words = " ".join(replies)
        result.append(
            Handling(label, True, classify_reply(words) if words else "no_answer", words[:300])
        )
    return result


def _handling(call: Call | None, labels: list[str]) -> tuple[list[Handling], str | None]:
    """Per scripted objection: raised by the customer side, and the seller's next turns."""
    if call is None or not call.segments:
        return [Handling(label, False, None) for label in labels], None
    segments = sorted(call.segments, key=lambda s: (s.position, s.id))
    index_of = {segment.id: index for index, segment in enumerate(segments)}
    flags = [
        (index_of[finding.segment.id], finding.label)
        for finding in call.findings
        if finding.segment is not None
        and finding.segment.id in index_of
        and _customer(finding.segment)
    ]
    turns = [(segment.speaker, segment.text) for segment in segments]
    return scripted_handling(turns, flags, labels), "ok"


def check_report(report: ShopReport) -> ReportChecks:
    """Every automatic check of one report."""
    out = ReportChecks()
    out.checks.append(_time_check(report))
    out.checks.append(_gps_check(report))
    out.checks.append(_recording_check(report))
    labels = [
        str(o.get("label"))
        for o in report.assignment.wave.scenario.objections or []
        if o.get("label")
    ]
    handling, analysed = _handling(report.call, labels)
    out.handling = handling
    if not labels:
        out.checks.append(Check("scenario", "unknown", _("The scenario scripts no objection.")))
    elif analysed is None:
        out.checks.append(
            Check(
                "scenario", "unknown", _("No transcribed recording to check the scenario against.")
            )
        )
    else:
        missed = [OBJECTION.label(h.label) for h in handling if not h.raised]
        if missed:
            out.checks.append(
                Check(
                    "scenario",
                    "fail",
                    _("Not raised in the recording: %(what)s.", what=", ".join(missed)),
                )
            )
        else:
            out.checks.append(Check("scenario", "pass", _("Every scripted objection was raised.")))
    return out


def staff_context(assignment: ShopAssignment) -> dict[str, Any]:
    """What the staff assignment page shows of the report: the report, its checks, the
    handling suggestions beside the scorecard items that take them (``suggest_from``), and the
    recordings handed in that were deleted since."""
    report = db.session.scalar(select(ShopReport).where(ShopReport.assignment_id == assignment.id))
    if report is None:
        return {
            "shop_report": None,
            "shop_checks": None,
            "handling_items": {},
            "deleted_recordings": {},
        }
    found = check_report(report)
    by_label = {h.label: h for h in found.handling}
    template = assignment.wave.scenario.template
    items: dict[str, Any] = {}
    if template is not None and template.current is not None:
        for item in definition_of(template.current).items:
            if item.suggest_from in by_label:
                items[item.text] = by_label[item.suggest_from]
    return {
        "shop_report": report,
        "shop_checks": found,
        "handling_items": items,
        "deleted_recordings": deleted_recordings(report),
    }
