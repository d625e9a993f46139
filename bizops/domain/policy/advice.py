"""What `config check` warns about in a valid policy: things that work, but not as hoped."""

from __future__ import annotations

from datetime import date

from bizops.domain import workdays
from bizops.domain.policy.model import ROBOT_CHANNELS, Policy
from bizops.i18n import _


def _calendar(policy: Policy, today: date) -> list[str]:
    years = workdays.unpublished_years(policy.calendar, today=today)
    if not years:
        return []
    known = workdays.published_years()
    last = max(known) if known else None
    return [
        _(
            "calendar: the PRC holidays of {year} are not known (the installed chinesecalendar "
            "knows years up to {last}); {year} counts weekends only until the package is "
            "updated, or its days are listed in calendar.holidays and calendar.workdays"
        ).format(year=year, last=last)
        for year in years
    ]


def _robots(policy: Policy) -> list[str]:
    mail = policy.mail
    out = [
        _("mail.robots ({name}): no url; nothing is sent to this robot").format(name=robot.name)
        for robot in mail.robots
        if not robot.url
    ]
    if mail.via in ROBOT_CHANNELS and not any(r.via == mail.via and r.url for r in mail.robots):
        out.append(
            _(
                "mail.via is {via}, but no {via} robot has a url: "
                "`report daily --send` sends nothing"
            ).format(via=mail.via)
        )
    return out


def advice(policy: Policy, *, today: date) -> list[str]:
    """Warnings, not problems: the policy is used as it is."""
    return _calendar(policy, today) + _robots(policy)
