"""All models, imported so that Alembic and relationships see every table."""

from qa.models.ad import AdAudit, AdAuditMark, AdText
from qa.models.ad_video import AdVideo, AdVideoAudit
from qa.models.audit import AuditEvent
from qa.models.call import (
    Call,
    Finding,
    SegmentEdit,
    TranscriptionJob,
    TranscriptSegment,
)
from qa.models.coaching import CoachingAssignment, CoachingExample, CoachingTag
from qa.models.comment import Comment
from qa.models.company import Agent, Campaign, CompanySettings, Lead
from qa.models.correction import ObjectionCorrection
from qa.models.data_version import DataVersion
from qa.models.dispute import Dispute, ReviewAcknowledgement
from qa.models.mystery import AssignmentEvent, Location, Scenario, ShopAssignment, Wave
from qa.models.notification import Notification
from qa.models.objection_model import ObjectionModelFile, ObjectionModelVersion
from qa.models.pay import Appointment, PayPlan, PayStatement
from qa.models.privacy import PersonalDataErasure
from qa.models.review import (
    CalibrationSession,
    Review,
    ReviewAssignment,
    ReviewDraft,
    ReviewRevision,
    SamplingRule,
    ScorecardDefault,
    ScorecardTemplate,
    ScorecardVersion,
)
from qa.models.shop_report import ShopEvidence, ShopReport
from qa.models.subject import ReviewSubject
from qa.models.tracker import GlossaryTerm, Tracker
from qa.models.user import ApiToken, User
from qa.models.worker import WorkerHeartbeat

__all__ = [
    "Appointment",
    "PayPlan",
    "PayStatement",
    "PersonalDataErasure",
    "AdAudit",
    "AdAuditMark",
    "AdText",
    "AdVideo",
    "AdVideoAudit",
    "Agent",
    "AssignmentEvent",
    "AuditEvent",
    "ApiToken",
    "Call",
    "CalibrationSession",
    "Campaign",
    "CoachingAssignment",
    "CoachingExample",
    "CoachingTag",
    "Comment",
    "CompanySettings",
    "Dispute",
    "Finding",
    "GlossaryTerm",
    "Lead",
    "Notification",
    "Location",
    "ObjectionCorrection",
    "ObjectionModelFile",
    "ObjectionModelVersion",
    "Review",
    "ReviewAcknowledgement",
    "ReviewAssignment",
    "ReviewDraft",
    "ReviewRevision",
    "ReviewSubject",
    "SamplingRule",
    "Scenario",
    "ScorecardDefault",
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
    "WorkerHeartbeat",
    "DataVersion",
    "Wave",
]
