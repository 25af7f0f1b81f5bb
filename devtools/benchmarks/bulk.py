"""Bench data in bulk, set-based: `insert_select(Model, values, source)` is one
`INSERT INTO <table> (<every column>) SELECT <expressions> FROM <source>`.

The column list is the model's own (its concrete fields), so a column added to a model is
covered: a column the caller gives no expression for takes the field's default (the ORM's: ''
for a text column without one; through the field's `get_db_prep_save`, cast to its type), `now()` for `auto_now`/`auto_now_add`, or NULL
when nullable; a required column without any of these is an error here, not a bad row later.
Constraints and triggers run as for any insert (the audit trigger on history tables included),
unless the caller defers them for a large load: `foreign_keys_deferred` (the tables' foreign
keys dropped and validated again once, at the end), `audit_trigger_deferred` (the audit trigger
off, its events written by one INSERT … SELECT that gives the trigger's own rows) and
`indexes_deferred` (plain indexes built once after the load).
History rows are written the way django-simple-history writes them: the tracked row's columns
with `history_date`, `history_type` ('+', '~', '-'), `history_user_id` and the change reason
(`history_values`).

Pseudo-random but deterministic values come from `hashint8extended(x, seed)` (`rnd`, `pick`):
the same size gives the same data on every run, with no Python per row.
"""

import time
from collections.abc import Callable
from contextlib import contextmanager

from django.db import connection

from audit.sources import EVENT_TABLE, events_insert_sql


def rnd(expr: str, seed: int) -> str:
    """SQL: a non-negative pseudo-random integer (0 … 2^31-1) from `expr` and `seed`."""
    return f"(hashint8extended(({expr})::bigint, {int(seed)}) & 2147483647)::int"


def _literal(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def pick(expr: str, seed: int, choices: list[str]) -> str:
    """SQL: one of `choices` (constant strings, repeats weigh), chosen by `rnd(expr, seed)`."""
    return f"(ARRAY[{', '.join(_literal(c) for c in choices)}])[1 + {rnd(expr, seed)} %% {len(choices)}]"


def percent(expr: str, seed: int) -> str:
    """SQL: 0 … 99, pseudo-random."""
    return f"({rnd(expr, seed)} %% 100)"


def insert_select(model, values: dict[str, str], source: str, params: dict | None = None) -> int:
    """INSERT every concrete column of `model` from `SELECT <values> FROM <source>`; returns the rows.

    `values` maps column names to SQL expressions over `source`; `params` are named (%(x)s), so
    the modulo operator is written %% (as `pick` and `percent` do).
    The primary key comes from its sequence unless `values` names it."""
    opts = model._meta
    params = dict(params or {})
    columns, expressions = [], []
    for field in opts.concrete_fields:
        if getattr(field, "generated", False):
            continue
        column = field.column
        if column in values:
            expression = values[column]
        elif field.primary_key and field.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField"):
            continue
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            expression = "now()"
        elif field.has_default() or (field.empty_strings_allowed and not field.null):  # as the ORM: '' for text
            key = f"default_{column}"
            params[key] = field.get_db_prep_save(field.get_default(), connection)
            expression = f"%({key})s::{field.db_type(connection)}"
        elif field.null:
            expression = "NULL"
        else:
            raise ValueError(f"{opts.label}.{column}: no value, no default and not nullable")
        columns.append(connection.ops.quote_name(column))
        expressions.append(f"{expression} AS {connection.ops.quote_name(column)}")
    unknown = set(values) - {f.column for f in opts.concrete_fields}
    if unknown:
        raise ValueError(f"{opts.label}: no such columns {sorted(unknown)}")
    sql = (f"INSERT INTO {connection.ops.quote_name(opts.db_table)} ({', '.join(columns)})\n"
           f"SELECT {', '.join(expressions)}\nFROM {source}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def history_values(model, alias: str, *, date: str, kind: str, user: str = "NULL", reason: str = "NULL",
                   **overrides: str) -> dict[str, str]:
    """The values of `model`'s history rows taken from rows `alias` of its table (simple-history's layout)."""
    history = model.history.model
    tracked = {field.column for field in history._meta.concrete_fields} & {field.column for field in model._meta.concrete_fields}
    values = {column: f"{alias}.{connection.ops.quote_name(column)}" for column in tracked}
    values.update({"history_date": date, "history_type": _literal(kind), "history_user_id": user,
                   "history_change_reason": reason})
    values.update(overrides)
    return values


@contextmanager
def indexes_deferred(table: str, *, when: bool = True, progress: "Progress | None" = None):
    """For a load much larger than the table: drop its plain indexes (not unique, not a
    constraint's), load, and build them again, as pg_restore does; a trigram GIN index is built
    several times faster at once than row by row. Inside the caller's transaction, so an error
    puts the indexes back with everything else."""
    if not when:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_deferred runs inside a transaction")
    with connection.cursor() as cursor:
        cursor.execute("""SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                          WHERE x.indrelid = %s::regclass AND NOT x.indisunique AND NOT x.indisprimary
                            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)""", [table])
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield

    def rebuild() -> None:
        with connection.cursor() as cursor:
            # The load's deferred foreign-key checks run now: an index is not built over pending trigger events.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, definition in found:
                cursor.execute(definition)

    if progress is None:
        rebuild()
    else:
        progress.step(f"{table}: {len(found)} indexes built after the load", rebuild)


@contextmanager
def foreign_keys_deferred(*tables: str, progress: "Progress | None" = None):
    """For a large load: drop the foreign keys of `tables`, load, and add them back (NOT VALID,
    then VALIDATE CONSTRAINT), inside the caller's transaction.

    Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: every inserted row queues one check
    per foreign key, and the commit runs them one row at a time (at 100,000 clients, about half
    of the load's time). VALIDATE CONSTRAINT checks the whole table in one anti-join, so the load
    ends with the same constraints, validated by PostgreSQL itself: a row the load got wrong fails
    the validation and the transaction rolls back, constraints and all. (`SET
    session_replication_role = replica` was the other way: it would also silence every other
    trigger, the audit's and the VSP locks', and leave the validation to queries written here.)"""
    if not connection.in_atomic_block:
        raise RuntimeError("foreign_keys_deferred runs inside a transaction")
    with connection.cursor() as cursor:
        cursor.execute("""SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
                          WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2""", [list(tables)])
        found = cursor.fetchall()
        # Checks already queued on these tables (rows the ORM wrote earlier in the transaction) run first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, name, _definition in found:
            cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    yield

    def validate() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the few rows the ORM wrote meanwhile (vacancies, pulls)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table, name, definition in found:
                cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} ADD CONSTRAINT "
                               f"{connection.ops.quote_name(name)} {definition} NOT VALID")
            for table, name, _definition in found:
                cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} VALIDATE CONSTRAINT {connection.ops.quote_name(name)}")

    label = f"{', '.join(tables)}: {len(found)} foreign keys validated after the load"
    validate() if progress is None else progress.step(label, validate)


