"""The demo scenario: the files shipped in ``bizops/library/demo/``, the choices made on top
of them, and the timeline that plays events in date order."""

from __future__ import annotations

import heapq
import tomllib
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from bizops import library

# The random choices (when a customer was first contacted, how late a follow-up was) start
# from this number, so the same ``today`` gives the same data.
RANDOM_START = 20_26_09_01
# Lateness (days after the due date, negative: early) of each sales rep's follow-ups, in the
# order the reps appear in team.toml: one often late, one mixed, one punctual.
LATENESS: tuple[tuple[int, ...], ...] = (
    (-1, 0, 0, 1, 2, 3, 5, 8),
    (-2, -1, 0, 0, 0, 1, 2, 4),
    (-1, 0, 0, 0, 0, 1),
)
# Never-contacted prospects (in file order): every other one was added in the last few days
# (new customers never contacted), the others weeks ago (first contact overdue).
NEW_PROSPECT_DAYS = (1, 2, 4, 6, 3)
OLD_PROSPECT_DAYS = (12, 19, 26, 33, 40)
# The day whose build numbers the customers: on any other day they are added in the order
# they were on this one (same code, same customer, same owner), whatever the weekdays.
REFERENCE_DAY = date(2026, 11, 27)
# Customers without contracts were added this many days ago.
CREATED_DAYS = (60, 90)
# Customers that have not been followed up for a while, so they are overdue now.
NEGLECT_SHARE = 0.3
KEY_ACCOUNT_TAG = {"zh": "重点客户", "en": "key-account"}
PLANNED_PURPOSE = {"zh": "送样品并确认报价", "en": "Bring samples and confirm the quotation"}


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads(library.read_text("demo", name))


def load_scenario() -> dict[str, Any]:
    """The shipped demo scenario: users, customers, contracts and the reps' phrases."""
    return {
        "users": _load("team.toml")["user"],
        "customers": _load("customers.toml")["customer"],
        "contracts": _load("contracts.toml")["contract"],
        "approval_rules": _load("contracts.toml").get("approval_rule", []),
        "phrases": _load("interactions.toml"),
        "money": _load("money.toml"),
    }


def language(name: str) -> str:
    return "en" if name.isascii() else "zh"


def workday_back(day: date) -> date:
    """Saturday and Sunday move back to the Friday (office work happens on weekdays)."""
    return day - timedelta(days=max(day.weekday() - 4, 0))


def workday_forward(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


class Timeline:
    """Events run in date order (on the same day, in the order they were planned), each with
    its own "today"."""

    def __init__(self, today: date) -> None:
        self.today = today
        self._heap: list[tuple[date, int, Callable[[date], None]]] = []
        self._seq = 0

    def at(self, day: date, action: Callable[[date], None]) -> None:
        if day > self.today:
            raise ValueError(f"demo event on {day} is after today ({self.today})")
        self._seq += 1
        heapq.heappush(self._heap, (day, self._seq, action))

    def run(self) -> None:
        while self._heap:
            day, _, action = heapq.heappop(self._heap)
            action(day)
