"""bizops product: the price list that quotations draw on."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bizops.cli.context import state
from bizops.cli.output import (
    Col,
    ColumnsOption,
    FormatOption,
    HeadersOption,
    LimitOption,
    Listing,
    OffsetOption,
    OutputOption,
    WideOption,
    emit_object,
    emit_rows,
    say,
)
from bizops.i18n import N_, _
from bizops.services.views.quotes import ProductRow, ProductRowWithFloor

app = typer.Typer(
    help="Products and their prices: list price, floor price (最低限价) and VAT rate.",
    no_args_is_help=True,
)

_COLUMNS = (
    Col("code", N_("Code")),
    Col("name", N_("Name"), meaning=N_("Product name")),
    Col("spec", N_("Spec")),
    Col("unit", N_("Unit")),
    Col("price", N_("Price"), justify="right"),
    Col("tax_rate", N_("Tax %"), justify="right"),
    Col("currency", N_("Currency")),
)
PRODUCTS = Listing(name="product_list", fields=ProductRow, columns=_COLUMNS)
PRODUCTS_WITH_FLOOR = Listing(
    name="product_list_with_floor",
    fields=ProductRowWithFloor,
    columns=(*_COLUMNS[:5], Col("floor_price", N_("Floor price"), justify="right"), *_COLUMNS[5:]),
)

CodeArg = Annotated[str, typer.Argument(help="Product code, e.g. P-100.")]


@app.command("add")
def add(
    code: CodeArg,
    name: Annotated[str, typer.Option("--name", help="Product name.")],
    unit: Annotated[str, typer.Option("--unit", help="Unit of sale, e.g. 台, 套, 个.")],
    price: Annotated[str, typer.Option("--price", help="List unit price, excluding tax.")],
    tax_rate: Annotated[str, typer.Option("--tax-rate", help="VAT rate in percent, e.g. 13%.")],
    spec: Annotated[str | None, typer.Option("--spec", help="Specification / model.")] = None,
    floor_price: Annotated[
        str | None,
        typer.Option("--floor-price", help="Lowest unit price without the gm's approval."),
    ] = None,
    currency: Annotated[
        str | None, typer.Option("--currency", help="Currency code (default from the policy).")
    ] = None,
) -> None:
    """Add a product to the price list (managers, finance and admins).

    Example: bizops product add P-100 --name "数控机床" --spec CK6140 --unit 台 --price 120000 --floor-price 100000 --tax-rate 13%
    """
    from bizops.services.quotes import add_product

    st = state()
    with st.write() as (session, actor):
        row = add_product(
            session,
            actor=actor,
            code=code,
            name=name,
            spec=spec,
            unit=unit,
            price=price,
            floor_price=floor_price,
            tax_rate=tax_rate,
            currency=currency,
            policy=st.policy(),
            today=st.today,
        )
    say(_("Added product {code} {name}.").format(code=row["code"], name=row["name"]))


@app.command("update")
def update(
    code: CodeArg,
    name: Annotated[str | None, typer.Option("--name")] = None,
    spec: Annotated[str | None, typer.Option("--spec")] = None,
    unit: Annotated[str | None, typer.Option("--unit")] = None,
    price: Annotated[str | None, typer.Option("--price")] = None,
    floor_price: Annotated[str | None, typer.Option("--floor-price")] = None,
    tax_rate: Annotated[str | None, typer.Option("--tax-rate")] = None,
) -> None:
    """Change a product; quotes already made keep the prices they were given.

    Example: bizops product update P-100 --price 118000
    """
    from bizops.services.quotes import update_product

    with state().write() as (session, actor):
        row = update_product(
            session,
            actor=actor,
            ref=code,
            name=name,
            spec=spec,
            unit=unit,
            price=price,
            floor_price=floor_price,
            tax_rate=tax_rate,
        )
    say(_("Updated product {code}.").format(code=row["code"]))


@app.command("archive")
def archive(code: CodeArg) -> None:
    """Archive a product: no new quote lines for it.

    Example: bizops product archive P-100
    """
    from bizops.services.quotes import archive_product

    st = state()
    with st.write() as (session, actor):
        row = archive_product(session, actor=actor, ref=code, today=st.today)
    say(_("Archived product {code}.").format(code=row["code"]))


@app.command("list")
def list_(
    archived: Annotated[
        bool, typer.Option("--archived", help="Include archived products.")
    ] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    columns: ColumnsOption = None,
    wide: WideOption = False,
    headers: HeadersOption = None,
) -> None:
    """List the price list; managers and finance also see floor prices.

    Example: bizops product list --format json
    """
    from bizops.services.quotes import list_products, sees_floor

    st = state()
    with st.read() as session:
        actor = st.actor(session)
        rows = list_products(session, actor=actor, archived=archived)
        listing = PRODUCTS_WITH_FLOOR if sees_floor(actor) else PRODUCTS
    emit_rows(
        rows,
        listing,
        fmt=fmt,
        output=output,
        limit=limit,
        offset=offset,
        title=_("Products"),
        empty=_("No products yet; add one with `bizops product add`."),
        headers=headers,
    )


@app.command("show")
def show(code: CodeArg, fmt: FormatOption = None, output: OutputOption = None) -> None:
    """Show a product.

    Example: bizops product show P-100
    """
    from bizops.services.quotes import show_product

    st = state()
    with st.read() as session:
        row = show_product(session, actor=st.actor(session), ref=code)
    emit_object(
        dict(row), fmt=fmt, output=output, title=_("Product {code}").format(code=row["code"])
    )


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV, .xlsx or JSON file.")],
) -> None:
    """Add or update products from a file; English or Chinese headers (编码, 名称, 规格,
    单位, 单价, 最低限价, 税率, 币种). A bad row stops the import and nothing is kept.

    Example: bizops product import 价目表.xlsx
    """
    from bizops.services.quotes import import_products

    st = state()
    with st.write() as (session, actor):
        done = import_products(session, actor=actor, path=file, policy=st.policy(), today=st.today)
    say(
        _("Imported {file}: {added} added, {updated} updated.").format(
            file=file.name, added=done.added, updated=done.updated
        )
    )
