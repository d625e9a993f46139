"""`customer needs record|show`: needs analysis (需求分析) against a needs framework."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bizops.cli.context import state
from bizops.cli.customers.group import CustomerArg, needs_app
from bizops.cli.output import (
    Col,
    Format,
    FormatOption,
    OutputOption,
    Section,
    emit_object,
    note,
    resolve_format,
    say,
)
from bizops.i18n import N_, _, current_language
from bizops.services.views.needs import NeedsView

ANSWER_COLUMNS = (
    Col("section", N_("Section")),
    Col("question", N_("Question")),
    Col("label", N_("Label")),
    Col("required", N_("Required")),
    Col("answer", N_("Answer")),
)
HISTORY_COLUMNS = (
    Col("id", N_("Id"), justify="right"),
    Col("recorded_on", N_("Recorded on")),
    Col("recorded_by", N_("Recorded by")),
    Col("framework", N_("Framework")),
    Col("complete", N_("Complete")),
    Col("missing", N_("Missing")),
)
SECTIONS = (
    Section("questions", N_("Answers"), ANSWER_COLUMNS),
    Section("history", N_("Earlier answer sets"), HISTORY_COLUMNS),
)


@needs_app.command("record")
def record(
    customer: CustomerArg,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="An answer QUESTION=ANSWER (repeatable).", show_default=False),
    ] = None,
    from_file: Annotated[
        Path | None,
        typer.Option("--from", help="A TOML file of answers (question = answer).", dir_okay=False),
    ] = None,
    framework: Annotated[
        str | None,
        typer.Option(
            "--framework",
            help="Needs framework (default: the customer's last, else needs-general in your "
            "language); see `bizops template list --kind needs`.",
        ),
    ] = None,
) -> None:
    """Record a dated set of needs answers; the first complete set moves a contacted
    customer to needs.

    Example: bizops customer needs record C0001 --set budget=50万 --set budget_status=approved
    """
    from bizops.services.contracts import parse_assignments
    from bizops.services.customers import read_answers_file, record_needs

    values: dict[str, Any] = read_answers_file(from_file) if from_file is not None else {}
    values.update(parse_assignments(set_ or []))
    policy, today = state().policy(), state().today
    with state().write() as (session, actor):
        done = record_needs(
            session,
            actor=actor,
            customer=customer,
            values=values,
            framework=framework,
            language=current_language(),
            policy=policy,
            today=today,
        )
    answered = sum(1 for q in done["set"]["questions"] if q["answer"] is not None)
    say(
        _("Recorded needs of {customer} ({framework}): {answered} of {count} answered.").format(
            customer=done["customer"],
            framework=done["set"]["framework"],
            answered=answered,
            count=len(done["set"]["questions"]),
        )
    )
    if done["set"]["missing"]:
        note(_("Still to ask (required): {names}").format(names=", ".join(done["set"]["missing"])))
    if done["moved_to"]:
        note(
            _("{customer} moved to stage {stage}.").format(
                customer=done["customer"], stage=done["moved_to"]
            )
        )


def _flat(view: NeedsView) -> dict[str, Any]:
    latest = view["latest"]
    out: dict[str, Any] = {
        "customer": view["customer"],
        "customer_name": view["customer_name"],
        "stage": view["stage"],
    }
    if latest is not None:
        out.update(
            framework=latest["framework"],
            recorded_on=latest["recorded_on"],
            recorded_by=latest["recorded_by"],
            complete=latest["complete"],
            missing=", ".join(latest["missing"]),
            questions=latest["questions"],
        )
    out["history"] = [
        {**{c.key: h.get(c.key) for c in HISTORY_COLUMNS}, "missing": ", ".join(h["missing"])}
        for h in view["history"]
    ]
    return out


@needs_app.command("show")
def show(
    customer: CustomerArg,
    history: Annotated[
        bool, typer.Option("--history", help="The older answer sets too, newest first.")
    ] = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Show a customer's latest needs answers (with --history, the earlier sets).

    Example: bizops customer needs show C0001 --history
    """
    from bizops.services.customers import show_needs

    with state().read() as session:
        view = show_needs(session, customer=customer, history=history)
    if resolve_format(fmt, output) is Format.json:
        emit_object(dict(view), fmt=fmt, output=output)
        return
    if view["latest"] is None:
        say(
            _("No needs recorded for {customer} yet; record them with `{command}`.").format(
                customer=view["customer"],
                command=f"bizops customer needs record {view['customer']} --set ...",
            )
        )
        return
    emit_object(
        _flat(view),
        fmt=fmt,
        output=output,
        title=_("Needs of {customer}").format(customer=view["customer"]),
        sections=SECTIONS,
    )
