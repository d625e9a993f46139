"""The daily reminder report: what each user must do today.

- ``build``: ``build_daily`` puts the reports together from each section's rows;
  ``Sections`` and ``report_for`` do it one recipient at a time (the follow-ups, which grow
  with the customers, read for that recipient alone);
- ``followups``, ``approvals``, ``contracts``: one builder per section (rows in, JSON-ready
  items out, each with an ``action`` sentence);
- ``items``: the report's JSON, declared once; ``common``: recipients, section names, words.
"""

from bizops.reports.daily.approvals import PendingStepRow, approval_sections
from bizops.reports.daily.build import DailyRows, Sections, build_daily, is_empty, report_for
from bizops.reports.daily.common import (
    NEW_CUSTOMER_DAYS,
    NOTICE_SECTIONS,
    SECTION_TITLES,
    SECTIONS,
    TEAM_ROLES,
    PerUser,
    Recipient,
)
from bizops.reports.daily.contracts import (
    MILESTONE_HORIZON_DAYS,
    milestone_section,
    notice_section,
)
from bizops.reports.daily.copies import copied_section
from bizops.reports.daily.followups import (
    followup_sections,
    new_customer_section,
    team_section,
    team_summary,
)
from bizops.reports.daily.items import (
    ApprovalItem,
    CopiedItem,
    DailyReport,
    FollowupItem,
    MilestoneItem,
    NewCustomerItem,
    NoticeItem,
    OwnerOverdue,
    TeamSummary,
)

__all__ = [
    "MILESTONE_HORIZON_DAYS",
    "NEW_CUSTOMER_DAYS",
    "NOTICE_SECTIONS",
    "SECTIONS",
    "SECTION_TITLES",
    "TEAM_ROLES",
    "ApprovalItem",
    "CopiedItem",
    "copied_section",
    "DailyReport",
    "DailyRows",
    "FollowupItem",
    "MilestoneItem",
    "NewCustomerItem",
    "NoticeItem",
    "OwnerOverdue",
    "PendingStepRow",
    "PerUser",
    "Recipient",
    "Sections",
    "TeamSummary",
    "approval_sections",
    "build_daily",
    "followup_sections",
    "is_empty",
    "milestone_section",
    "new_customer_section",
    "notice_section",
    "report_for",
    "team_section",
    "team_summary",
]
