"""What the API takes and gives, as marshmallow schemas: they check every request and are the
source of the OpenAPI description.

Incoming fields are checked by qa.services.validation, as the web forms are, so a value gets the
same message whichever door it came in by; the messages name the field.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import marshmallow as ma
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_smorest.fields import Upload
from marshmallow import fields

from qa.models.call import AGENT_CHANNELS, SPEAKERS
from qa.models.company import LEAD_STATUSES
from qa.services import integration
from qa.services.errors import ValidationFailed
from qa.services.validation import MAX_AMOUNT, clean_text, finite_decimal, sane_date

# What clean_text refuses, for the description: generated examples then stay within it.
_SINGLE_LINE = r"^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$"
_MULTILINE = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$"
_DATE_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
CALL_STATUSES = ("uploaded", "queued", "transcribing", "transcribed", "failed", "cancelled")


class Text(fields.Field):
    """Text of at most ``max_length`` characters without control characters; None when empty."""

    def __init__(self, max_length: int, *, multiline: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {"required": _l("This field is required."), "null": _l("This field is required.")},
        )
        # JSON clients send null for "not given"; only required fields refuse it.
        kwargs.setdefault("allow_none", not kwargs.get("required", False))
        metadata = {
            "type": "string",
            "maxLength": max_length,
            "pattern": _MULTILINE if multiline else _SINGLE_LINE,
            **kwargs.pop("metadata", {}),
        }
        super().__init__(metadata=metadata, **kwargs)
        self.max_length = max_length
        self.multiline = multiline

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str | None:
        try:
            return clean_text(
                value,
                field=self.data_key or attr or "",
                max_length=self.max_length,
                multiline=self.multiline,
                required=self.required,
            )
        except ValidationFailed as exc:
            raise ma.ValidationError(str(exc)) from None


class Choice(Text):
    """One of a fixed set of words."""

    def __init__(self, choices: tuple[str, ...], **kwargs: Any) -> None:
        longest = max(map(len, choices))
        metadata = {"enum": list(choices), "maxLength": longest, **kwargs.pop("metadata", {})}
        # Cleaned with room to spare, so a wrong word is told the choices, not a length.
        super().__init__(longest + 60, metadata=metadata, **kwargs)
        self.choices = choices

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str | None:
        text = super()._deserialize(value, attr, data, **kwargs)
        if text is not None and text not in self.choices:
            raise ma.ValidationError(
                _(
                    "%(field)s: must be one of %(choices)s.",
                    field=self.data_key or attr,
                    choices=", ".join(self.choices),
                )
            )
        return text


class DateTimeText(Text):
    """A date and time as ISO 8601 or DD.MM.YYYY [HH:MM[:SS]], in a sane year.

    Only checked here: the service reads it in the company's time zone.
    """

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"example": "2026-03-14T10:25:00+03:00", **kwargs.pop("metadata", {})}
        super().__init__(40, metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str | None:
        text = super()._deserialize(value, attr, data, **kwargs)
        if text is None:
            return None
        name = self.data_key or attr or ""
        parsed = _parse_datetime(text)
        if parsed is None:
            raise ma.ValidationError(_("%(field)s: not a date and time.", field=name))
        try:
            sane_date(parsed, field=name)
        except ValidationFailed as exc:
            raise ma.ValidationError(str(exc)) from None
        return text


def _parse_datetime(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern)  # noqa: DTZ007 - only the year is checked
        except ValueError:
            continue
    return None


class Amount(fields.Field):
    """A finite amount from 0 to MAX_AMOUNT: a JSON number, or text such as "1 500,50"."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {
            "oneOf": [
                {"type": "number", "minimum": 0, "maximum": float(MAX_AMOUNT)},
                {"type": "string", "maxLength": 40, "pattern": r"^[0-9 .,\u00a0]*$"},
            ],
            **kwargs.pop("metadata", {}),
        }
        kwargs.setdefault("allow_none", True)
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:

        name = self.data_key or attr or ""
        if isinstance(value, str) and len(value) > 40:
            raise ma.ValidationError(_("%(field)s: expected a number.", field=name))
        try:
            return finite_decimal(value, field=name)
        except ValidationFailed as exc:
            raise ma.ValidationError(str(exc)) from None


