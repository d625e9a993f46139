"""Needs analysis (需求分析): a customer's dated answer sets to a needs framework.

`customer needs record` checks the answers against the framework's questions as contract
fields are checked (types, choices, bounds; every problem at once) and records a new dated
set: the answers of the customer's latest set to the same framework, with the new ones over
them (an empty value clears an answer). The first complete set (every required question
answered) moves a ``contacted`` customer to ``needs``, with that as the recorded cause.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from bizops.documents.fields import check_values
from bizops.documents.needs import NeedsFramework, builtin_frameworks, find_framework
from bizops.domain.errors import Invalid, NotFound
from bizops.domain.policy import Policy
from bizops.i18n import _
from bizops.services.customers.permissions import require_active, require_may_change
from bizops.services.customers.profile import now, record
from bizops.services.customers.stages import apply_needs_stage
from bizops.services.lookup import find_customer
from bizops.services.views.needs import NeedsAnswerRow, NeedsRecorded, NeedsSet, NeedsView
from bizops.store.models import Customer, NeedsRecord, User

__all__ = ["read_answers_file", "record_needs", "show_needs"]

DEFAULT_INDUSTRY = "general"
MAX_FILE_BYTES = 256 * 1024


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value if isinstance(value, str) else str(value)


def read_answers_file(path: Path) -> dict[str, Any]:
    """Answers from a TOML file: ``question = value`` lines, at the top or in one table per
    section (``[budget]``)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise Invalid(
                _("--from: {path} is larger than {size} KB").format(
                    path=path, size=MAX_FILE_BYTES // 1024
                )
            )
        data = tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except FileNotFoundError:
        raise NotFound(_("--from: file {path} does not exist").format(path=path)) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise Invalid(
            _("--from: {path} is not a TOML file: {error}").format(path=path, error=exc)
        ) from None
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update({str(k): _plain(v) for k, v in value.items()})
        else:
            out[str(key)] = _plain(value)
    return out


def _latest(session: Session, customer_id: int, framework: str | None) -> NeedsRecord | None:
    query = select(NeedsRecord).where(col(NeedsRecord.customer_id) == customer_id)
    if framework is not None:
        query = query.where(col(NeedsRecord.framework) == framework)
    return session.execute(query.order_by(col(NeedsRecord.id).desc()).limit(1)).scalar_one_or_none()


def _framework_for(
    session: Session, customer: Customer, name: str | None, language: str
) -> NeedsFramework:
    if name:
        return find_framework(name)
    assert customer.id is not None
    previous = _latest(session, customer.id, None)
    if previous is not None and previous.framework in builtin_frameworks():
        return find_framework(previous.framework)
    return find_framework(f"needs-{DEFAULT_INDUSTRY}-{'en' if language == 'en' else 'zh'}")


def _checked(framework: NeedsFramework, merged: dict[str, Any], today: date) -> dict[str, Any]:
    checked = check_values(framework.questions, merged, today)
    problems = list(checked.problems)
    if checked.unknown:
        problems.insert(
            0,
            _("{names}: not a question of {framework}; its questions: {known}").format(
                names=", ".join(sorted(checked.unknown)),
                framework=framework.name,
                known=", ".join(q.name for q in framework.questions),
            ),
        )
    if problems:
        raise Invalid(
            _("needs: {count} answer(s) do not fit framework {framework}").format(
                count=len(problems), framework=framework.name
            ),
            details=problems,
        )
    return checked.values


def _set_view(row: NeedsRecord) -> NeedsSet:
    assert row.id is not None
    frameworks = builtin_frameworks()
    framework = frameworks.get(row.framework)
    answers = dict(row.answers or {})
    questions: list[NeedsAnswerRow] = []
    if framework is not None:
        questions = [
            {
                "section": section.title,
                "question": q.name,
                "label": q.label,
                "required": q.required,
                "answer": answers.get(q.name),
            }
            for section in framework.sections
            for q in section.questions
        ]
    missing = [q["question"] for q in questions if q["required"] and q["answer"] is None]
    return {
        "id": row.id,
        "framework": row.framework,
        "version": row.framework_version,
        "recorded_on": row.recorded_on,
        "recorded_by": row.recorded_by,
        "complete": row.complete,
        "missing": missing,
        "answers": answers,
        "questions": questions,
    }


def record_needs(
    session: Session,
    *,
    actor: User,
    customer: str | int,
    values: dict[str, Any],
    framework: str | None = None,
    language: str = "zh",
    policy: Policy,
    today: date,
) -> NeedsRecorded:
    """Record a dated answer set for ``customer`` (see the module's description).

    ``framework``: a needs framework's name; default the customer's last one, else the
    general framework in ``language``. Nothing to record, an answer that does not fit its
    question, or a name that is no question of the framework is ``Invalid``.
    """
    found = find_customer(session, customer)
    require_may_change(session, actor, found)
    require_active(found)
    assert found.id is not None
    if not values:
        raise Invalid(_("needs: nothing to record; give --set QUESTION=ANSWER or --from FILE"))
    chosen = _framework_for(session, found, framework, language)
    previous = _latest(session, found.id, chosen.name)
    merged: dict[str, Any] = dict(previous.answers) if previous is not None else {}
    merged.update(values)
    answers = _checked(chosen, merged, today)
    complete = all(answers.get(name) is not None for name in chosen.required)
    first_complete = complete and not _has_complete(session, found.id)
    row = NeedsRecord(
        customer_id=found.id,
        framework=chosen.name,
        framework_version=chosen.version,
        answers=answers,
        complete=complete,
        recorded_on=today,
        recorded_at=now(),
        recorded_by=actor.login,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "customer.needs",
        found,
        before={"answers": previous.answers} if previous is not None else None,
        after={"framework": chosen.name, "answers": answers, "complete": complete},
    )
    moved = None
    if first_complete and found.stage == "contacted":
        apply_needs_stage(
            session,
            actor=actor,
            customer=found,
            reason=f"needs analysis recorded ({chosen.name})",
            policy=policy,
            today=today,
        )
        moved = found.stage
    return {"customer": found.code, "set": _set_view(row), "moved_to": moved}


def _has_complete(session: Session, customer_id: int) -> bool:
    return (
        session.execute(
            select(col(NeedsRecord.id))
            .where(col(NeedsRecord.customer_id) == customer_id, col(NeedsRecord.complete))
            .limit(1)
        ).first()
        is not None
    )


def show_needs(session: Session, *, customer: str | int, history: bool = False) -> NeedsView:
    """The customer's latest answer set (None if none yet); ``history``: the older ones too,
    newest first."""
    found = find_customer(session, customer)
    assert found.id is not None
    rows = list(
        session.execute(
            select(NeedsRecord)
            .where(col(NeedsRecord.customer_id) == found.id)
            .order_by(col(NeedsRecord.id).desc())
        ).scalars()
    )
    sets = [_set_view(r) for r in (rows if history else rows[:1])]
    return {
        "customer": found.code,
        "customer_name": found.name,
        "stage": found.stage,
        "latest": sets[0] if sets else None,
        "history": sets[1:],
    }
