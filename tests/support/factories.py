"""Records for tests, made through the services the way the commands make them.

Each factory runs in a write transaction of its own on ``db`` and returns what its service
returns, so that a test's data carries the same audit events, counters and open follow-ups as
real data. The one exception is ``pending_contract_row``: a state the services never leave
alone, for the approvals service's own tests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from bizops.domain.policy import Policy
from bizops.services import contracts, customers, followups, quotes, users
from bizops.services.customers import CustomerView
from bizops.services.followups import LogResult
from bizops.store.engine import Database
from bizops.store.models import ApprovalRequest, Contract, User

# --- users ------------------------------------------------------------------------------

# The usual team: login -> (role, display name). root, the admin, comes first.
TEAM: dict[str, tuple[str, str]] = {
    "alice": ("sales", "Alice Chen"),
    "bob": ("sales", "Bob Li"),
    "mia": ("manager", "Mia Wang"),
    "fay": ("finance", "Fay Zhao"),
    "leo": ("legal", "Leo Sun"),
    "gus": ("gm", "Gus Zhou"),
}


def add_user(
    db: Database, login: str, *roles: str, limit: str | None = None, name: str | None = None
) -> User:
    """``login`` with ``roles`` (sales if none), added by root; root is made first if needed."""
    with db.write() as session:
        if users.count_users(session) == 0:
            users.init_admin(session, login="root", name="Root")
        admin = session.execute(select(User).where(User.login == "root")).scalar_one()
        if login != "root":
            users.add_user(
                session,
                actor=admin,
                login=login,
                name=name or login.title(),
                email=f"{login}@example.com",
                roles=list(roles) or ["sales"],
                limit=limit,
            )
        return session.execute(select(User).where(User.login == login)).scalar_one()


def add_users(db: Database, logins: Mapping[str, Sequence[str]]) -> dict[str, User]:
    """root plus one user per login (login -> roles)."""
    made = {"root": add_user(db, "root")}
    for login, roles in logins.items():
        made[login] = add_user(db, login, *roles)
    return made


def add_team(db: Database) -> dict[str, User]:
    """root (admin), alice and bob (sales), mia (manager), fay (finance), leo (legal), gus (gm)."""
    team = {"root": add_user(db, "root")}
    for login, (role, name) in TEAM.items():
        team[login] = add_user(db, login, role, name=name)
    return team


# --- customers and follow-ups -----------------------------------------------------------


def add_customer(
    db: Database,
    *,
    name: str,
    owner: User | str,
    policy: Policy,
    today: date,
    grade: str = "B",
    actor: User | None = None,
    **fields: Any,
) -> CustomerView:
    """A customer through ``customers.add_customer``, added by ``actor`` (the owner if none).

    ``fields`` are the service's other keywords (stage, contacts, allow_duplicate...).
    """
    with db.write() as session:
        login = owner if isinstance(owner, str) else owner.login
        return customers.add_customer(
            session,
            actor=actor or users.find_user(session, login),
            name=name,
            grade=grade,
            owner=login,
            policy=policy,
            today=today,
            **fields,
        )


def log_followup(
    db: Database,
    *,
    actor: User,
    customer: str,
    policy: Policy,
    today: date,
    via: str = "phone",
    summary: str = "通话 / call",
    **details: Any,
) -> LogResult:
    """An interaction with ``customer`` (a code or name) through ``followups.log_followup``."""
    with db.write() as session:
        return followups.log_followup(
            session,
            actor=actor,
            customer=customer,
            via=via,
            summary=summary,
            policy=policy,
            today=today,
            **details,
        )


# --- contracts --------------------------------------------------------------------------

TERMS: dict[str, Any] = {
    "type": "sales",
    "title": "设备采购 Equipment supply",
    "amount": "12万",
    "risk": "low",
    "start": "2026-12-01",
    "end": "2027-11-30",
}


def _code(customer: str | Mapping[str, Any]) -> str:
    return customer if isinstance(customer, str) else str(customer["code"])


def new_contract(
    db: Database,
    *,
    actor: User,
    customer: str | Mapping[str, Any],
    policy: Policy,
    today: date,
    **terms: Any,
) -> dict[str, Any]:
    """A draft through ``contracts.create_contract``: ``TERMS`` with ``terms`` over them."""
    with db.write() as session:
        return dict(
            contracts.create_contract(
                session,
                actor=actor,
                customer=_code(customer),
                policy=policy,
                today=today,
                **(TERMS | terms),
            )
        )


def submit_contract(db: Database, *, actor: User, number: str, policy: Policy, today: date) -> int:
    """Submit the draft ``number`` for approval; returns the id of the request it opened."""
    with db.write() as session:
        submitted = contracts.submit_contract(
            session, actor=actor, ref=number, policy=policy, today=today
        )
        return int(submitted["request"])


def submitted_contract(
    db: Database,
    *,
    actor: User,
    customer: str | Mapping[str, Any],
    policy: Policy,
    today: date,
    **terms: Any,
) -> tuple[str, int]:
    """A new contract submitted for approval: its number and its request's id."""
    number = new_contract(db, actor=actor, customer=customer, policy=policy, today=today, **terms)[
        "number"
    ]
    return number, submit_contract(db, actor=actor, number=number, policy=policy, today=today)


def request_of(db: Database, number: str) -> int | None:
    """The id of the newest approval request of contract ``number``."""
    with db.read() as session:
        return (
            session.execute(
                select(ApprovalRequest.id)
                .join(Contract, Contract.id == ApprovalRequest.contract_id)
                .where(Contract.number == number)
                .order_by(ApprovalRequest.id.desc())  # type: ignore[union-attr]
            )
            .scalars()
            .first()
        )