@contextmanager
def audit_trigger_deferred(history_model, *, progress: "Progress | None" = None):
    """For a large load of a history table: its audit trigger (audit/sources.py, one INSERT per
    row) is off while the rows go in; then one INSERT … SELECT (`events_insert_sql`, the trigger's
    own columns and values) writes the events of every row added, in the order the trigger would
    have (history_id). Inside the caller's transaction: nobody else sees the table without it."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_trigger_deferred runs inside a transaction")
    table = connection.ops.quote_name(history_model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(max(history_id), 0) FROM {table}")
        (floor,) = cursor.fetchone()
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER audit_event")
    yield

    def events() -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER audit_event")
            cursor.execute(f"SELECT count(*) FROM {table} WHERE history_id > %s", [floor])
            (rows,) = cursor.fetchone()
            cursor.execute(f"SELECT count(*) FROM {EVENT_TABLE}")
            (have,) = cursor.fetchone()
        with indexes_deferred(EVENT_TABLE, when=rows > have):
            with connection.cursor() as cursor:
                cursor.execute(events_insert_sql(history_model, f"h.history_id > {int(floor)}", order="h.history_id"))
                return cursor.rowcount

    label = f"{history_model._meta.db_table}: audit events (INSERT … SELECT)"
    events() if progress is None else progress.step(label, events)


def analyze(*tables: str) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


class Progress:
    """Prints each step with its time, and keeps them (`steps`) for the page."""

    def __init__(self, write: Callable[[str], None] | None = None):
        self.write = write or (lambda line: print(line, flush=True))
        self.steps: dict[str, float] = {}

    def step(self, label: str, function, *args, **kwargs):
        started = time.perf_counter()
        result = function(*args, **kwargs)
        seconds = time.perf_counter() - started
        self.steps[label] = round(self.steps.get(label, 0) + seconds, 1)
        rows = f" ({result:,} rows)" if isinstance(result, int) else ""
        self.write(f"    {label}{rows}: {seconds:.1f} s")
        return result
