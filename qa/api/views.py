from flask import jsonify

from qa.api import bp
from qa.api.auth import token_required
from qa.extensions import db
from qa.models import Call


@bp.route("/calls/<int:call_id>")
@token_required
def call_detail(call_id: int):  # type: ignore[no-untyped-def]
    """A call with its transcript and flags."""
    call = db.get_or_404(Call, call_id)
    return jsonify(
        id=call.id,
        status=call.status,
        error=call.error,
        language=call.language,
        duration=call.duration,
        agent=call.agent.name if call.agent else None,
        lead_id=call.lead_id,
        campaign_id=call.campaign_id,
        segments=[
            {"speaker": s.speaker, "start": s.start, "end": s.end, "text": s.text}
            for s in call.segments
        ],
        findings=[
            {
                "label": f.label,
                "rule": f.rule_id,
                "score": f.score,
                "start": f.time_start,
                "text": f.text,
            }
            for f in call.findings
        ],
    )
