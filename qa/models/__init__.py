"""All models, imported so that Alembic and relationships see every table."""

from qa.models.ad import AdAudit, AdAuditMark, AdText
from qa.models.call import (
    Call,
    Finding,
    SegmentEdit,
    TranscriptionJob,
    TranscriptSegment,
)
from qa.models.company import Agent, Campaign, CompanySettings, Lead
from qa.models.correction import ObjectionCorrection
from qa.models.dispute import Dispute
from qa.models.mystery import AssignmentEvent, Location, Scenario, ShopAssignment, Wave
from qa.models.objection_model import ObjectionModelFile, ObjectionModelVersion
from qa.models.pay import Appointment, PayPlan, PayStatement
from qa.models.review import (
    CalibrationSession,
    Review,
    ReviewAssignment,
    ReviewRevision,
    SamplingRule,
    ScorecardTemplate,
    ScorecardVersion,
)
from qa.models.shop_report import ShopEvidence, ShopReport
from qa.models.subject import ReviewSubject
from qa.models.tracker import GlossaryTerm, Tracker
from qa.models.user import ApiToken, User

__all__ = [
    "Appointment",
    "PayPlan",
    "PayStatement",
    "AdAudit",
    "AdAuditMark",
    "AdText",
    "Agent",
    "AssignmentEvent",
    "ApiToken",
    "Call",
    "CalibrationSession",
    "Campaign",
    "CompanySettings",
    "Dispute",
    "Finding",
    "GlossaryTerm",
    "Lead",
    "Location",
    "ObjectionCorrection",
    "ObjectionModelFile",
    "ObjectionModelVersion",
    "Review",
    "ReviewAssignment",
    "ReviewRevision",
    "ReviewSubject",
    "SamplingRule",
    "Scenario",
    "ScorecardTemplate",
    "ScorecardVersion",
    "SegmentEdit",
    "ShopAssignment",
    "ShopEvidence",
    "ShopReport",
    "Tracker",
    "TranscriptSegment",
    "TranscriptionJob",
    "User",
    "Wave",
]