def approve(
    db: Database, *, actor: User, request: int | str, policy: Policy, today: date
) -> dict[str, Any]:
    """One approval by ``actor`` through the contracts use case (which applies the outcome)."""
    with db.write() as session:
        return dict(
            contracts.approve_request(session, actor=actor, ref=request, policy=policy, today=today)
        )


def approve_all(
    db: Database, number: str, approvers: Mapping[str, User], policy: Policy, today: date
) -> None:
    """Walk the open request of ``number`` through its chain with the given users by role."""
    with db.read() as session:
        request_id, chain = session.execute(
            select(ApprovalRequest.id, ApprovalRequest.chain)
            .join(Contract, Contract.id == ApprovalRequest.contract_id)
            .where(Contract.number == number, ApprovalRequest.status == "pending")
        ).one()
    for role in chain:
        approve(db, actor=approvers[role], request=request_id, policy=policy, today=today)


def sign_contract(
    db: Database,
    *,
    actor: User,
    number: str,
    policy: Policy,
    today: date,
    on: str | date | None = None,
    signatory: str = "Li Lei",
) -> dict[str, Any]:
    with db.write() as session:
        return dict(
            contracts.sign_contract(
                session,
                actor=actor,
                ref=number,
                on=today if on is None else on,
                signatory=signatory,
                policy=policy,
                today=today,
            )
        )


def approved_contract(
    db: Database,
    *,
    actor: User,
    customer: str | Mapping[str, Any],
    approvers: Mapping[str, User],
    policy: Policy,
    today: date,
    **terms: Any,
) -> str:
    """A new contract submitted and approved by ``approvers`` (role -> user); its number."""
    number, _ = submitted_contract(
        db, actor=actor, customer=customer, policy=policy, today=today, **terms
    )
    approve_all(db, number, approvers, policy, today)
    return number


def signed_contract(
    db: Database,
    *,
    actor: User,
    customer: str | Mapping[str, Any],
    approvers: Mapping[str, User],
    policy: Policy,
    today: date,
    **terms: Any,
) -> str:
    """A new contract approved by ``approvers`` and signed today; its number."""
    number = approved_contract(
        db,
        actor=actor,
        customer=customer,
        approvers=approvers,
        policy=policy,
        today=today,
        **terms,
    )
    sign_contract(db, actor=actor, number=number, policy=policy, today=today)
    return number


def pending_contract_row(
    db: Database,
    *,
    owner: User,
    policy: Policy,
    today: date,
    amount: str = "50000",
    risk: str = "low",
    type: str = "sales",
    non_standard: bool = False,
    number: str | None = None,
    customer_name: str = "华东机械有限公司",
) -> Contract:
    """A contract row in pending_approval with no request yet, its customer made by the service.

    Only for testing the approvals service alone: the test opens the request itself, on
    terms (standard or not, any number) that drafting would not give it so directly.
    """
    customer = add_customer(
        db, name=customer_name, owner=owner, policy=policy, today=today, allow_duplicate=True
    )
    with db.write() as session:
        seq = session.execute(select(func.count()).select_from(Contract)).scalar_one() + 1
        contract = Contract(
            number=number or f"HT-2026-{seq:04d}",
            title="设备采购 Equipment supply",
            customer_id=customer["id"],
            owner_id=owner.id,
            type=type,
            amount=Decimal(amount),
            currency="CNY",
            risk=risk,
            status="pending_approval",
            start=today,
            end=today + timedelta(days=365),
            non_standard=non_standard,
            created_on=today,
            created_at=datetime.now(UTC),
        )
        session.add(contract)
        session.flush()
        return contract


# --- products and quotes ----------------------------------------------------------------


def add_product(
    db: Database,
    *,
    actor: User,
    code: str,
    policy: Policy,
    today: date,
    price: str = "100.00",
    floor_price: str | None = None,
    tax_rate: str = "13",
    **fields: Any,
) -> dict[str, Any]:
    """A product through ``quotes.add_product`` (``actor`` keeps the price list)."""
    with db.write() as session:
        return dict(
            quotes.add_product(
                session,
                actor=actor,
                code=code,
                name=fields.pop("name", f"Product {code}"),
                unit=fields.pop("unit", "台"),
                price=price,
                floor_price=floor_price,
                tax_rate=tax_rate,
                policy=policy,
                today=today,
                **fields,
            )
        )


def new_quote(
    db: Database,
    *,
    actor: User,
    customer: str | Mapping[str, Any],
    policy: Policy,
    today: date,
    lines: Sequence[Mapping[str, Any]] = (),
    **fields: Any,
) -> dict[str, Any]:
    """A draft quote with ``lines`` (each the keywords of ``quotes.add_line``)."""
    with db.write() as session:
        view = quotes.new_quote(
            session, actor=actor, customer=_code(customer), policy=policy, today=today, **fields
        )
        for line in lines:
            view = quotes.add_line(
                session, actor=actor, ref=view["number"], policy=policy, today=today, **line
            )
        return dict(view)


def quote_move(
    db: Database, move: str, *, actor: User, number: str, policy: Policy, today: date, **kw: Any
) -> dict[str, Any]:
    """``quotes.<move>_quote`` (submit, send, accept, reject) on ``number``."""
    with db.write() as session:
        service = getattr(quotes, f"{move}_quote")
        return dict(service(session, actor=actor, ref=number, policy=policy, today=today, **kw))
