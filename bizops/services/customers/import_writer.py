"""The bulk writer of `customer import`: the rows of the shared row builder
(``bizops.domain.customer_rows``), written with the driver's executemany in the caller's
transaction, fast enough for 100,000 customers.

Writes are serialised, so the next codes and ids are ours: they are read once and the counter
set at the end. Chunk by chunk, the customers, contacts, tags, stage history and first
follow-ups are written with executemany (on PostgreSQL by a writer thread, while the caller's
thread checks and builds the next chunk). The columns written are the fields of the builder's
row types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

from sqlalchemy import Boolean, Date, DateTime, TypeDecorator, func, select
from sqlmodel import Session

from bizops.domain.customer_fields import NewCustomer
from bizops.domain.customer_rows import (
    ContactRow,
    CustomerRow,
    CustomerRowBuilder,
    CustomerRows,
    FollowUpRow,
    StageRow,
)
from bizops.domain.errors import BizopsError
from bizops.i18n import _
from bizops.store.counters import current_value, set_value
from bizops.store.models import Contact, Customer, CustomerTag, FollowUp, StageChange

__all__ = ["BATCH", "Inserted", "insert_customers", "large_cache"]

BATCH = 5000
# Statements waiting for the writer thread: four of the five tables' chunks. Unbounded, the
# queue held most of a 100,000-row import at once (the checker outruns the database).
QUEUED = 4
# The fewest rows an import must expect for its indexes to be built after its rows.
INDEX_LATER_ROWS = 5000
# SQLite page cache during an import, in KiB (the default is 2 MB).
CACHE_KIB = 8192


class Inserted(NamedTuple):
    written: int
    first_code: str | None
    last_code: str | None


def insert_customers(
    session: Session,
    rows: Iterable[NewCustomer],
    *,
    builder: CustomerRowBuilder,
    code_pattern: str,
    rejected: Callable[[], bool],
    expected: int = 0,
) -> Inserted:
    """Insert the customers as the checked rows arrive. ``rejected()``, asked once the rows
    are consumed, says that the whole import will be rolled back: then the last chunk and the
    counters are left alone. ``expected``, the rows the file is thought to hold, decides
    whether the indexes are built after the rows (``_IndexesLater``). Returns how many were
    written and their first and last codes."""
    conn = session.connection()
    first_seq = current_value(session, "customer", for_update=True) + 1
    ct = Customer.__table__  # type: ignore[attr-defined]
    first_id = int(session.execute(select(func.coalesce(func.max(ct.c.id), 0))).scalar_one()) + 1
    chunks = _Chunks(conn)
    count = 0
    later = expected >= max(2 * (first_id - 1), INDEX_LATER_ROWS)
    with _IndexesLater(conn, later) as indexes, _Writer(conn) as writer:
        for new in rows:
            built = builder.build(new, code=code_pattern.format(seq=first_seq + count))
            chunks.add(first_id + count, built)
            count += 1
            if len(chunks.customers) >= BATCH:
                indexes.before_writing()
                chunks.send(writer)
        if rejected():
            return Inserted(0, None, None)
        if chunks.customers:
            indexes.before_writing()
        chunks.send(writer)
    if not count:
        return Inserted(0, None, None)
    set_value(session, "customer", first_seq + count - 1)
    if conn.dialect.name == "postgresql":
        # The ids were given explicitly: move the sequence past them.
        conn.exec_driver_sql(
            "SELECT setval(pg_get_serial_sequence('customers', 'id'), "
            "(SELECT max(id) FROM customers))"
        )
    return Inserted(
        count,
        code_pattern.format(seq=first_seq),
        code_pattern.format(seq=first_seq + count - 1),
    )


# The tables an import writes, in the order their rows are written.
_WRITTEN = (Customer, Contact, CustomerTag, StageChange, FollowUp)


class _Chunks:
    """The rows of the next executemany of each table: appended as tuples while rows are
    built, put in the driver's form a chunk at a time (``_Statement.prepare``)."""

    def __init__(self, conn: Any) -> None:
        self.statements = (
            _Statement(conn, Customer, ("id", *CustomerRow._fields)),
            _Statement(conn, Contact, ("customer_id", *ContactRow._fields)),
            _Statement(conn, CustomerTag, ("customer_id", "tag")),
            _Statement(conn, StageChange, ("customer_id", *StageRow._fields)),
            _Statement(conn, FollowUp, ("customer_id", *FollowUpRow._fields)),
        )
        self.start()

    def start(self) -> None:
        """New lists for the next chunk (the writer thread still holds the last ones)."""
        self.customers: list[tuple[Any, ...]] = []
        self.contacts: list[tuple[Any, ...]] = []
        self.tags: list[tuple[Any, ...]] = []
        self.stages: list[tuple[Any, ...]] = []
        self.followups: list[tuple[Any, ...]] = []

    def add(self, customer_id: int, built: CustomerRows) -> None:
        customer, contacts, tags, stage, followup = built
        self.customers.append((customer_id, *customer))
        for contact in contacts:
            self.contacts.append((customer_id, *contact))
        for tag in tags:
            self.tags.append((customer_id, tag))
        self.stages.append((customer_id, *stage))
        if followup is not None:
            self.followups.append((customer_id, *followup))

    def send(self, writer: _Writer) -> None:
        pending = (self.customers, self.contacts, self.tags, self.stages, self.followups)
        for statement, rows in zip(self.statements, pending, strict=True):
            writer.put(*statement.prepare(rows))
        self.start()


