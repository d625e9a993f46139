"""The follow-up sections of the daily report, and the team's overdue summary.

The rows come from the follow-ups service (``followups.due_rows`` up to today, and
``followups.never_contacted_rows``), already most urgent first; these builders keep that
order and only put the words on them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from bizops.domain.policy import Policy
from bizops.domain.vocab import label
from bizops.i18n import N_, _
from bizops.reports.daily.common import PerUser, Recipient, codes_words, per_user, when
from bizops.reports.daily.items import FollowupItem, NewCustomerItem, OwnerOverdue, TeamSummary

# What to do by each channel, in English; translated when a report is built. Whole phrases,
# not bare verbs: "Email" alone would be the noun of a column header in the catalog.
_VERBS = {
    "phone": N_("Call {what}"),
    "visit": N_("Visit {what}"),
    "email": N_("Email {what}"),
    "meeting": N_("Meet {what}"),
    "wechat": N_("Message {what}"),
    "other": N_("Contact {what}"),
}


# Where a customer's name goes in a sentence put together once for many rows: a character no
# label, date or purpose holds (checked text refuses control characters); should one hold it
# all the same, that sentence is put together the long way, name and all.
_NAME = "\x00"


class _Iso(dict[date, str]):
    """``date.isoformat()`` of each date, worked out once."""

    def __missing__(self, day: date) -> str:
        text = self[day] = day.isoformat()
        return text


class _Words:
    """The words every item repeats, worked out once per grade, stage or due date, not once
    per row (a team's report has tens of thousands of items and a few dozen of each)."""

    def __init__(self, policy: Policy, today: date) -> None:
        self.policy = policy
        self.today = today
        self.grades: dict[str, tuple[list[str], str, str]] = {}
        self.labels: dict[tuple[str, str], str] = {}
        self.dates: dict[date, str] = {}
        self.days: dict[date, str] = _Iso()
        self.sentences: dict[tuple[Any, ...], tuple[str, ...]] = {}
        self.what = _("{customer} ({grade}, {stage})")
        self.sentence = _("{todo} — {when}; suggested: {channels}")

    def __call__(self, grade: str) -> tuple[list[str], str, str]:
        """(the channels, "visit/phone", what to do by the first channel: "Visit {what}")."""
        found = self.grades.get(grade)
        if found is None:
            channels = list(self.policy.channels.get(grade, ("phone",)))
            verb = _(_VERBS.get(channels[0], _VERBS["other"]))
            found = (channels, codes_words("channel", channels), verb)
            self.grades[grade] = found
        return found

    def label(self, kind: str, value: str) -> str:
        found = self.labels.get((kind, value))
        if found is None:
            found = self.labels[kind, value] = label(kind, value)
        return found

    def when(self, due: date) -> str:
        found = self.dates.get(due)
        if found is None:
            found = self.dates[due] = when(due, self.today)
        return found

    def action(self, row: Mapping[str, Any]) -> str:
        """A follow-up's sentence (without its last contact's details). All but the customer's
        name is the same for every row of one grade, stage, kind, purpose and due date: that
        much is put together once, around a marker where the name goes, and each row only
        puts its name in (the same text as putting the sentence together with the name)."""
        key = (row["grade"], row["stage"], row["kind"], row["purpose"], row["due"])
        found = self.sentences.get(key)
        if found is None:
            found = self.sentences[key] = tuple(self._sentence(row, _NAME).split(_NAME))
        if len(found) == 2:
            return found[0] + row["customer"] + found[1]
        return self._sentence(row, row["customer"])  # no single place for the name

    def _sentence(self, row: Mapping[str, Any], customer: str) -> str:
        _channels, suggested, todo = self(row["grade"])
        kind, stage = row["kind"], row["stage"]
        what = self.what.format(
            customer=customer,
            grade=self.label("grade", row["grade"]),
            stage=self.label("stage", stage),
        )
        if kind == "first_contact" and stage not in ("signed", "maintenance"):
            # (A customer with a contract has been contacted, whatever its follow-up says.)
            todo = _("Make first contact with {what}")
        elif kind == "planned":
            what = _("({purpose}) {what}").format(purpose=row["purpose"] or _("planned"), what=what)
        return self.sentence.format(
            todo=todo.format(what=what), when=self.when(row["due"]), channels=suggested
        )


def _details(details: Mapping[str, Any]) -> str:
    """The purpose, place and next action of a contact, in words: "purpose: ...; next: ..."."""
    words = (
        ("purpose", N_("purpose: {value}")),
        ("place", N_("place: {value}")),
        ("next_action", N_("next step: {value}")),
    )
    return _("; ").join(
        _(text).format(value=details[key]) for key, text in words if details.get(key)
    )


def _followup_item(row: Mapping[str, Any], words: _Words) -> FollowupItem:
    channels = words(row["grade"])[0]
    last = row["last_contact"]
    details = row.get("last_details") or {}
    action = words.action(row)
    last_day = None if last is None else words.days[last]
    if details:
        action = _("{action}; last contact {day}: {details}").format(
            action=action, day=last_day or "", details=_details(details)
        )
    return {
        "id": row["id"],
        "code": row["code"],
        "customer": row["customer"],
        "grade": row["grade"],
        "stage": row["stage"],
        "owner": row["owner"],
        "due": words.days[row["due"]],
        "days_overdue": row["days_overdue"],
        "last_contact": last_day,
        "channel": channels[0],
        "channels": list(channels),
        "kind": row["kind"],
        "purpose": row["purpose"],
        "last_purpose": details.get("purpose"),
        "last_place": details.get("place"),
        "next_action": details.get("next_action"),
        "action": action,
    }


def followup_sections(
    rows: Iterable[Mapping[str, Any]],
    *,
    recipients: Sequence[Recipient],
    policy: Policy,
    today: date,
) -> tuple[PerUser[FollowupItem], PerUser[FollowupItem]]:
    """(``followups_overdue``, ``followups_due_today``) of each recipient, from the rows of
    ``followups.due_rows`` up to today (rows of other owners are left out)."""
    ids = {r.login: r.id for r in recipients}
    overdue: PerUser[FollowupItem] = per_user(recipients)
    due_today: PerUser[FollowupItem] = per_user(recipients)
    words = _Words(policy, today)
    for row in rows:
        uid = ids.get(row["owner"])
        if uid is None:
            continue
        section = overdue if row["due"] < today else due_today
        section[uid].append(_followup_item(row, words))
    return overdue, due_today


def new_customer_section(
    rows: Iterable[Mapping[str, Any]],
    *,
    recipients: Sequence[Recipient],
    policy: Policy,
    today: date,
) -> PerUser[NewCustomerItem]:
    """``new_customers`` of each recipient, from ``followups.never_contacted_rows``."""
    ids = {r.login: r.id for r in recipients}
    out: PerUser[NewCustomerItem] = per_user(recipients)
    words = _Words(policy, today)
    for row in rows:
        uid = ids.get(row["owner"])
        if uid is None:
            continue
        channels, suggested, _todo = words(row["grade"])
        created, due = row["created"].isoformat(), row["due"]
        out[uid].append(
            {
                "id": row["id"],
                "code": row["code"],
                "customer": row["customer"],
                "grade": row["grade"],
                "stage": row["stage"],
                "owner": row["owner"],
                "created": created,
                "due": due.isoformat(),
                "days_overdue": row["days_overdue"],
                "channel": channels[0],
                "channels": list(channels),
                "action": _(
                    "New customer {customer} ({grade}) since {created}, never contacted — "
                    "first contact {when}; suggested: {channels}"
                ).format(
                    customer=row["customer"],
                    grade=label("grade", row["grade"]),
                    created=created,
                    when=when(due, today),
                    channels=suggested,
                ),
            }
        )
    return out


def team_section(
    rows: Iterable[Mapping[str, Any]], *, names: Mapping[str, str], today: date
) -> TeamSummary:
    """The team's overdue follow-ups per owner, from ``followups.due_rows`` of everyone up to
    today; ``names`` gives each owner's name by login."""
    overdue: dict[str, tuple[int, date]] = {}
    for row in rows:
        due, owner = row["due"], row["owner"]
        if due >= today or owner is None:
            continue
        count, oldest = overdue.get(owner, (0, due))
        overdue[owner] = (count + 1, min(oldest, due))
    return team_summary(overdue, names=names, today=today)


def team_summary(
    overdue: Mapping[str, tuple[int, date]], *, names: Mapping[str, str], today: date
) -> TeamSummary:
    """The team's overdue follow-ups per owner, from each owner's count and oldest due date
    (by login: ``followups.overdue_by_owner``); ``names`` gives each owner's name."""
    by_owner: list[OwnerOverdue] = [
        {
            "owner": owner,
            "name": names.get(owner, owner),
            "overdue": count,
            "oldest_due": oldest.isoformat(),
            "max_days_overdue": (today - oldest).days,
        }
        for owner, (count, oldest) in overdue.items()
    ]
    by_owner.sort(key=lambda r: (-r["overdue"], r["owner"]))
    return {"overdue": sum(r["overdue"] for r in by_owner), "by_owner": by_owner}
