"""The state of a demo build: the session, the clock, the random choices, and who is who."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from bizops.domain.policy import Policy
from bizops.services.demo.scenario import RANDOM_START, Timeline, workday_back
from bizops.store.models import User

if TYPE_CHECKING:
    from sqlmodel import Session


@dataclass
class CustomerPlan:
    spec: dict[str, Any]
    lang: str
    owner: str
    created: date
    # Stages reached one step at a time, and the day of each (the first is the first contact).
    moves: list[tuple[date, str]]
    exit: tuple[date, str, str] | None  # (day, lost|dormant, reason)
    lateness: tuple[int, ...]
    neglect_after: date | None
    created_ago: int = 0  # days before today, before the move off the weekend
    code: str = ""
    customer_id: int = 0


@dataclass
class Builder:
    session: Session
    policy: Policy
    today: date
    scenario: dict[str, Any]
    rng: random.Random = field(default_factory=lambda: random.Random(RANDOM_START))
    users: dict[str, User] = field(default_factory=dict)
    role_holders: dict[str, list[str]] = field(default_factory=dict)
    plans: dict[str, CustomerPlan] = field(default_factory=dict)
    contract_numbers: dict[int, str] = field(default_factory=dict)
    clock: int = 0
    timeline: Timeline = field(init=False)

    def __post_init__(self) -> None:
        self.timeline = Timeline(self.today)

    def ago(self, days: int) -> date:
        return workday_back(self.today - timedelta(days=days))

    def moment(self, day: date) -> datetime:
        """A deterministic office-hours time on ``day``, in the local time zone."""
        self.clock += 1
        at = time(9 + self.clock % 8, (self.clock * 17) % 60)
        return datetime.combine(day, at).astimezone()

    def holder(self, role: str) -> User:
        return self.users[self.role_holders[role][0]]

    def phrase(self, lang: str, key: str) -> str:
        options = self.scenario["phrases"][lang][key]
        return str(self.rng.choice(options))

    def sales(self) -> list[str]:
        return self.role_holders.get("sales", [])
