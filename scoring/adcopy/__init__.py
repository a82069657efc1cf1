"""Ad-copy audit: offer, deadline and call to action, with lengths and vague claims."""

from scoring.adcopy.audit import check_ad
from scoring.adcopy.lengths import FORMAT_LIMITS, length_report, sms_info
from scoring.adcopy.types import (
    ELEMENTS,
    AdAudit,
    ElementVerdict,
    Evidence,
    FormatFit,
    LengthReport,
    SmsInfo,
    VagueClaim,
)

__all__ = [
    "ELEMENTS",
    "FORMAT_LIMITS",
    "AdAudit",
    "ElementVerdict",
    "Evidence",
    "FormatFit",
    "LengthReport",
    "SmsInfo",
    "VagueClaim",
    "check_ad",
    "length_report",
    "sms_info",
]