class _Memo(dict[Any, Any]):
    """A column's bind processing, computed once per distinct value."""

    def __init__(self, process: Callable[[Any], Any]) -> None:
        super().__init__()
        self.process = process

    def __missing__(self, value: Any) -> Any:
        converted = self[value] = self.process(value)
        return converted


class _Statement:
    """An INSERT for the driver's executemany, without SQLAlchemy's per-row statement work.

    ``prepare`` puts a chunk of rows in the driver's form, column by column: each column's own
    bind processing (money to cents, dates for SQLite), as SQLAlchemy would apply it. A column
    that is NULL in every row of the chunk and has no default is left out of the statement:
    the database writes NULL all the same, and the driver does not bind a value per row."""

    def __init__(self, conn: Any, model: Any, keys: Sequence[str]) -> None:
        table = model.__table__
        dialect = conn.dialect
        self.mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self.quote = dialect.identifier_preparer.quote
        self.table = self.quote(table.name)
        self.keys = tuple(keys)
        self.converters: list[tuple[int, Callable[[Any], Any]]] = []
        self.optional: set[int] = set()
        for i, key in enumerate(keys):
            column = table.c[key]
            if column.nullable and column.default is None and column.server_default is None:
                self.optional.add(i)
            process = column.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                # Dates repeat (the import's day and moment, due dates): convert each once.
                kind = column.type
                base = kind.impl_instance if isinstance(kind, TypeDecorator) else kind
                repeats = isinstance(base, Date | DateTime | Boolean)
                self.converters.append((i, _Memo(process).__getitem__ if repeats else process))
        self._sql: dict[tuple[int, ...], str] = {}

    def sql(self, kept: tuple[int, ...]) -> str:
        """The INSERT of the columns ``kept`` (their positions in ``keys``)."""
        text = self._sql.get(kept)
        if text is None:
            names = ", ".join(self.quote(self.keys[i]) for i in kept)
            marks = ", ".join([self.mark] * len(kept))
            text = self._sql[kept] = f"INSERT INTO {self.table} ({names}) VALUES ({marks})"
        return text

    def prepare(self, rows: list[tuple[Any, ...]]) -> tuple[str, list[tuple[Any, ...]]]:
        every = tuple(range(len(self.keys)))
        if not rows or not (self.converters or self.optional):
            return self.sql(every), rows
        columns: list[Any] = list(zip(*rows, strict=True))
        for i, convert in self.converters:
            columns[i] = tuple(map(convert, columns[i]))
        count = len(rows)
        kept = tuple(i for i in every if i not in self.optional or columns[i].count(None) != count)
        return self.sql(kept), list(zip(*(columns[i] for i in kept), strict=True))


