import json
from dataclasses import fields
from functools import cache
from typing import Any, BinaryIO, cast

from flask import abort, jsonify, request, url_for
from flask_babel import gettext as _

from qa.api import bp
from qa.api.auth import token_required
from qa.extensions import db
from qa.models import Call
from qa.services import integration
from qa.services.calls.jobs import DuplicateRecording
from qa.services.errors import ValidationFailed
from qa.services.marketing import campaigns as campaign_service


@cache
def _openapi() -> dict[str, Any]:
    with bp.open_resource("openapi.json") as handle:
        return json.load(handle)  # type: ignore[no-any-return]


@bp.route("/openapi.json")
@token_required
def openapi():  # type: ignore[no-untyped-def]
    """The OpenAPI 3 description of this API."""
    return jsonify(_openapi())


@bp.route("/campaigns")
@token_required
def campaigns():  # type: ignore[no-untyped-def]
    return jsonify(
        campaigns=[integration.campaign_payload(c) for c in campaign_service.list_campaigns()]
    )


@bp.route("/calls/<int:call_id>")
@token_required
def call_detail(call_id: int):  # type: ignore[no-untyped-def]
    """A call with its transcript, flags, lead and review scores."""
    return jsonify(integration.call_payload(db.get_or_404(Call, call_id)))


@bp.route("/recordings", methods=["POST"])
@token_required
def push_recording():  # type: ignore[no-untyped-def]
    """A recording with its lead and campaign metadata, as a PBX or call tracker sends it."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        abort(400, description=_("Send the recording as the multipart field 'file'."))
    meta = integration.RecordingMeta(
        **{f.name: request.form.get(f.name, "") for f in fields(integration.RecordingMeta)}
    )
    try:
        pushed = integration.push_recording(cast(BinaryIO, upload.stream), upload.filename, meta)
    except DuplicateRecording as exc:
        earlier_id = exc.call.id
        db.session.rollback()  # a lead or agent made for this call goes too
        return jsonify(error="Conflict", message=str(exc), call_id=earlier_id), 409
    except ValidationFailed as exc:
        db.session.rollback()
        abort(400, description=str(exc))
    db.session.commit()
    call = pushed.call
    status_url = url_for("api.call_detail", call_id=call.id)
    response = jsonify(
        id=call.id,
        status=call.status,
        status_url=status_url,
        lead_id=pushed.lead.id if pushed.lead else None,
        lead_created=pushed.lead_created,
        campaign_id=call.campaign_id,
        agent_id=call.agent_id,
    )
    response.status_code = 201
    response.headers["Location"] = status_url
    return response


@bp.route("/leads", methods=["POST"])
@token_required
def push_leads():  # type: ignore[no-untyped-def]
    """Leads as the CSV import takes them: created or updated by external id, item by item."""
    body = request.get_json(silent=True)
    if body is None:
        abort(400, description=_("The body must be JSON (Content-Type: application/json)."))
    try:
        report = integration.push_leads(body)
    except ValidationFailed as exc:
        abort(400, description=str(exc))
    errors = [{"index": i, "external_id": ext, "message": msg} for i, ext, msg in report.errors]
    if not report.stored:
        db.session.rollback()
        return jsonify(
            error="Bad Request", message=_("No lead could be stored."), errors=errors
        ), 400
    db.session.commit()
    return jsonify(
        created=report.created,
        updated=report.updated,
        linked_calls=report.linked_calls,
        leads=[
            {"index": i, "id": lead.id, "external_id": lead.external_id}
            for i, lead in report.stored
        ],
        errors=errors,
    )
