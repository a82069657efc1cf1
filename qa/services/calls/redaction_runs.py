"""Redaction runs over stored calls: redact again, and analyse again where the text changed
(the objection analysis reads the redacted text). Used by ``qa redact --calls`` and by the task
queued when the redaction settings are saved."""

from __future__ import annotations

import logging
from typing import Any

from qa.extensions import db
from qa.models import Call
from qa.services.calls.each_call import each_call
from qa.services.calls.objections import analyse_call
from qa.services.calls.redaction import (
    Policy,
    calls_to_redact,
    policy,
    redact_call,
    served_recording,
)
from qa.services.queue_messages import CALL_REDACTION, send_after_commit

logger = logging.getLogger(__name__)

# A call of up to this much audio is redacted in the request of the page that waits for it (a
# second or two of decoding and writing); a longer one is queued ahead of other work.
REDACT_ON_VIEW_SECONDS = 15 * 60.0

# What a viewer's player can do: play; wait for the redaction queued or running; wait for the
# transcription (which redacts when it ends).
READY, REDACTING, AWAITING_TRANSCRIPT = "ready", "redacting", "awaiting_transcript"


def redact_and_analyse(call: Call, rules: Policy) -> int:
    """Redact the call again; where its text changed, analyse it again (flags read the
    redacted text). Returns how many values were found."""
    before = _text_state(call)
    found = redact_call(call, rules)
    if _text_state(call) != before:
        analyse_call(call)
    return found


def _text_state(call: Call) -> list[tuple[object, ...]]:
    return [(s.text, s.redacted_text, s.pii_spans) for s in call.segments]


def redact_stored_calls() -> tuple[int, int]:
    """Redact every stored transcript by the current settings, a commit per call (the task
    queued when the settings change). Returns (calls done, calls that failed)."""
    rules = policy()
    if not rules.enabled:
        return 0, 0
    done = failed = 0
    for outcome in each_call(calls_to_redact(None), lambda call: redact_and_analyse(call, rules)):
        if outcome.error is None:
            done += 1
        else:
            failed += 1
            logger.error("Redacting call %s failed: %s", outcome.call_id, outcome.error)
    return done, failed


def redact_stored_call(call_id: int) -> None:
    """Redact one stored call by the current settings and commit (the task queued when a viewer
    opened it before the run over stored calls reached it; a call already done is unchanged)."""
    rules = policy()
    if not rules.enabled:
        return
    for outcome in each_call([call_id], lambda call: redact_and_analyse(call, rules)):
        if outcome.error is not None:
            logger.error("Redacting call %s failed: %s", outcome.call_id, outcome.error)


def recording_for_viewer(call: Call, viewer: Any, want_original: bool = False) -> str:
    """Whether ``viewer`` can play the call now (READY), or waits for its redaction.

    A viewer who gets the redacted copy (who may not hear the original, or did not ask for it)
    and finds it not written yet, because the run over stored calls has not reached this call,
    moves the call to the front: a short call is redacted now (the caller commits), a longer
    one is queued ahead of other work.
    """
    if call.recording_deleted_at is not None or not call.recording_path:
        return READY  # nothing to wait for: the page says it was deleted
    if served_recording(call, viewer, want_original) is not None:
        return READY
    if not call.segments:
        return AWAITING_TRANSCRIPT
    if (call.duration or call.segments[-1].end) <= REDACT_ON_VIEW_SECONDS:
        try:
            with db.session.begin_nested():
                redact_and_analyse(call, policy())
        except Exception:  # noqa: BLE001 - the page still opens; the worker tries and logs it
            logger.exception("Redacting call %s for its page failed; queued instead", call.id)
        else:
            if served_recording(call, viewer, False) is not None:
                return READY
    send_after_commit(CALL_REDACTION, call.id)
    return REDACTING
