"""The API's routes. Each declares its request and response schemas (qa.api.schemas), from which
flask-smorest both checks requests and writes the OpenAPI description."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, BinaryIO, TypeVar, cast

import marshmallow as ma
from flask import abort, current_app, jsonify, request, url_for
from flask_babel import gettext as _

from qa.api import schemas
from qa.api.auth import token_required
from qa.api.blueprint import bp
from qa.api.errors import describe
from qa.api.openapi import ErrorSchema
from qa.extensions import db
from qa.models import AdVideo, Call
from qa.services import integration
from qa.services.calls.jobs import DuplicateRecording
from qa.services.errors import ValidationFailed
from qa.services.marketing import ad_videos
from qa.services.marketing import campaigns as campaign_service
from qa.services.marketing.campaigns import find_by_name
from qa.services.pay import appointments as appointment_service

F = TypeVar("F", bound=Callable[..., Any])

# A lead is a few hundred bytes: 5000 of them fit with room to spare. Recordings keep the app's
# MAX_CONTENT_LENGTH.
MAX_LEADS_BODY = 8 * 1024 * 1024

# Largest id a path may name: above it PostgreSQL's integer and SQLite's driver overflow.
MAX_ID = 2**31 - 1

_ERRORS = {
    400: "The request cannot be read, or a value was refused (the message names the field).",
    401: "No token, an unknown token or a revoked token.",
    404: "No such record.",
    413: "The request is larger than the server's limit.",
    422: "A field failed its checks (the message names it; `errors` lists them by field).",
}


def error_responses(*statuses: int) -> Callable[[F], F]:
    """Describe the error responses ``statuses`` with the common error body."""

    def decorator(view: F) -> F:
        for status in statuses:
            view = bp.alt_response(status, schema=ErrorSchema, description=_ERRORS[status])(view)
        return view

    return decorator


@bp.route("/openapi.json")
@token_required
@bp.response(200, schemas.OpenApiDocument, description="This description of the API (OpenAPI 3).")
@error_responses(401)
def openapi():  # type: ignore[no-untyped-def]
    """This description of the API."""
    return jsonify(current_app.extensions["qa_api"].spec.to_dict())


@bp.route("/campaigns")
@token_required
@bp.response(200, schemas.CampaignList)
@error_responses(401)
def campaigns():  # type: ignore[no-untyped-def]
    """All campaigns, by name."""
    return {
        "campaigns": [integration.campaign_payload(c) for c in campaign_service.list_campaigns()]
    }


@bp.route(f"/calls/<int(max={MAX_ID}):call_id>")
@token_required
@bp.response(200, schemas.CallDetail)
@error_responses(401, 404)
def call_detail(call_id: int):  # type: ignore[no-untyped-def]
    """A call's transcript, objection flags, lead and review scores.

    Poll this after pushing a recording: `status` goes uploaded → queued → transcribing →
    transcribed (or failed). Segments and findings are empty until the call is transcribed.
    Reviews made in calibration sessions are not included.
    """
    return integration.call_payload(db.get_or_404(Call, call_id))


@bp.route("/recordings", methods=["POST"])
@token_required
@bp.arguments(schemas.RecordingUpload, location="form_and_files")
@bp.response(
    201,
    schemas.PushedRecording,
    description="Stored and queued. `Location` is the call's URL in this API.",
    headers={"Location": {"schema": {"type": "string"}, "description": "The call's URL."}},
)
@bp.alt_response(409, schema=schemas.Conflict, description="The same audio was pushed before.")
@error_responses(400, 401, 413)
def push_recording(fields: dict[str, Any]):  # type: ignore[no-untyped-def]
    """Push a call recording with its lead and campaign.

    Stores the recording, creates the call and queues its transcription. With
    `lead_external_id` the call is linked to that lead; a lead id not seen before creates the
    lead (channel `call`, status `new`), since for call tracking the call is the lead. Without
    it, the call is linked automatically to a lead with the same phone number created within
    the company's linking window. The campaign is given by name or by UTM tags; otherwise it is
    the lead's.
    """
    upload = fields["file"]
    meta = schemas.RecordingUpload().meta(fields)
    try:
        pushed = integration.push_recording(cast(BinaryIO, upload.stream), upload.filename, meta)
    except DuplicateRecording as exc:
        earlier_id = exc.call.id
        db.session.rollback()  # a lead or agent made for this call goes too
        conflict = jsonify(error="Conflict", message=str(exc), call_id=earlier_id)
        conflict.status_code = 409
        return conflict
    except ValidationFailed as exc:
        db.session.rollback()
        abort(400, description=str(exc))
    db.session.commit()
    call = pushed.call
    status_url = url_for("api.call_detail", call_id=call.id)
    pushed_body = {
        "id": call.id,
        "status": call.status,
        "status_url": status_url,
        "lead_id": pushed.lead.id if pushed.lead else None,
        "lead_created": pushed.lead_created,
        "campaign_id": call.campaign_id,
        "agent_id": call.agent_id,
    }
    return pushed_body, 201, {"Location": status_url}


@bp.route("/ad-videos", methods=["POST"])
@token_required
@bp.arguments(schemas.AdVideoUpload, location="form_and_files")
@bp.response(202, schemas.AdVideoQueued, description="Stored; the audit is queued.")
@error_responses(400, 401, 413)
def push_ad_video(fields: dict[str, Any]):  # type: ignore[no-untyped-def]
    """Audit an ad video: offer, deadline, call to action and the marking, said or shown.

    The video is stored and its audit queued (a worker reads it in seconds); poll ``status_url``
    for the state and the verdict. A file that is not a usable video is refused with the reason
    (400) and nothing is kept.
    """
    upload = fields["file"]
    try:
        campaign = None
        if fields.get("campaign"):
            campaign = find_by_name(fields["campaign"])
            if campaign is None:
                raise ValidationFailed(_("No campaign named %(name)s.", name=fields["campaign"]))
        video = ad_videos.upload(
            cast(BinaryIO, upload.stream), upload.filename, None, campaign, fields.get("lang")
        )
    except ValidationFailed as exc:
        db.session.rollback()
        abort(400, description=str(exc))
    db.session.commit()
    status_url = url_for("api.ad_video_detail", video_id=video.id)
    body = {"id": video.id, "status": video.audit_status, "status_url": status_url}
    return body, 202, {"Location": status_url}


@bp.route(f"/ad-videos/<int(max={MAX_ID}):video_id>")
@token_required
@bp.response(200, schemas.AdVideoAudit)
@error_responses(401, 404)
def ad_video_detail(video_id: int):  # type: ignore[no-untyped-def]
    """An ad video's audit state (queued, running, done, failed with the reason) and latest
    verdict."""
    return ad_videos.api_payload(db.get_or_404(AdVideo, video_id))


@bp.route("/leads", methods=["POST"])
@token_required
@bp.doc(
    requestBody={
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/LeadIn"},
                            "minItems": 1,
                            "maxItems": integration.MAX_LEADS_PER_REQUEST,
                        },
                        {"$ref": "#/components/schemas/LeadList"},
                    ]
                }
            }
        },
    }
)
@bp.response(
    200,
    schemas.LeadPushReport,
    description="At least one lead was stored; `errors` lists the items that were not.",
)
@bp.alt_response(
    400,
    schema=schemas.LeadsRejected,
    description="The body is not a JSON list of leads, or no item could be stored (see `errors`).",
)
@error_responses(401, 413)
def push_leads():  # type: ignore[no-untyped-def]
    """Create or update leads by external id.

    Takes the same fields as the CSV import. Each item is checked on its own: good items are
    stored, bad ones are returned in `errors` with their index. After storing, calls with the
    same phone number within the linking window are linked to the leads.
    """
    body = _json_body()
    items = body.get("leads") if isinstance(body, Mapping) else body
    if not isinstance(items, list) or not 0 < len(items) <= integration.MAX_LEADS_PER_REQUEST:
        checked, positions, problems = items, [], []  # the service says what is wrong
    else:
        checked, positions, problems = _check_leads(items)
        if not checked:
            return _no_lead_stored(problems)
    try:
        report = integration.push_leads(checked)
    except ValidationFailed as exc:
        abort(400, description=str(exc))
    stored_errors = [
        {"index": positions[i], "external_id": ext, "message": msg} for i, ext, msg in report.errors
    ]
    all_errors = sorted(problems + stored_errors, key=lambda e: e["index"])
    if not report.stored:
        return _no_lead_stored(all_errors)
    db.session.commit()
    return {
        "created": report.created,
        "updated": report.updated,
        "linked_calls": report.linked_calls,
        "leads": [
            {"index": positions[i], "id": lead.id, "external_id": lead.external_id}
            for i, lead in report.stored
        ],
        "errors": all_errors,
    }


@bp.route("/appointments", methods=["POST"])
@token_required
@bp.doc(
    requestBody={
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/AppointmentIn"},
                    "minItems": 1,
                    "maxItems": appointment_service.MAX_PER_REQUEST,
                }
            }
        },
    }
)
@bp.response(
    200,
    schemas.AppointmentPushReport,
    description="At least one appointment was stored; `errors` lists the items that were not.",
)
@bp.alt_response(
    400,
    schema=schemas.AppointmentsRejected,
    description="The body is not a JSON list of appointments, or no item could be stored.",
)
@error_responses(401, 413)
def push_appointments():  # type: ignore[no-untyped-def]
    """Create or update appointments (meetings, measurements, first contacts) by external id.

    Takes the same fields as the CSV import on the Appointments page; appointment setters are
    paid on those held. Each item is checked on its own: good items are stored, bad ones are
    returned in `errors` with their index.
    """
    body = _json_body()
    try:
        report = appointment_service.push_appointments(body)
    except ValidationFailed as exc:
        abort(400, description=str(exc))
    errors = [{"index": i, "external_id": ext, "message": msg} for i, ext, msg in report.errors]
    if not report.stored:
        return _none_stored(_("No appointment could be stored."), errors)
    db.session.commit()
    return {
        "created": report.created,
        "updated": report.updated,
        "appointments": [
            {"index": i, "id": appointment.id, "external_id": appointment.external_id}
            for i, appointment in report.stored
        ],
        "errors": errors,
    }


def _json_body() -> Any:
    """The request body as JSON, or a 400 that says why not.

    Parsed here rather than by Flask: Python's json raises RecursionError, not ValueError, on
    deeply nested input, and that would otherwise be a server error.
    """
    if not request.is_json:
        abort(400, description=_("The body must be JSON (Content-Type: application/json)."))
    app_limit = current_app.config.get("MAX_CONTENT_LENGTH")
    request.max_content_length = min(MAX_LEADS_BODY, app_limit or MAX_LEADS_BODY)
    try:
        return json.loads(request.get_data(cache=True))
    except (ValueError, RecursionError):
        abort(400, description=_("The body is not valid JSON, or is nested too deeply."))


def _check_leads(
    items: list[Any],
) -> tuple[list[dict[str, Any]], list[int], list[dict[str, Any]]]:
    """The items that pass LeadIn (with their positions) and a problem for each other one."""
    schema = schemas.LeadIn()
    checked, positions, problems = [], [], []
    for index, item in enumerate(items):
        try:
            values = schema.load(item)
        except ma.ValidationError as exc:
            messages = exc.normalized_messages()
            external = item.get("external_id") if isinstance(item, Mapping) else None
            if isinstance(external, int) and not isinstance(external, bool):
                external = str(external)
            problems.append(
                {
                    "index": index,
                    # Echoed only when it is an id at all; its own checks may still refuse it.
                    "external_id": external[:120] if isinstance(external, str) else None,
                    "message": describe(
                        {
                            k: [str(m) for m in (v if isinstance(v, list) else [v])]
                            for k, v in messages.items()
                        }
                    ),
                }
            )
            continue
        # As text, the form the service reads (it takes what a CSV import takes).
        checked.append(
            {k: format(v, "f") if isinstance(v, Decimal) else v for k, v in values.items()}
        )
        positions.append(index)
    return checked, positions, problems


def _no_lead_stored(problems: list[dict[str, Any]]):  # type: ignore[no-untyped-def]
    return _none_stored(_("No lead could be stored."), problems)


def _none_stored(message: str, problems: list[dict[str, Any]]):  # type: ignore[no-untyped-def]
    """Roll back and answer 400 with each item's problem."""
    db.session.rollback()
    response = jsonify(error="Bad Request", message=message, errors=problems)
    response.status_code = 400
    return response
