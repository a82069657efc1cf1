"""The recording of a call as an HTTP response: one way of serving it, for every page that
plays it (the call page, an employee's coaching example)."""

from __future__ import annotations

from flask import Response, abort, current_app, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from qa.extensions import db
from qa.models import Call
from qa.services.calls import redaction
from qa.services.calls.recordings import (
    AUDIO_FORMATS,
    listened,
    media_type,
    recording_abspath,
    served_format,
)
from qa.services.errors import ValidationFailed


def recording_response(call: Call) -> Response:
    """The audio, as the media type of its probed container; never rendered by the browser.

    Where the company redacts, a viewer who may not hear the original gets the redacted copy;
    one who may gets the original with ``?original=1`` (an audited view).
    """
    if call.recording_deleted_at is not None or not call.recording_path:
        abort(404, description=_("The recording was deleted (retention or a request)."))
    chosen = redaction.served_recording(call, current_user, request.args.get("original") == "1")
    if chosen is None:  # the redacted copy is still to be written: a moment, not an absence
        abort(409, description=waiting_message(bool(call.segments)))
    relative, original = chosen
    root = current_app.config["RECORDINGS_DIR"]
    try:
        if original:
            path = listened(call.id, relative, root)
            if redaction.redaction_active():
                redaction.view_original(call, "recording")
        else:
            path = recording_abspath(relative, root)
    except ValidationFailed:
        abort(404)
    kind = (
        "wav"
        if relative == call.redacted_recording_path
        else served_format(call.audio_format, path)
    )
    if kind is None:
        abort(404, description=_("The recording file is missing from storage."))
    try:
        # conditional=True answers Range requests (206), which seeking in <audio> needs.
        response = send_file(
            path,
            mimetype=media_type(kind),
            conditional=True,
            max_age=3600,
            as_attachment=True,
            download_name=f"call-{call.id}.{AUDIO_FORMATS[kind][0]}",
        )
    except FileNotFoundError:
        abort(404, description=_("The recording file is missing from storage."))
    response.headers["X-Content-Type-Options"] = "nosniff"
    db.session.commit()  # the audit event of this view
    return response


def waiting_message(transcribed: bool) -> str:
    """Why a viewer who may not hear the original cannot play the call yet."""
    if not transcribed:
        return _(
            "The recording can be played once the call is transcribed and its personal data "
            "redacted."
        )
    return _(
        "The recording is being redacted (personal data is beeped out) and will be playable "
        "shortly. Reload the page in a minute."
    )
