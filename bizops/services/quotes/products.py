"""Products and their prices: add, update, archive, list, show, import.

The floor price (最低限价) is the lowest unit price a quote may give without the gm's
approval. Only managers, the gm and finance see it: for others it is left out of every
listing and view, and the listings declare two shapes (``ProductRow`` and
``ProductRowWithFloor``) so that the JSON keys and CSV header say which one a user got.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.domain.errors import Conflict, Invalid, NotFound, NotPermitted
from bizops.domain.policy import Policy
from bizops.domain.quotes import parse_price, parse_tax_rate
from bizops.domain.roles import ADMIN, FINANCE, GM, MANAGER
from bizops.domain.validate import check_text
from bizops.i18n import _
from bizops.services.customers.import_files import Columns, ColumnSpec, read_table
from bizops.services.views.quotes import ProductRow, ProductRowWithFloor
from bizops.store import audit
from bizops.store.models import Product, User

# Who sees floor prices, and who keeps the price list.
FLOOR_ROLES: tuple[str, ...] = (MANAGER, GM, FINANCE)
PRICE_ROLES: tuple[str, ...] = (MANAGER, FINANCE, ADMIN)

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,39}$")

PRODUCT_COLUMNS = ColumnSpec(
    aliases={
        "code": ("code", "编码", "产品编码", "物料编码"),
        "name": ("name", "名称", "产品名称"),
        "spec": ("spec", "规格", "规格型号", "型号"),
        "unit": ("unit", "单位"),
        "price": ("price", "单价", "价格", "标准价"),
        "floor_price": ("floor_price", "最低限价", "底价"),
        "tax_rate": ("tax_rate", "税率"),
        "currency": ("currency", "币种"),
    },
    required=("code", "name", "unit", "price", "tax_rate"),
)


def sees_floor(actor: User | None) -> bool:
    return actor is not None and any(actor.has_role(r) for r in FLOOR_ROLES)


def _require_price_keeper(actor: User) -> None:
    if not any(actor.has_role(r) for r in PRICE_ROLES):
        raise NotPermitted(
            _(
                "only manager, finance or admin users keep the price list; {login} is {roles}"
            ).format(login=actor.login, roles=", ".join(actor.role_list))
        )


def check_code(code: str) -> str:
    text = (code or "").strip().upper()
    if not _CODE.match(text):
        raise Invalid(
            _(
                "product code {code!r}: use letters, digits, '.', '_' or '-' "
                "(at most 40, e.g. P-100)"
            ).format(code=code)
        )
    return text


def _currency(text: str | None, policy: Policy) -> str:
    code = (text or policy.currency).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise Invalid(
            _("--currency: {code!r} is not a three-letter currency code").format(code=code)
        )
    return code


def product_row(product: Product, actor: User | None) -> ProductRow | ProductRowWithFloor:
    row: ProductRow = {
        "code": product.code,
        "name": product.name,
        "spec": product.spec,
        "unit": product.unit,
        "price": product.price,
        "tax_rate": product.tax_rate,
        "currency": product.currency,
        "archived": product.archived_on is not None,
    }
    if sees_floor(actor):
        return {**row, "floor_price": product.floor_price}
    return row


def find_product(session: Session, ref: str, *, field: str = "product") -> Product:
    text = (ref or "").strip().upper()
    found = session.execute(select(Product).where(col(Product.code) == text)).scalar_one_or_none()
    if found is None:
        raise NotFound(
            _("{field}: no product {code}; see `bizops product list`").format(field=field, code=ref)
        )
    return found


@dataclass(frozen=True)
class Prices:
    price: Decimal
    floor_price: Decimal | None
    tax_rate: Decimal


def _prices(price: Any, floor_price: Any, tax_rate: Any) -> Prices:
    value = parse_price(price, field="--price")
    floor = (
        parse_price(floor_price, field="--floor-price") if floor_price not in (None, "") else None
    )
    if floor is not None and floor > value:
        raise Invalid(
            _("--floor-price: {floor} is above the list price {price}").format(
                floor=floor, price=value
            )
        )
    return Prices(value, floor, parse_tax_rate(tax_rate))


def _snapshot(product: Product) -> dict[str, Any]:
    return {
        "code": product.code,
        "name": product.name,
        "spec": product.spec,
        "unit": product.unit,
        "price": product.price,
        "floor_price": product.floor_price,
        "tax_rate": product.tax_rate,
        "currency": product.currency,
        "archived_on": product.archived_on,
    }


def add_product(
    session: Session,
    *,
    actor: User,
    code: str,
    name: str,
    unit: str,
    price: str | Decimal,
    tax_rate: str | Decimal,
    policy: Policy,
    today: date,
    spec: str | None = None,
    floor_price: str | Decimal | None = None,
    currency: str | None = None,
) -> ProductRow | ProductRowWithFloor:
    """`product add`: a product with its list price, floor price and VAT rate."""
    _require_price_keeper(actor)
    code = check_code(code)
    if session.execute(select(col(Product.id)).where(col(Product.code) == code)).first():
        raise Conflict(_("product {code} already exists").format(code=code))
    prices = _prices(price, floor_price, tax_rate)
    product = Product(
        code=code,
        name=check_text(name, "--name", required=True, max_length=200) or "",
        spec=check_text(spec, "--spec", max_length=300),
        unit=check_text(unit, "--unit", required=True, max_length=20) or "",
        price=prices.price,
        floor_price=prices.floor_price,
        tax_rate=prices.tax_rate,
        currency=_currency(currency, policy),
        created_on=today,
    )
    session.add(product)
    session.flush()
    audit.record(
        session,
        actor=actor.login,
        action="product.add",
        entity_type="product",
        entity_id=code,
        after=_snapshot(product),
    )
    return product_row(product, actor)


def update_product(
    session: Session,
    *,
    actor: User,
    ref: str,
    name: str | None = None,
    spec: str | None = None,
    unit: str | None = None,
    price: str | Decimal | None = None,
    floor_price: str | Decimal | None = None,
    tax_rate: str | Decimal | None = None,
) -> ProductRow | ProductRowWithFloor:
    """`product update`: change what is given. Quotes already made keep their prices."""
    _require_price_keeper(actor)
    product = find_product(session, ref)
    before = _snapshot(product)
    prices = _prices(
        product.price if price is None else price,
        product.floor_price if floor_price is None else floor_price,
        product.tax_rate if tax_rate is None else tax_rate,
    )
    product.price, product.floor_price, product.tax_rate = (
        prices.price,
        prices.floor_price,
        prices.tax_rate,
    )
    if name is not None:
        product.name = check_text(name, "--name", required=True, max_length=200) or product.name
    if spec is not None:
        product.spec = check_text(spec, "--spec", max_length=300)
    if unit is not None:
        product.unit = check_text(unit, "--unit", required=True, max_length=20) or product.unit
    session.add(product)
    session.flush()
    audit.record(
        session,
        actor=actor.login,
        action="product.update",
        entity_type="product",
        entity_id=product.code,
        before=before,
        after=_snapshot(product),
    )
    return product_row(product, actor)


def archive_product(
    session: Session, *, actor: User, ref: str, today: date
) -> ProductRow | ProductRowWithFloor:
    """`product archive`: no new quote lines for it; quotes that have it keep it."""
    _require_price_keeper(actor)
    product = find_product(session, ref)
    if product.archived_on is not None:
        raise Conflict(
            _("product {code} is already archived (since {day})").format(
                code=product.code, day=product.archived_on
            )
        )
    before = _snapshot(product)
    product.archived_on = today
    session.add(product)
    session.flush()
    audit.record(
        session,
        actor=actor.login,
        action="product.archive",
        entity_type="product",
        entity_id=product.code,
        before=before,
        after=_snapshot(product),
    )
    return product_row(product, actor)


def list_products(
    session: Session, *, actor: User | None, archived: bool = False
) -> list[ProductRow | ProductRowWithFloor]:
    """`product list`: by code; archived ones only with ``archived``."""
    query = select(Product).order_by(col(Product.code))
    if not archived:
        query = query.where(col(Product.archived_on).is_(None))
    return [product_row(p, actor) for p in session.execute(query).scalars()]


def show_product(
    session: Session, *, actor: User | None, ref: str
) -> ProductRow | ProductRowWithFloor:
    return product_row(find_product(session, ref), actor)


@dataclass(frozen=True)
class ProductImport:
    added: int
    updated: int


def import_products(
    session: Session, *, actor: User, path: Path, policy: Policy, today: date
) -> ProductImport:
    """`product import`: CSV, .xlsx or JSON with the columns of ``PRODUCT_COLUMNS`` (English
    or Chinese headers, as `customer import` reads them). A known code updates the product;
    a new one adds it. Every row goes through `product add` / `product update`; the first bad
    row stops the import and nothing is kept."""
    _require_price_keeper(actor)
    if not path.is_file():
        raise Invalid(_("{file}: no such file").format(file=path))
    table = read_table(path, columns=Columns(spec=PRODUCT_COLUMNS))
    added = updated = 0
    for raw in table.rows:
        # A CSV file is read as it goes: a row wider than the header is noted as it is read.
        if table.problems:
            bad, reason = table.problems[0]
            raise Invalid(f"{path.name}: {bad.where}: {reason}")
        v = raw.values
        try:
            existing = session.execute(
                select(col(Product.id)).where(col(Product.code) == check_code(v.get("code", "")))
            ).first()
            if existing:
                update_product(
                    session,
                    actor=actor,
                    ref=v["code"],
                    name=v.get("name") or None,
                    spec=v.get("spec") or None,
                    unit=v.get("unit") or None,
                    price=v.get("price") or None,
                    floor_price=v.get("floor_price") or None,
                    tax_rate=v.get("tax_rate") or None,
                )
                updated += 1
            else:
                add_product(
                    session,
                    actor=actor,
                    code=v.get("code", ""),
                    name=v.get("name", ""),
                    spec=v.get("spec") or None,
                    unit=v.get("unit", ""),
                    price=v.get("price", ""),
                    floor_price=v.get("floor_price") or None,
                    tax_rate=v.get("tax_rate", ""),
                    currency=v.get("currency") or None,
                    policy=policy,
                    today=today,
                )
                added += 1
        except (Invalid, Conflict) as exc:
            raise Invalid(f"{path.name}: {raw.where}: {exc.message}") from None
    if table.problems:
        bad, reason = table.problems[0]
        raise Invalid(f"{path.name}: {bad.where}: {reason}")
    return ProductImport(added=added, updated=updated)
