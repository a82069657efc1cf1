"""Every fixed set of values the app stores, with the name a person reads for each.

Columns hold the value (``won``, ``site_request``); forms, filters, templates, scripts and
exports take the display name, order and colour from here, so adding a value is one line.
Templates show a value with ``{{ lead.status|term('lead_status') }}``; scripts get a vocabulary
as a JSON block (``vocabulary_json``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Term:
    value: str
    label: object  # a lazy string: translated when shown
    # Bootstrap colour name for badges ("success", "danger", ...).
    colour: str = "secondary"
    # The name as it reads inside a sentence ("No price objection was found"), if needed, and
    # with its indefinite article ("Customer raised an assortment objection").
    phrase: object | None = None
    a_phrase: object | None = None


class Vocabulary:
    """An ordered set of terms: the values in display order, each with its name and colour."""

    def __init__(self, name: str, *terms: Term) -> None:
        self.name = name
        self.terms = terms
        self._by_value = {term.value: term for term in terms}

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def __contains__(self, value: object) -> bool:
        return value in self._by_value

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(term.value for term in self.terms)

    def label(self, value: str | None) -> str:
        """The display name; a value this vocabulary does not know is shown as it is."""
        if value is None:
            return "–"
        term = self._by_value.get(value)
        return str(term.label) if term else str(value)

    def phrase(self, value: str) -> str | None:
        """The in-sentence name, or None for a value without one."""
        term = self._by_value.get(value)
        return str(term.phrase) if term and term.phrase is not None else None

    def a_phrase(self, value: str) -> str | None:
        """The in-sentence name with its indefinite article, or None."""
        term = self._by_value.get(value)
        return str(term.a_phrase) if term and term.a_phrase is not None else None

    def colour(self, value: str | None) -> str:
        term = self._by_value.get(value or "")
        return term.colour if term else "secondary"

    def choices(self, empty: object | None = None) -> list[tuple[str, object]]:
        """Select choices (lazy labels), with an optional first "any" entry of value ''."""
        found = [(term.value, term.label) for term in self.terms]
        return [("", empty), *found] if empty is not None else found

    def value_for(self, text: str) -> str | None:
        """What a person typed (in a file or the API): a value, or its name in any interface
        language ("Продажа", "won" and "Won" are all ``won``); None when nothing matches."""
        wanted = text.strip().casefold()
        for term in self.terms:
            if term.value.casefold() == wanted:
                return term.value
        languages = current_app.config["LANGUAGES"] if has_app_context() else ("en",)
        for language in languages:
            with force_locale(language):
                for term in self.terms:
                    if str(term.label).casefold() == wanted:
                        return term.value
        return None

    def as_dict(self) -> dict[str, str]:
        """Value -> translated name, for JSON data blocks read by scripts."""
        return {term.value: str(term.label) for term in self.terms}


def _vocab(name: str, *terms: Term) -> Vocabulary:
    vocab = Vocabulary(name, *terms)
    VOCABULARIES[name] = vocab
    return vocab


VOCABULARIES: dict[str, Vocabulary] = {}

# Objections the classifier and rules find in what the customer says (scoring.types).
OBJECTION = _vocab(
    "objection",
    Term("price", _l("Price"), "warning"),
    Term("assortment", _l("Assortment"), "info"),
)
# The same objections named as flags on a call ("Price objection").
OBJECTION_FLAG = _vocab(
    "objection_flag",
    Term(
        "price",
        _l("Price objection"),
        "warning",
        phrase=_l("price objection"),
        a_phrase=_l("a price objection"),
    ),
    Term(
        "assortment",
        _l("Assortment objection"),
        "info",
        phrase=_l("assortment objection"),
        a_phrase=_l("an assortment objection"),
    ),
)
# A reviewer's correction of the objection detector.
CORRECTION_KIND = _vocab(
    "correction_kind",
    Term("wrong", _l("Wrong flag"), "danger"),
    Term("missed", _l("Missed objection"), "warning"),
)
CORRECTION_STATUS = _vocab(
    "correction_status",
    Term("pending", _l("Pending"), "secondary"),
    Term("accepted", _l("Accepted"), "success"),
    Term("rejected", _l("Rejected"), "danger"),
)
LEAD_STATUS = _vocab(
    "lead_status",
    Term("new", _l("New"), "secondary"),
    Term("qualified", _l("Qualified"), "info"),
    Term("won", _l("Won"), "success"),
    Term("lost", _l("Lost"), "danger"),
)
LEAD_CHANNEL = _vocab(
    "lead_channel",
    Term("site_request", _l("Site request")),
    Term("call", _l("Call")),
    Term("store_visit", _l("Store visit")),
)
# Who speaks on a transcript line; "unknown" until roles are assigned on a mono call.
SPEAKER = _vocab(
    "speaker",
    Term("agent", _l("Agent")),
    Term("customer", _l("Customer")),
    Term("unknown", _l("Speaker")),
)
# Where a campaign runs. Campaigns named a channel of their own before this list keep it.
CAMPAIGN_CHANNEL = _vocab(
    "campaign_channel",
    Term("search", _l("Search ads")),
    Term("social", _l("Social networks")),
    Term("classifieds", _l("Classifieds")),
    Term("display", _l("Display ads")),
    Term("email", _l("Email and messengers")),
    Term("offline", _l("Offline")),
)
CAMPAIGN_KIND = _vocab(
    "campaign_kind",
    Term("mass", _l("Mass")),
    Term("targeted", _l("Targeted")),
)
CALL_STATUS = _vocab(
    "call_status",
    Term("uploaded", _l("Uploaded"), "secondary"),
    Term("queued", _l("Queued"), "info"),
    Term("transcribing", _l("Transcribing"), "primary"),
    Term("transcribed", _l("Transcribed"), "success"),
    Term("failed", _l("Failed"), "danger"),
    Term("cancelled", _l("Cancelled"), "warning"),
)
JOB_STATUS = _vocab(
    "job_status",
    Term("queued", _l("Queued"), "info"),
    Term("running", _l("Running"), "primary"),
    Term("done", _l("Done"), "success"),
    Term("failed", _l("Failed"), "danger"),
    Term("cancelled", _l("Cancelled"), "warning"),
)
AD_ELEMENT = _vocab(
    "ad_element",
    Term("offer", _l("Offer"), "success"),
    Term("deadline", _l("Deadline"), "info"),
    Term("cta", _l("Call to action"), "primary"),
)
# What a marketer may mark on an audit: the checked elements and the ad-marking ones.
AD_MARK_ELEMENT = _vocab(
    "ad_mark_element",
    Term("offer", _l("Offer"), "success"),
    Term("deadline", _l("Deadline"), "info"),
    Term("cta", _l("Call to action"), "primary"),
    Term("label", _l("«Реклама» marker")),
    Term("advertiser", _l("Advertiser")),
    Term("erid", _l("ERID token")),
)
AD_VIDEO_SOURCE = _vocab(
    "ad_video_source",
    Term("speech", _l("Speech"), "primary"),
    Term("screen", _l("On screen"), "info"),
)
# An ad video's audit on the job queue.
AD_VIDEO_AUDIT_STATE = _vocab(
    "ad_video_audit_state",
    Term("queued", _l("Audit queued"), "secondary"),
    Term("running", _l("Auditing"), "info"),
    Term("done", _l("Audited"), "success"),
    Term("failed", _l("Audit failed"), "danger"),
)
AD_MARKING_STATE = _vocab(
    "ad_marking_state",
    Term("present", _l("Shown on screen"), "success"),
    Term("only_spoken", _l("Only spoken"), "warning"),
    Term("missing", _l("Missing"), "danger"),
)
AD_MARK_KIND = _vocab(
    "ad_mark_kind",
    Term("wrong", _l("Verdict is wrong"), "danger"),
    Term("missed", _l("Element missed"), "warning"),
)
# What an audit may find lacking: an element, or a deadline that has passed (ads list filter).
AD_MISSING = _vocab(
    "ad_missing",
    Term("offer", _l("No offer")),
    Term("deadline", _l("No deadline")),
    Term("cta", _l("No call to action")),
    Term("expired", _l("Deadline expired")),
)
# What an ad text's latest audit says.
AD_STATUS = _vocab(
    "ad_status",
    Term("passed", _l("Passed"), "success"),
    Term("failed", _l("Not passed"), "danger"),
    Term("unaudited", _l("Not audited"), "secondary"),
)
REVIEW_STATUS = _vocab(
    "review_status",
    Term("draft", _l("Draft"), "secondary"),
    Term("submitted", _l("Submitted"), "success"),
)
ASSIGNMENT_STATUS = _vocab(
    "assignment_status",
    Term("open", _l("Open"), "info"),
    Term("done", _l("Done"), "success"),
)
CALIBRATION_STATUS = _vocab(
    "calibration_status",
    Term("open", _l("Open"), "info"),
    Term("closed", _l("Closed"), "secondary"),
)
# Versions of the retrained objection classifier (qa.models.objection_model).
MODEL_STATUS = _vocab(
    "model_status",
    Term("active", _l("In use"), "success"),
    Term("retired", _l("Retired"), "secondary"),
    Term("refused", _l("Refused by the F1 gate"), "danger"),
)

# How a mystery shopper meets the location.
SHOP_CHANNEL = _vocab(
    "shop_channel",
    Term("visit", _l("Visit")),
    Term("call", _l("Phone call")),
    Term("chat", _l("Chat")),
)
# Where a mystery-shopping assignment stands (qa.services.mystery.assignments.move).
SHOP_STATE = _vocab(
    "shop_state",
    Term("scheduled", _l("Scheduled"), "secondary"),
    Term("in_progress", _l("In progress"), "primary"),
    Term("submitted", _l("Submitted"), "info"),
    Term("returned", _l("Returned to the shopper"), "warning"),
    Term("approved", _l("Approved"), "success"),
    Term("published", _l("Published"), "success"),
    Term("disputed", _l("Disputed"), "danger"),
    Term("resolved", _l("Resolved"), "dark"),
)
# The outcome of a dispute about a review (qa.services.quality.disputes).
DISPUTE_STATUS = _vocab(
    "dispute_status",
    Term("open", _l("Open"), "warning"),
    Term("upheld", _l("Upheld"), "success"),
    Term("rejected", _l("Rejected"), "secondary"),
)
# A coaching example: how to do it, or how not to (qa.services.quality.coaching).
COACHING_KIND = _vocab(
    "coaching_kind",
    Term("good", _l("Good example"), "success"),
    Term("bad", _l("Bad example"), "danger"),
)

# The automatic checks of a shopper's report (qa.services.mystery.checks).
SHOP_CHECK = _vocab(
    "shop_check",
    Term("visit_time", _l("Visit inside the window")),
    Term("photo_place", _l("Photos taken at the location")),
    Term("recording", _l("Recording handed in")),
    Term("scenario", _l("Scenario followed")),
)
CHECK_STATUS = _vocab(
    "check_status",
    Term("pass", _l("Passed"), "success"),
    Term("fail", _l("Failed"), "danger"),
    Term("unknown", _l("Unknown"), "secondary"),
)
# How the seller met a raised objection: a suggestion for the editor, never a score.
SELLER_HANDLING = _vocab(
    "seller_handling",
    Term("alternative", _l("Offered an alternative"), "success"),
    Term("value", _l("Explained the value"), "success"),
    Term("gave_up", _l("Gave up"), "danger"),
    Term("no_answer", _l("No answer"), "warning"),
)
EVIDENCE_KIND = _vocab(
    "evidence_kind",
    Term("recording", _l("Recording")),
    Term("photo", _l("Photo")),
    Term("receipt", _l("Receipt")),
)

# Pay tied to results: who a person is paid as, what a setter books, a statement's states.
PAY_ROLE = _vocab(
    "pay_role",
    Term("marketer", _l("Marketer"), "info"),
    Term("seller", _l("Seller"), "success"),
    Term("setter", _l("Appointment setter"), "primary"),
)
APPOINTMENT_KIND = _vocab(
    "appointment_kind",
    Term("meeting", _l("Meeting"), "primary"),
    Term("measurement", _l("Measurement"), "info"),
    Term("first_contact", _l("First contact"), "secondary"),
)
STATEMENT_STATE = _vocab(
    "statement_state",
    Term("draft", _l("Draft"), "secondary"),
    Term("approved", _l("Approved"), "success"),
    Term("exported", _l("Exported"), "dark"),
)
PAY_LEVEL = _vocab(
    "pay_level",
    Term("below", _l("Below threshold"), "danger"),
    Term("threshold", _l("Threshold"), "warning"),
    Term("target", _l("Target"), "success"),
    Term("stretch", _l("Stretch"), "primary"),
)
PAY_INDICATOR = _vocab(
    "pay_indicator",
    Term("view_lead", _l("View to lead, %")),
    Term("lead_sale", _l("Lead to sale, %")),
    Term("revenue", _l("Revenue")),
    Term("won_leads", _l("Won leads")),
    Term("appointments_held", _l("Appointments held")),
    Term("cost_per_lead", _l("Cost per lead")),
    Term("qa_score", _l("Average QA score")),
    Term("mystery_score", _l("Mystery-shop score")),
    Term("objection_handling", _l("Objections handled, %")),
)
PAY_KIND = _vocab(
    "pay_kind",
    Term("share", _l("Share of the variable part, %")),
    Term("revenue_percent", _l("Percent of revenue")),
    Term("per_unit", _l("Amount per unit")),
)
PAY_LINE = _vocab(
    "pay_line",
    Term("fixed", _l("Fixed part")),
    Term("cap", _l("Cap on the variable part")),
    Term("limit", _l("Limit on reductions")),
    Term("floor", _l("The variable part never goes below zero")),
)


def term(value: str | None, vocabulary: str) -> str:
    """The display name of ``value`` in the named vocabulary (the ``term`` template filter)."""
    return VOCABULARIES[vocabulary].label(value)


# The audit trail: what was done, and to what kind of thing.
AUDIT_ACTION = _vocab(
    "audit_action",
    Term("view", _l("Viewed"), "info"),
    Term("create", _l("Created"), "success"),
    Term("update", _l("Changed"), "primary"),
    Term("role_change", _l("Role changed"), "warning"),
    Term("deactivate", _l("Deactivated"), "warning"),
    Term("password_change", _l("Password changed"), "warning"),
    Term("decide", _l("Decided"), "primary"),
    Term("revoke", _l("Revoked"), "danger"),
    Term("delete", _l("Deleted"), "danger"),
    Term("retention.deleted", _l("Deleted under retention"), "danger"),
    Term("erasure.deleted", _l("Personal data deleted on request"), "danger"),
)
AUDIT_OBJECT = _vocab(
    "audit_object",
    Term("call_recording", _l("Call recording")),
    Term("call_transcript", _l("Call transcript")),
    Term("call_original_transcript", _l("Original call transcript")),
    Term("call_original_recording", _l("Original call recording")),
    Term("review", _l("Review")),
    Term("scorecard", _l("Scorecard")),
    Term("finding_correction", _l("Flag correction")),
    Term("user", _l("User")),
    Term("settings", _l("Company settings")),
    Term("pay_plan", _l("Pay plan")),
    Term("dispute", _l("Dispute")),
    Term("transcript_line", _l("Transcript line")),
    Term("transcript", _l("Transcript")),
    Term("findings", _l("Objection findings")),
    Term("glossary_term", _l("Glossary term")),
    Term("shop_evidence", _l("Mystery-shop evidence")),
    Term("comment", _l("Comment")),
    Term("api_token", _l("API token")),
    Term("retention_run", _l("Retention run")),
    Term("personal_data_erasure", _l("Deletion record")),
)
