"""What a checked policy holds: frozen values the rules read."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bizops.domain.currencies import to_base
from bizops.domain.money import format_amount
from bizops.domain.policy.quotes import QuoteRule
from bizops.domain.workdays import WorkCalendar
from bizops.i18n import _


@dataclass(frozen=True)
class GradingRule:
    grade: str
    potential_min: Decimal | None = None
    intents: tuple[str, ...] = ()

    def matches(self, potential: Decimal | None, intent: str | None) -> bool:
        if self.potential_min is not None and (potential is None or potential < self.potential_min):
            return False
        return not (self.intents and intent not in self.intents)

    def explain(self, potential: Decimal | None, intent: str | None) -> str:
        parts = []
        if self.potential_min is not None:
            parts.append(
                _("potential {potential} >= {minimum}").format(
                    potential=format_amount(potential), minimum=format_amount(self.potential_min)
                )
            )
        if self.intents:
            parts.append(
                _("intent {intent} in {intents}").format(
                    intent=intent, intents="/".join(self.intents)
                )
            )
        return _("{conditions}: {grade}").format(
            conditions=_(" and ").join(parts) or _("no condition"), grade=self.grade
        )


@dataclass(frozen=True)
class ApprovalRule:
    """One row of the authority matrix. Empty conditions match anything."""

    name: str
    chain: tuple[str, ...]
    types: tuple[str, ...] = ()
    amount_min: Decimal | None = None  # inclusive
    amount_max: Decimal | None = None  # exclusive
    risks: tuple[str, ...] = ()
    non_standard: bool | None = None
    limits: str = "every"  # every: limits apply at each step; last: only at the last step

    @property
    def is_catch_all(self) -> bool:
        return (
            not self.types
            and self.amount_min is None
            and self.amount_max is None
            and not self.risks
            and self.non_standard is None
        )

    def matches(self, *, type: str, amount: Decimal, risk: str, non_standard: bool) -> bool:
        if self.types and type not in self.types:
            return False
        if self.amount_min is not None and amount < self.amount_min:
            return False
        if self.amount_max is not None and amount >= self.amount_max:
            return False
        if self.risks and risk not in self.risks:
            return False
        return self.non_standard is None or self.non_standard == non_standard

    def conditions(self) -> list[str]:
        out = []
        if self.types:
            out.append(_("type in {types}").format(types="/".join(self.types)))
        if self.amount_min is not None:
            out.append(_("amount >= {amount}").format(amount=format_amount(self.amount_min)))
        if self.amount_max is not None:
            out.append(_("amount < {amount}").format(amount=format_amount(self.amount_max)))
        if self.risks:
            out.append(_("risk in {risks}").format(risks="/".join(self.risks)))
        if self.non_standard is not None:
            out.append(_("non-standard") if self.non_standard else _("standard"))
        return out

    def describe(self) -> str:
        return _(" and ").join(self.conditions()) or _("any contract")


@dataclass(frozen=True)
class CcRule:
    """Who is copied (抄送) on the requests of the named rules (none named: every rule)."""

    rules: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    users: tuple[str, ...] = ()

    def applies(self, rule: str) -> bool:
        return not self.rules or rule in self.rules


# Where `report daily --send` delivers: mail, or a WeCom (企业微信) / DingTalk (钉钉) group robot.
DELIVERY_CHANNELS: tuple[str, ...] = ("email", "wecom", "dingtalk")
ROBOT_CHANNELS: tuple[str, ...] = ("wecom", "dingtalk")


@dataclass(frozen=True)
class RobotSettings:
    """A group robot's webhook, and whose reports it takes (none named: everyone else's)."""

    name: str
    via: str  # wecom or dingtalk
    url: str | None = None
    secret: str | None = None  # DingTalk's signing secret (加签), if the robot has one
    secret_env: str | None = None  # ... or the environment variable that holds it
    users: tuple[str, ...] = ()

    @property
    def is_default(self) -> bool:
        return not self.users


@dataclass(frozen=True)
class MailSettings:
    host: str | None = None
    port: int = 587
    sender: str | None = None
    starttls: bool = True
    ssl: bool = False
    user: str | None = None
    password_env: str = "BIZOPS_SMTP_PASSWORD"
    subject: str = "bizops: what is due on {date}"
    timeout: float = 20.0
    via: str = "email"  # the default channel of `report daily --send`
    robots: tuple[RobotSettings, ...] = ()

    def robot_for(self, login: str, via: str) -> RobotSettings | None:
        """The ``via`` robot that names ``login``, else the ``via`` robot that names nobody."""
        found = [r for r in self.robots if r.via == via]
        for robot in found:
            if login in robot.users:
                return robot
        return next((r for r in found if r.is_default), None)

    def missing(self) -> list[str]:
        out = []
        if not self.host:
            out.append("mail.host")
        if not self.sender:
            out.append("mail.from")
        return out


@dataclass(frozen=True)
class Policy:
    currency: str
    company: dict[str, str]
    cadence: dict[str, dict[str, int | None]]  # grade -> stage -> days (None: no follow-up)
    first_contact: dict[str, int]
    channels: dict[str, tuple[str, ...]]
    grading_rules: tuple[GradingRule, ...]
    grading_default: str
    approval_rules: tuple[ApprovalRule, ...]
    approval_sla_days: int
    contract_number: str
    customer_code: str
    notice_days: int
    reminder_days: tuple[int, ...]
    weekend_rule: str
    weekend_days: frozenset[int]
    calendar: WorkCalendar  # working days: weekends, holidays and make-up days
    mail: MailSettings
    visibility: dict[str, str]  # role -> own | team | all
    pool_max_claims: int  # claims per rep within pool_claim_window_days
    pool_claim_window_days: int
    pool_return_after_days: int  # 0: customers never return to the pool by themselves
    # Payments on purchase contracts and write-offs route through matrices of their own.
    payment_rules: tuple[ApprovalRule, ...] = ()
    writeoff_rules: tuple[ApprovalRule, ...] = ()
    approval_cc: tuple[CcRule, ...] = ()
    seal_required: bool = False  # contracts are sealed (用印) between approval and signing
    quote_rules: tuple[QuoteRule, ...] = ()
    quote_number: str = "Q-{year}-{seq:04d}"
    quote_valid_days: int = 30
    quote_before_negotiation: bool = True
    # How many days before the real date a non-manager may log an interaction (`--at`).
    backdate_days: int = 3
    # [currency] rates: base-currency units per unit of another currency (``currency`` is the
    # base: amounts entered without a currency, and what the approval matrix and limits compare).
    rates: dict[str, Decimal] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # The stored version this policy is (None: the shipped defaults, or a file being checked).
    version: int | None = field(default=None, compare=False)

    def to_base(self, amount: Decimal, currency: str) -> Decimal:
        """``amount`` in ``currency`` in the base currency; ``Invalid`` when no rate is given."""
        return to_base(amount, currency, base=self.currency, rates=self.rates)

    def cadence_days(self, grade: str, stage: str) -> int | None:
        return self.cadence.get(grade, {}).get(stage)

    def suggest_grade(self, potential: Decimal | None, intent: str | None) -> tuple[str, str]:
        """The suggested grade and the words that explain it."""
        for rule in self.grading_rules:
            if rule.matches(potential, intent):
                return rule.grade, rule.explain(potential, intent)
        shown = format_amount(potential) if potential is not None else _("unknown")
        return (
            self.grading_default,
            _("no rule matches (potential {potential}, intent {intent}): {grade}").format(
                potential=shown, intent=intent or _("unknown"), grade=self.grading_default
            ),
        )

    def route(
        self, *, type: str, amount: Decimal, risk: str, non_standard: bool
    ) -> ApprovalRule | None:
        for rule in self.approval_rules:
            if rule.matches(type=type, amount=amount, risk=risk, non_standard=non_standard):
                return rule
        return None