class Identifier(Text):
    """An id from another system: text, or a whole number (CRMs number their records)."""

    def __init__(self, max_length: int, **kwargs: Any) -> None:
        super().__init__(max_length, **kwargs)
        text_schema = {k: self.metadata.pop(k) for k in ("type", "maxLength", "pattern")}
        self.metadata["oneOf"] = [text_schema, {"type": "integer", "minimum": 0}]

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            value = str(value)
        return super()._deserialize(value, attr, data, **kwargs)


class RecordingFile(Upload):
    """The uploaded recording; its file name is stored with the call, so it is checked too."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        filename = getattr(value, "filename", None)
        if not filename:
            raise ma.ValidationError(_("Send the recording as the multipart field 'file'."))
        try:
            clean_text(filename, field=self.data_key or attr or "", max_length=255, required=True)
        except ValidationFailed as exc:
            raise ma.ValidationError(str(exc)) from None
        return value


class Strict(ma.Schema):
    """Unknown fields are refused, so a misspelt field is not silently dropped."""

    class Meta:
        unknown = ma.RAISE

    error_messages = {  # noqa: RUF012 - marshmallow reads this class attribute
        "unknown": _l("Unknown field."),
        "type": _l("Expected a JSON object."),
    }


# --- Requests -----------------------------------------------------------------------------------


class RecordingUpload(Strict):
    """A recording and its metadata, as one multipart/form-data body."""

    file = RecordingFile(
        required=True,
        error_messages={"required": _l("Send the recording as the multipart field 'file'.")},
        metadata={
            "description": "The recording (WAV, MP3, OGG, M4A, ...); stereo with agent and "
            "customer on separate channels, or mono."
        },
    )
    phone = Text(40, metadata={"description": "The customer's phone number, any notation."})
    called_at = DateTimeText(
        metadata={
            "description": "When the call took place: ISO 8601 or DD.MM.YYYY HH:MM; without an "
            "offset, in the company's time zone."
        }
    )
    agent = Text(
        120,
        metadata={"description": "The agent: an id, or a name (a new name creates the agent)."},
    )
    agent_channel = Choice(
        AGENT_CHANNELS,
        metadata={"description": "The stereo channel that carries the agent; none for mono."},
    )
    campaign = Text(200, metadata={"description": "The campaign's name."})
    utm_source = Text(120)
    utm_medium = Text(120)
    utm_campaign = Text(200)
    lead_external_id = Text(
        120,
        metadata={
            "description": "The lead's id in the CRM or call tracker; a new id creates the lead."
        },
    )
    language = Text(
        8,
        metadata={
            "pattern": LANGUAGE.pattern,
            "description": "ISO 639-1 code (ru, en); detected when empty.",
        },
    )
    title = Text(200)

    @ma.validates("language")
    def _language(self, value: str | None, **_kwargs: Any) -> None:
        if value is not None and not LANGUAGE.match(value):
            raise ma.ValidationError(_("language: expected a code such as ru or en."))

    def meta(self, data: dict[str, Any]) -> integration.RecordingMeta:
        """The checked fields as the service takes them (empty text: not given)."""
        names = integration.RecordingMeta.__dataclass_fields__
        return integration.RecordingMeta(
            **{name: data[name] for name in names if data.get(name) is not None}
        )


class AdVideoUpload(Strict):
    """An ad video and what it belongs to, as one multipart/form-data body."""

    file = RecordingFile(
        required=True,
        error_messages={"required": _l("Send the video as the multipart field 'file'.")},
        metadata={"description": "The ad video: MP4, MOV, WebM or MKV."},
    )
    campaign = Text(200, metadata={"description": "The campaign's name; unknown is an error."})
    lang = Choice(("ru", "en"), metadata={"description": "The ad's language; detected if absent."})


class LeadIn(Strict):
    external_id = Identifier(
        120,
        required=True,
        metadata={
            "description": "The lead's id in the CRM or call-tracking system; leads are created "
            "or updated by it."
        },
    )
    created_at = DateTimeText(
        required=True,
        metadata={
            "description": "When the lead came in: ISO 8601 (with or without a UTC offset) or "
            "DD.MM.YYYY [HH:MM]. Times without an offset are in the company's time zone."
        },
    )
    phone = Text(
        40,
        metadata={
            "description": "Any common notation; normalised to E.164 with the company's "
            "default region.",
            "example": "+7 916 123-45-67",
        },
    )
    channel = Text(
        20,
        metadata={
            "description": "site_request, call or store_visit (also: site, form, request, phone, "
            "visit, store, заявка, звонок, визит). Default call."
        },
    )
    campaign = Text(
        200,
        metadata={"description": "The campaign's name (case-insensitive); unknown is an error."},
    )
    utm_source = Text(120)
    utm_medium = Text(120)
    utm_campaign = Text(
        200,
        metadata={"description": "With no campaign name, the campaign is found by its UTM tags."},
    )
    status = Choice(LEAD_STATUSES, metadata={"description": "Default new."})
    sale_amount = Amount(metadata={"description": "Amount of the sale, if won."})
    customer_id = Identifier(
        120,
        metadata={"description": "The buyer's id in the CRM: repeat purchases are counted by it."},
    )
    name = Text(200, metadata={"description": "The customer's name."})
    seller = Text(
        254,
        metadata={
            "description": "The seller who closed the lead: their e-mail or exact name. "
            "Empty keeps the stored one."
        },
    )
    setter = Text(
        254,
        metadata={
            "description": "The appointment setter who booked the meeting: their e-mail "
            "or exact name. Empty keeps the stored one."
        },
    )


class AppointmentIn(ma.Schema):
    """Only for the description: items are checked by the service, as file rows are."""

    external_id = fields.String(required=True, metadata={"description": "The CRM's id."})
    scheduled_at = fields.String(
        required=True,
        metadata={
            "description": "ISO 8601 or DD.MM.YYYY [HH:MM]; without an offset, in the "
            "company's time zone."
        },
    )
    kind = fields.String(
        metadata={"description": "meeting (default), measurement or first_contact."}
    )
    held = fields.Raw(metadata={"description": "true/false, or yes/no. Default no."})
    setter = fields.String(
        metadata={"description": "The appointment setter's e-mail or exact name."}
    )
    lead = fields.String(metadata={"description": "The external id of the lead it belongs to."})


class StoredItem(ma.Schema):
    """A pushed item that was stored: its position in the request and its id."""

    index = fields.Integer(required=True)
    id = fields.Integer(required=True)
    external_id = fields.String(allow_none=True)


class StoredAppointment(StoredItem):
    pass


class LeadList(ma.Schema):
    """Only for the description: leads are checked one by one (see views.push_leads)."""

    leads = fields.List(
        fields.Nested(LeadIn),
        required=True,
        validate=ma.validate.Length(min=1, max=integration.MAX_LEADS_PER_REQUEST),
    )


# --- Responses ----------------------------------------------------------------------------------


class OpenApiDocument(ma.Schema):
    """This description (only its outline is described here)."""

    class Meta:
        unknown = ma.INCLUDE

    openapi = fields.String(required=True)
    info = fields.Dict(required=True)
    paths = fields.Dict(required=True)
    components = fields.Dict()


class Campaign(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    channel = fields.String(allow_none=True)
    kind = fields.String(validate=ma.validate.OneOf(("mass", "targeted")))
    utm_source = fields.String(allow_none=True)
    utm_medium = fields.String(allow_none=True)
    utm_campaign = fields.String(allow_none=True)
    starts_on = fields.String(allow_none=True, metadata={"format": "date"})
    ends_on = fields.String(allow_none=True, metadata={"format": "date"})
    spend = fields.String(metadata={"description": "Decimal amount in the company's currency."})
    views = fields.Integer()


class CampaignList(ma.Schema):
    campaigns = fields.List(fields.Nested(Campaign), required=True)


class LeadRef(ma.Schema):
    id = fields.Integer(required=True)
    external_id = fields.String(allow_none=True)
    status = fields.String()
    channel = fields.String()
    link = fields.String(
        allow_none=True,
        metadata={"description": "How the call was linked: upload, api, auto or manual."},
    )
    quality = fields.Float(
        allow_none=True,
        metadata={
            "description": "Lead quality 0-100: won 100, qualified 70, new 30, lost 0, minus 20 "
            "each for price and assortment resistance in its calls."
        },
    )


class Segment(ma.Schema):
    speaker = fields.String(validate=ma.validate.OneOf(SPEAKERS))
    start = fields.Float()
    end = fields.Float()
    text = fields.String()


class Finding(ma.Schema):
    label = fields.String(
        metadata={"description": "price or assortment for objections; a tracker's label else."}
    )
    rule = fields.String(allow_none=True)
    score = fields.Float(allow_none=True)
    start = fields.Float(allow_none=True)
    end = fields.Float(allow_none=True)
    text = fields.String(allow_none=True)


class ReviewScore(ma.Schema):
    id = fields.Integer(required=True)
    scorecard = fields.String()
    scorecard_version = fields.Integer()
    status = fields.String()
    score = fields.Float(allow_none=True, metadata={"description": "0-100."})
    failed_critical = fields.Boolean()
    reviewer = fields.String(allow_none=True)
    # Text, not DateTime: the service writes the timestamps, with their offset.
    created_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    updated_at = fields.String(allow_none=True, metadata={"format": "date-time"})


class CallDetail(ma.Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, validate=ma.validate.OneOf(CALL_STATUSES))
    error = fields.String(allow_none=True)
    title = fields.String()
    language = fields.String(allow_none=True)
    duration = fields.Float(allow_none=True)
    called_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    phone = fields.String(allow_none=True)
    agent = fields.String(allow_none=True)
    agent_id = fields.Integer(allow_none=True)
    lead_id = fields.Integer(allow_none=True)
    lead = fields.Nested(LeadRef, allow_none=True)
    campaign_id = fields.Integer(allow_none=True)
    campaign = fields.String(allow_none=True)
    segments = fields.List(fields.Nested(Segment))
    findings = fields.List(fields.Nested(Finding))
    reviews = fields.List(fields.Nested(ReviewScore))


class PushedRecording(ma.Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True)
    status_url = fields.String(required=True)
    lead_id = fields.Integer(allow_none=True)
    lead_created = fields.Boolean()
    campaign_id = fields.Integer(allow_none=True)
    agent_id = fields.Integer(allow_none=True)


class AdVideoEvidence(ma.Schema):
    element = fields.String(required=True)
    source = fields.String(required=True, metadata={"enum": ["speech", "screen"]})
    start = fields.Float(required=True)
    end = fields.Float(required=True)
    text = fields.String(required=True)


class AdVideoMarking(ma.Schema):
    label = fields.String(required=True)
    advertiser = fields.String(required=True)
    erid = fields.String(required=True)


class AdVideoAudit(ma.Schema):
    """An ad video's audit state and latest verdict (null until the first audit is done); marking
    parts are present (shown), only_spoken or missing."""

    id = fields.Integer(required=True)
    campaign_id = fields.Integer(allow_none=True)
    file = fields.String(required=True)
    status = fields.String(
        required=True,
        metadata={
            "enum": ["queued", "running", "done", "failed"],
            "description": "The audit on the job queue; poll until done or failed.",
        },
    )
    error = fields.String(allow_none=True, metadata={"description": "Why the audit failed."})
    audited_at = fields.String(allow_none=True)
    lang = fields.String(allow_none=True)
    duration = fields.Float(allow_none=True)
    offer = fields.Boolean(allow_none=True)
    deadline = fields.Boolean(allow_none=True)
    expired = fields.Boolean(allow_none=True)
    cta = fields.Boolean(allow_none=True)
    marking = fields.Nested(AdVideoMarking, allow_none=True)
    evidence = fields.List(fields.Nested(AdVideoEvidence), allow_none=True)
    screen_read = fields.Boolean(required=True)
    notes = fields.List(fields.String(), required=True)


class AdVideoQueued(ma.Schema):
    """An ad video stored and its audit queued."""

    id = fields.Integer(required=True)
    status = fields.String(required=True)
    status_url = fields.String(
        required=True, metadata={"description": "GET it for the state and, once done, the verdict."}
    )


class Conflict(ma.Schema):
    error = fields.String(required=True)
    message = fields.String(required=True)
    call_id = fields.Integer(required=True, metadata={"description": "The earlier call."})


class ItemError(ma.Schema):
    index = fields.Integer(
        required=True, metadata={"description": "Position of the item in the request, from 0."}
    )
    external_id = fields.String(allow_none=True)
    message = fields.String(required=True)


class StoredLead(StoredItem):
    pass


class LeadPushReport(ma.Schema):
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    linked_calls = fields.Integer(
        metadata={"description": "Calls linked to these leads by phone number."}
    )
    leads = fields.List(fields.Nested(StoredLead))
    errors = fields.List(fields.Nested(ItemError))


class ItemsRejected(ma.Schema):
    error = fields.String(required=True)
    message = fields.String(required=True)
    errors = fields.List(fields.Nested(ItemError))


class LeadsRejected(ItemsRejected):
    pass


class AppointmentPushReport(ma.Schema):
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    appointments = fields.List(fields.Nested(StoredAppointment))
    errors = fields.List(fields.Nested(ItemError))


class AppointmentsRejected(ItemsRejected):
    pass