class _Writer:
    """Runs the import's executemany calls in order. On PostgreSQL, one thread runs them while
    the caller prepares the next chunk: the server does the work in its own process, and
    psycopg lets other Python threads run while it waits. At most ``QUEUED`` chunks wait.
    On SQLite, the caller runs them itself: SQLite works in this process, and sqlite3 binds
    every row's values holding the GIL, so a writer thread saved no time and cost a second of
    CPU in thread switches at 100,000 rows. The caller must not use the connection until the
    block ends."""

    def __init__(self, conn: Any) -> None:
        import queue
        import threading

        self.raw = conn.connection.dbapi_connection
        self.queue: queue.Queue[tuple[str, list[tuple[Any, ...]]] | None] = queue.Queue(QUEUED)
        self.error: BaseException | None = None
        self.thread: threading.Thread | None = None
        self.cursor: Any = None
        if conn.dialect.name == "sqlite":
            self.cursor = self.raw.cursor()
        else:
            self.thread = threading.Thread(
                target=self._run, name="bizops-import-writer", daemon=True
            )

    def __enter__(self) -> _Writer:
        if self.thread is not None:
            self.thread.start()
        return self

    def _run(self) -> None:
        cursor = self.raw.cursor()
        try:
            while (item := self.queue.get()) is not None:
                if self.error is None:
                    sql, rows = item
                    try:
                        cursor.executemany(sql, rows)
                    except BaseException as exc:  # handed to the caller in __exit__
                        self.error = exc
        finally:
            cursor.close()

    def put(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if self.error is not None:
            raise self._failure()
        if not rows:
            return
        if self.thread is not None:
            self.queue.put((sql, rows))
            return
        try:
            self.cursor.executemany(sql, rows)
        except BaseException as exc:
            self.error = exc
            raise self._failure() from None

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if self.thread is None:
            self.cursor.close()
            return
        self.queue.put(None)
        self.thread.join()
        if exc is None and self.error is not None:
            raise self._failure()

    def _failure(self) -> BaseException:
        from bizops.domain.errors import StorageError

        error = self.error
        assert error is not None
        if isinstance(error, BizopsError | KeyboardInterrupt):
            return error
        return StorageError(_("the import could not be written: {error}").format(error=error))


class _IndexesLater:
    """On SQLite, when ``later``: the secondary indexes of the tables an import writes are
    dropped in its transaction before its first rows are written (an import that writes no
    row changes nothing) and built again, as they were defined, once the rows are in.
    Building an index from all its rows at once (a sort) is cheaper than inserting the keys
    one row at a time in random order (pinyin, name keys): at 100,000 rows into an empty
    database, 2 of the 5.7 s the writes took. Building costs about half as much a row as
    inserting, but covers the customers already on record too: only for a file of at least
    twice as many rows as there are customers (a file imported again, whose rows are already
    present, must not pay for rebuilding everything).
    If the import fails, rolling back its transaction restores the indexes; a unique index
    built again still refuses duplicates (the import then fails as a whole). Readers see the
    indexes throughout (their snapshot is the one before the import), and writers wait for
    the import's lock. Not on PostgreSQL: dropping an index there locks its table against
    every reader until the import commits."""

    def __init__(self, conn: Any, later: bool) -> None:
        self.conn = conn
        self.later = later and conn.dialect.name == "sqlite"
        self.dropped: list[str] | None = None

    def __enter__(self) -> _IndexesLater:
        return self

    def before_writing(self) -> None:
        if not self.later or self.dropped is not None:
            return
        tables = ", ".join(f"'{model.__tablename__}'" for model in _WRITTEN)
        indexes = self.conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({tables}) ORDER BY name"
        ).all()
        quote = self.conn.dialect.identifier_preparer.quote
        for name, _sql in indexes:
            self.conn.exec_driver_sql(f"DROP INDEX {quote(name)}")
        self.dropped = [sql for _name, sql in indexes]

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        # After an error the transaction is rolled back, and the indexes with it.
        if exc_type is None:
            for sql in self.dropped or ():
                self.conn.exec_driver_sql(sql)


@contextmanager
def large_cache(session: Session) -> Iterator[None]:
    """SQLite's page cache is 2 MB by default; the index inserts of a big import (name keys
    arrive in random order) churn it. ``CACHE_KIB`` for the import, then back (256 MB made
    the cache the largest part of a 100,000-row import's memory, for little speed; 8 MB
    costs no more CPU than 32 MB did at 100,000 rows)."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")
