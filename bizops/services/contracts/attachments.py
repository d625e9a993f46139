"""Archived copies of contract documents, addressed by their SHA-256.

Next to a SQLite database the copy lives in ``<database directory>/attachments/<sha[:2]>/<sha>``
(written to a temporary name and renamed into place, so a half-written copy never carries
the final name; removed again if the transaction fails). PostgreSQL keeps the bytes in
``attachments.content``, inside the same transaction as the row.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlmodel import Session, col

from bizops.domain.errors import Conflict, Invalid
from bizops.domain.roles import LEGAL
from bizops.domain.vocab import ATTACHMENT_KINDS, one_of
from bizops.i18n import N_, _
from bizops.services.contracts.access import require_contract_role
from bizops.services.lookup import find_contract
from bizops.services.views.contracts import AddedAttachment, AttachmentRow, Verification
from bizops.store import audit
from bizops.store.models import Attachment, Contract, User

MAX_BYTES = 100 * 1024 * 1024
CHUNK = 1024 * 1024
_NEW_FILES = "bizops.new_attachment_files"


def storage_dir(session: Session) -> Path | None:
    """Where copies live for a SQLite file database; None when the bytes go in the table."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return None
    database = bind.engine.url.database
    if not database or database == ":memory:":
        return None
    return Path(database).resolve().parent / "attachments"


def _source(path: str | Path) -> Path:
    source = Path(path).expanduser()
    if not source.exists():
        raise Invalid(_("FILE: {path} does not exist").format(path=path))
    if source.is_dir():
        raise Invalid(_("FILE: {path} is a directory; give a file").format(path=path))
    if not os.access(source, os.R_OK):
        raise Invalid(_("FILE: {path} cannot be read (permission denied)").format(path=path))
    size = source.stat().st_size
    if size == 0:
        raise Invalid(_("FILE: {path} is empty").format(path=path))
    if size > MAX_BYTES:
        raise Invalid(
            _("FILE: {path} is {size} bytes; the limit is {limit} bytes (100 MiB)").format(
                path=path, size=size, limit=MAX_BYTES
            )
        )
    return source


def file_sha256(path: str | Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _remove_new_files(session: Session) -> None:
    for path in session.info.pop(_NEW_FILES, []):
        with contextlib.suppress(FileNotFoundError):
            Path(path).unlink()


def _forget_new_files(session: Session) -> None:
    session.info.pop(_NEW_FILES, None)


def _remove_on_rollback(session: Session, path: Path) -> None:
    """If the transaction does not commit, the copy it wrote goes too."""
    if _NEW_FILES not in session.info:
        session.info[_NEW_FILES] = []
        if not event.contains(session, "after_rollback", _remove_new_files):
            event.listen(session, "after_rollback", _remove_new_files)
            event.listen(session, "after_commit", _forget_new_files)
    session.info[_NEW_FILES].append(str(path))


def _store_copy(session: Session, source: Path, root: Path) -> tuple[str, int, str]:
    """Copy ``source`` under ``root`` by its hash; returns (sha256, size, relative path).

    The hash is taken of the bytes copied, so a file changing meanwhile cannot be stored
    under another file's name.
    """
    root.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=root)
    try:
        with os.fdopen(fd, "wb") as out, open(source, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        relative = f"{sha[:2]}/{sha}"
        target = root / relative
        if target.exists():
            os.unlink(tmp_name)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp_name, target)
            _remove_on_rollback(session, target)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise
    return sha, size, relative


def _row(a: Any) -> AttachmentRow:
    return {
        "id": a.id,
        "kind": a.kind,
        "filename": a.filename,
        "sha256": a.sha256,
        "size": a.size,
        "added_on": a.added_on,
        "added_by": a.added_by,
    }


def attach_file(
    session: Session,
    *,
    actor: User,
    ref: str | int,
    path: str | Path,
    kind: str = "other",
    today: date,
) -> AddedAttachment:
    """Store a copy of ``path`` with its SHA-256 as an attachment of the contract."""
    contract = find_contract(session, ref)
    require_contract_role(
        session, actor, contract, N_("attach files to contract {number}"), also=(LEGAL,)
    )
    kind_value = one_of(kind, ATTACHMENT_KINDS, "--kind")
    source = _source(path)
    root = storage_dir(session)
    content: bytes | None = None
    stored: str | None = None
    if root is None:
        content = source.read_bytes()
        sha, size = hashlib.sha256(content).hexdigest(), len(content)
    else:
        sha, size, stored = _store_copy(session, source, root)
    existing = session.execute(
        select(col(Attachment.id), col(Attachment.kind)).where(
            col(Attachment.contract_id) == contract.id, col(Attachment.sha256) == sha
        )
    ).first()
    if existing is not None:
        raise Conflict(
            _(
                "{file} is already attached to contract {number} as attachment #{id} ({kind})"
            ).format(file=source.name, number=contract.number, id=existing.id, kind=existing.kind)
        )
    assert contract.id is not None
    attachment = Attachment(
        contract_id=contract.id,
        kind=kind_value,
        filename=source.name[:300],
        sha256=sha,
        size=size,
        stored_path=stored,
        content=content,
        added_on=today,
        added_by=actor.login,
    )
    session.add(attachment)
    session.flush()
    row: AddedAttachment = {**_row(attachment), "contract": contract.number}
    audit.record(
        session,
        actor=actor.login,
        action="attachment.add",
        entity_type="attachment",
        entity_id=attachment.id or 0,
        after=row,
    )
    return row


def list_attachments(session: Session, *, contract: Contract) -> list[AttachmentRow]:
    rows = session.execute(
        select(
            col(Attachment.id),
            col(Attachment.kind),
            col(Attachment.filename),
            col(Attachment.sha256),
            col(Attachment.size),
            col(Attachment.added_on),
            col(Attachment.added_by),
        )
        .where(col(Attachment.contract_id) == contract.id)
        .order_by(col(Attachment.id))
    )
    return [_row(r) for r in rows]


def _copy_state(session: Session, attachment_id: int, sha: str) -> str:
    """``ok`` when the archived copy is still there and unchanged; ``missing`` or ``altered``."""
    stored, content = session.execute(
        select(col(Attachment.stored_path), col(Attachment.content)).where(
            col(Attachment.id) == attachment_id
        )
    ).one()
    if content is not None:
        return "ok" if hashlib.sha256(content).hexdigest() == sha else "altered"
    root = storage_dir(session)
    if stored is None or root is None or not (root / stored).is_file():
        return "missing"
    return "ok" if file_sha256(root / stored)[0] == sha else "altered"


def verify_file(session: Session, *, ref: str | int, path: str | Path) -> Verification:
    """Whether ``path`` is byte for byte one of the contract's archived copies."""
    contract = find_contract(session, ref)
    source = _source(path)
    sha, size = file_sha256(source)
    attachments = list_attachments(session, contract=contract)
    matches = [a for a in attachments if a["sha256"] == sha]
    # Prefer the signed copy when the same bytes were attached more than once.
    matches.sort(key=lambda a: (a["kind"] != "signed", a["id"]))
    match = matches[0] if matches else None
    return {
        "contract": contract.number,
        "file": str(source),
        "sha256": sha,
        "size": size,
        "match": match is not None,
        "attachment": match,
        "copy": _copy_state(session, match["id"], sha) if match else None,
        "archived_copies": len(attachments),
    }
