"""What people read in place of field names and codes.

A field's label (``grade`` -> 等级) names a `show` record's keys on a terminal and, with
``--headers zh``, the header of a CSV or workbook. A value's label (``negotiation`` -> 商务谈判)
is how a code looks in a table on a terminal in Chinese. JSON keys, CSV headers by default,
piped text and the codes themselves never change with the language: scripts read them, and
people type the codes.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from functools import lru_cache
from typing import Any

from bizops.i18n import DOMAIN, LOCALE_DIR, N_, _, is_chinese


class HeaderStyle(StrEnum):
    """The header row of a CSV file or a workbook."""

    keys = "keys"  # the declared field names, as in JSON (the default)
    zh = "zh"  # the fields' Chinese labels, for people opening the file


# Field name -> its label, in English (the catalog's message id); translated where shown.
FIELD_LABELS: dict[str, str] = {
    # money and seals
    "advance": N_("Advance"),
    "aging_0_30": N_("0-30 days"),
    "aging_31_60": N_("31-60 days"),
    "aging_61_90": N_("61-90 days"),
    "aging_over_90": N_("Over 90 days"),
    "applied": N_("Applied"),
    "bank_ref": N_("Bank reference"),
    "candidates": N_("Candidates"),
    "contracts": N_("Contracts"),
    "copies": N_("Copies"),
    "draft_sha256": N_("Draft SHA-256"),
    "dso": N_("DSO"),
    "invoiced": N_("Invoiced"),
    "issued_by": N_("Issued by"),
    "issued_on": N_("Issued on"),
    "line": N_("Line"),
    "maturity": N_("Maturity"),
    "memo": N_("Memo"),
    "message": N_("Message"),
    "method": N_("Method"),
    "milestone": N_("Milestone"),
    "milestones": N_("Milestones"),
    "milestones_done": N_("Milestones done"),
    "oldest_due": N_("Oldest due"),
    "outstanding": N_("Outstanding"),
    "paid_amount": N_("Paid amount"),
    "paid_by": N_("Paid by"),
    "paid_currency": N_("Paid currency"),
    "paid_on": N_("Paid on"),
    "payer": N_("Payer"),
    "receipt": N_("Receipt"),
    "received": N_("Received"),
    "received_on": N_("Received on"),
    "requested_by": N_("Requested by"),
    "requested_on": N_("Requested on"),
    "seal": N_("Seal"),
    "sealed_by": N_("Sealed by"),
    "sealed_on": N_("Sealed on"),
    "tax_amount": N_("Tax amount"),
    "tax_rate": N_("Tax rate"),
    "void_on": N_("Voided on"),
    "void_reason": N_("Void reason"),
    "written_off": N_("Written off"),
    # customers
    "id": N_("ID"),
    "code": N_("Code"),
    "name": N_("Name"),
    "grade": N_("Grade"),
    "stage": N_("Stage"),
    "owner": N_("Owner"),
    "industry": N_("Industry"),
    "region": N_("Region"),
    "source": N_("Source"),
    "potential": N_("Potential"),
    "intent": N_("Intent"),
    "tags": N_("Tags"),
    "next_due": N_("Next due"),
    "last_contact": N_("Last contact"),
    "created": N_("Created"),
    "archived": N_("Archived"),
    "cadence": N_("Cadence (days)"),
    "stage_since": N_("Stage since"),
    "days_in_stage": N_("Days in stage"),
    "needs": N_("Needs"),
    "note": N_("Note"),
    "contact": N_("Contact"),
    "title": N_("Title"),
    "phone": N_("Phone"),
    "email": N_("Email"),
    "more_contacts": N_("More contacts"),
    "company_phone": N_("Company phone"),
    "company_email": N_("Company email"),
    "website": N_("Website"),
    "address": N_("Address"),
    "credit_code": N_("Unified social credit code"),
    "primary": N_("Primary"),
    "from": N_("From"),
    "to": N_("To"),
    "why": N_("Why"),
    "suggested": N_("Suggested grade"),
    "from_grade": N_("Previous grade"),
    "from_stage": N_("Previous stage"),
    "next_followup": N_("Next follow-up"),
    "imported": N_("Imported"),
    "already_present": N_("Already present"),
    "rejected": N_("Rejected"),
    "first_code": N_("First code"),
    "last_code": N_("Last code"),
    "rejects_file": N_("Rejects file"),
    # follow-ups
    "customer": N_("Customer"),
    "due": N_("Due"),
    "days_overdue": N_("Days overdue"),
    "channel": N_("Channel"),
    "purpose": N_("Purpose"),
    "place": N_("Place"),
    "next_action": N_("Next action"),
    "cause": N_("Cause"),
    "kind": N_("Kind"),
    "date": N_("Date"),
    "type": N_("Type"),
    "via": N_("Via"),
    "summary": N_("Summary"),
    "outcome": N_("Outcome"),
    "by": N_("By"),
    "status": N_("Status"),
    "on_time": N_("On time"),
    "days_late": N_("Days late"),
    "on": N_("On"),
    "at": N_("At"),
    "until": N_("Until"),
    "days": N_("Days"),
    # contracts
    "contract": N_("Contract"),
    "number": N_("Number"),
    "customer_code": N_("Customer code"),
    "amount": N_("Amount"),
    "amount_in_base": N_("Amount in base currency"),
    "base_currency": N_("Base currency"),
    "currency": N_("Currency"),
    "risk": N_("Risk"),
    "start": N_("Start"),
    "end": N_("End"),
    "template": N_("Template"),
    "non_standard": N_("Non-standard"),
    "notice_days": N_("Notice days"),
    "days_left": N_("Days left"),
    "created_on": N_("Created on"),
    "created_by": N_("Created by"),
    "submitted_on": N_("Submitted"),
    "approved_on": N_("Approved on"),
    "signed_on": N_("Signed on"),
    "signatory": N_("Signatory"),
    "activated_on": N_("Activated on"),
    "completed_on": N_("Completed on"),
    "terminated_on": N_("Terminated on"),
    "termination_reason": N_("Termination reason"),
    "archived_on": N_("Archived on"),
    "archive_reason": N_("Archive reason"),
    "allowed_moves": N_("Allowed moves"),
    "non_standard_reasons": N_("Non-standard because"),
    "done_on": N_("Done"),
    "done_by": N_("Done by"),
    "opened_on": N_("Opened"),
    "opened_by": N_("Opened by"),
    "resolution": N_("Resolution"),
    "resolved_on": N_("Resolved"),
    "resolved_by": N_("Resolved by"),
    "file": N_("File"),
    "filename": N_("File name"),
    "size": N_("Size (bytes)"),
    "sha256": N_("SHA-256"),
    "added_on": N_("Added on"),
    "added_by": N_("Added by"),
    "match": N_("Match"),
    "copy": N_("Archived copy"),
    "archived_copies": N_("Archived copies"),
    "changes": N_("Changes"),
    "applied_on": N_("Applied on"),
    "request": N_("Approval request"),
    "text": N_("Text"),
    "move": N_("Move"),
    "format": N_("Format"),
    # templates
    "version": N_("Version"),
    "language": N_("Language"),
    "description": N_("Description"),
    "required": N_("Required"),
    "default": N_("Default"),
    "choices": N_("Choices"),
    "help": N_("Meaning and how to fill it in"),
    "label": N_("Label"),
    "min": N_("Minimum"),
    "max": N_("Maximum"),
    "pattern": N_("Pattern"),
    "check": N_("Check"),
    "required_if": N_("Required if"),
    "body": N_("Body"),
    "versions": N_("Versions"),
    "fields": N_("Fields"),
    # approvals
    "position": N_("Position"),
    "rule": N_("Rule"),
    "reason": N_("Reason"),
    "conditions": N_("Conditions"),
    "chain": N_("Chain"),
    "types": N_("Contract types"),
    "amount_min": N_("Minimum amount"),
    "amount_max": N_("Maximum amount"),
    "step": N_("Step"),
    "role": N_("Role"),
    "submitted_by": N_("Submitted by"),
    "waiting_since": N_("Waiting since"),
    "overdue": N_("Overdue"),
    "can_decide": N_("Can decide"),
    "amendment": N_("Amendment"),
    "current_step": N_("Current step"),
    "current_role": N_("Waiting for"),
    "closed_on": N_("Closed"),
    "decided_by": N_("Decided by"),
    "decided_on": N_("Decided on"),
    "comment": N_("Comment"),
    "policy_version": N_("Policy version"),
    # the policy
    "applied_by": N_("Applied by"),
    "applied_at": N_("Applied at"),
    "in_force": N_("In force"),
    "before": N_("Before"),
    "team": N_("Team"),
    # reports
    "current": N_("Now"),
    "entered": N_("Entered"),
    "moved_on": N_("Moved on"),
    "conversion": N_("Conversion %"),
    "median_days": N_("Median days"),
    "average_days": N_("Average days"),
    "stays": N_("Stays"),
    "quotes_sent": N_("Quotes sent"),
    "quotes_accepted": N_("Quotes accepted"),
    "quotes_rejected": N_("Quotes rejected"),
    "group": N_("Group"),
    "late": N_("Late"),
    "missed": N_("Missed"),
    "pending": N_("Pending"),
    "rate": N_("On time %"),
    "section": N_("Section"),
    "key": N_("What"),
    "count": N_("Count"),
    "value": N_("Value"),
    "detail": N_("Detail"),
    # users, audit, the database
    "login": N_("Login"),
    "roles": N_("Roles"),
    "limit": N_("Approval limit"),
    "active": N_("Active"),
    "actor": N_("Actor"),
    "action": N_("Action"),
    "entity": N_("Entity"),
    "entity_id": N_("Entity id"),
    "after": N_("After"),
    "url": N_("Database"),
    "backend": N_("Backend"),
    "schema": N_("Schema revision"),
    "schema_head": N_("Latest revision"),
    "up_to_date": N_("Up to date"),
    "path": N_("Path"),
    "size_bytes": N_("Size (bytes)"),
    "journal_mode": N_("Journal mode"),
    # products and quotations
    "subject": N_("About"),
    "spec": N_("Spec"),
    "unit": N_("Unit"),
    "price": N_("Price"),
    "floor_price": N_("Floor price"),
    "customer_name": N_("Customer name"),
    "discount_pct": N_("Discount %"),
    "discount_amount": N_("Discount"),
    "valid_until": N_("Valid until"),
    "quantity": N_("Qty"),
    "unit_price": N_("Unit price"),
    "list_price": N_("List price"),
    "tax": N_("Tax"),
    "gross": N_("Incl. tax"),
    "below_floor": N_("Below floor"),
    # needs analysis
    "question": N_("Question"),
    "answer": N_("Answer"),
    "framework": N_("Framework"),
    "recorded_on": N_("Recorded on"),
    "recorded_by": N_("Recorded by"),
    "complete": N_("Complete"),
    "missing": N_("Missing"),
    "questions": N_("Answers"),
    "history": N_("Earlier answer sets"),
    "latest": N_("Latest answers"),
    "moved_to": N_("Moved to stage"),
    "sent": N_("Sent"),
    "accepted": N_("Accepted"),
    "expired": N_("Expired"),
    "open": N_("Open"),
    "win_rate": N_("Win rate %"),
    "average_discount": N_("Avg. discount %"),
    "average_days_to_accept": N_("Days to accept"),
}

# Fields whose name alone says which kind of code they hold (bizops.domain.vocab); a column
# or a record names the kind of any other field (``status`` of a contract, of a request).
FIELD_KINDS: dict[str, str] = {
    "grade": "grade",
    "from_grade": "grade",
    "suggested": "grade",
    "stage": "stage",
    "from_stage": "stage",
    "intent": "intent",
    "risk": "risk",
    "channel": "channel",
    "via": "channel",
    "role": "role",
    "roles": "role",
    "current_role": "role",
    "chain": "role",
}


def field_label(key: str, labels: Mapping[str, str] | None = None) -> str:
    """A record's key as people read it on a terminal: its label in Chinese (``labels`` first,
    then the common one), else the key."""
    label = (labels or {}).get(key) or FIELD_LABELS.get(key)
    return _(label) if label and is_chinese() else key


@lru_cache(maxsize=1)
def _vocab_label() -> Callable[[str, str | None], str] | None:
    # The domain's table of Chinese names for codes; a build without it shows the codes.
    from bizops.domain import vocab

    found = getattr(vocab, "label", None)
    return found if callable(found) else None


# Codes of the metrics reports' rows (not typed by anyone, so not in the domain's table of
# words): kind -> code -> its name in English, translated where shown. A code not listed here
# falls back to the domain's table (``report_figure`` names contract states too).
REPORT_VALUES: dict[str, dict[str, str]] = {
    "report_section": {
        "status": N_("By status"),
        "approval_cycle": N_("Approval cycle"),
        "non_standard": N_("Non-standard contracts"),
        "expiring": N_("Expiring"),
        "overdue_milestones": N_("Overdue milestones"),
        "collection": N_("Collection"),
    },
    "report_figure": {
        "submitted_to_closed": N_("Submitted to closed"),
        "created_in_period": N_("Created in the period"),
        "within_30d": N_("Within 30 days"),
        "within_60d": N_("Within 60 days"),
        "within_90d": N_("Within 90 days"),
        "overdue": N_("Overdue"),
        "received": N_("Received"),
    },
    "report_grouping": {"owner": N_("Owner"), "grade": N_("Grade")},
    "report_group": {"all": N_("All")},
}
_FALLBACK_KIND = {"report_figure": "contract_state", "report_group": "grade"}


def _report_value(kind: str, value: str, label: Callable[[str, str | None], str] | None) -> str:
    words = REPORT_VALUES[kind].get(value)
    if words is not None:
        return _(words)
    fallback = _FALLBACK_KIND.get(kind)
    return label(fallback, value) if label is not None and fallback else value


def value_label(kind: str | None, value: Any) -> Any:
    """A code as people read it in a table on a terminal: its Chinese name in Chinese (a list
    of codes, or codes joined by ``/``, each one); anything else unchanged."""
    if kind is None or not is_chinese() or value is None:
        return value
    label = _vocab_label()
    if kind in REPORT_VALUES and isinstance(value, str):
        return _report_value(kind, value, label)
    if label is None:
        return value
    if isinstance(value, str):
        return "/".join(label(kind, part) for part in value.split("/"))
    if isinstance(value, list | tuple):
        return [value_label(kind, item) for item in value]
    return value


@lru_cache(maxsize=1)
def _chinese() -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=["zh_CN"], fallback=True)


def header_row(
    keys: Iterable[str], style: HeaderStyle | str | None, labels: Mapping[str, str] | None = None
) -> list[str]:
    """The header of a CSV file or a workbook: the field names, or (``zh``) their Chinese
    labels, whatever the interface language."""
    names = list(keys)
    if style is None or HeaderStyle(style) is HeaderStyle.keys:
        return names
    own = labels or {}
    return [_chinese().gettext(own.get(k) or FIELD_LABELS.get(k) or k) for k in names]
