"""Redaction runs over stored calls: redact again, and analyse again where the text changed
(the objection analysis reads the redacted text). Used by ``qa redact --calls`` and by the task
queued when the redaction settings are saved."""

from __future__ import annotations

import logging

from qa.models import Call
from qa.services.calls.each_call import each_call
from qa.services.calls.objections import analyse_call
from qa.services.calls.redaction import Policy, calls_to_redact, policy, redact_call

logger = logging.getLogger(__name__)


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
