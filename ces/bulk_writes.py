"""Many rows, and their history rows, written by one statement (issue 17: the pull).

`bulk_create_with_history` and `bulk_update_with_history` take two statements a table (the
rows, then their history). Here Django's own compilers build each INSERT and UPDATE, so a
row is written exactly as `bulk_create` would write it (defaults, `auto_now_add`, each
field's database value), and the history rows are built as django-simple-history's
`bulk_history_create` builds them (every tracked field, `history_type`, `history_user`,
`history_date`, the change reason). Only the way they travel changes: each is one
data-modifying CTE of a single `WITH … SELECT 1` statement (`statement_write`).

Rows that another row of the same statement points at need their primary key before the
statement: `ids_reserve_sql` takes them from the table's own sequence, in the statement
that comes before (so no extra round trip), exactly as an INSERT's default would.
"""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Model
from django.db.models.sql import InsertQuery, UpdateQuery
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object, get_history_manager_for_model


def ids_reserve_sql(model: type[Model]) -> tuple[str, list]:
    """An SQL expression (and its parameters, less the count: append it) giving an array of
    `count` new primary keys of `model`, from the sequence behind its id column."""
    return ("ARRAY(SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s))",
            [model._meta.db_table, model._meta.pk.column])


def insert_sql(model: type[Model], objs: list[Model]) -> tuple[str, list]:
    """The INSERT `model.objects.bulk_create(objs)` would run (one batch), not run. Each
    object's `auto_now_add` and default values are set on it, as bulk_create sets them."""
    opts = model._meta
    for obj in objs:
        if not obj._is_pk_set():
            obj.pk = opts.pk.get_pk_value_on_save(obj)
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    with_pk = all(obj._is_pk_set() for obj in objs)
    fields = [f for f in opts.concrete_fields if not f.generated and (with_pk or f is not opts.auto_field)]
    query = InsertQuery(model)
    query.insert_values(fields, objs)
    # By alias, not through the `connection` proxy: the compiler reads it for every value.
    [(sql, params)] = query.get_compiler(using=DEFAULT_DB_ALIAS).as_sql()
    return sql, list(params)


def inserted(objs: list[Model]) -> None:
    """Mark objects written by `insert_sql` as saved, as bulk_create does."""
    for obj in objs:
        obj._state.adding = False
        obj._state.db = DEFAULT_DB_ALIAS


def update_sql(model: type[Model], pks: list, values: dict) -> tuple[str, list]:
    """The UPDATE `model.objects.filter(pk__in=pks).update(**values)` would run, not run."""
    query = UpdateQuery(model)
    query.add_update_values(values)
    query.add_filter("pk__in", pks)
    sql, params = query.get_compiler(using=DEFAULT_DB_ALIAS).as_sql()
    return sql, list(params)


def history_build(model: type[Model], objs: list[Model], *, user, reason: str, date=None, update: bool = False) -> list[Model]:
    """The history rows `bulk_history_create(objs, update=…, default_user=user,
    default_change_reason=reason, default_date=date)` would write, not written (each row's
    `history_date` is the time it is built unless `date` is given, as there)."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return []
    history_model = get_history_manager_for_model(model).model
    rows = []
    for instance in objs:
        row = history_model(
            history_date=getattr(instance, "_history_date", date or timezone.now()),
            history_user=getattr(instance, "_history_user", user or history_model.get_default_history_user(instance)),
            history_change_reason=get_change_reason_from_object(instance) or reason,
            history_type="~" if update else "+",
            **{field.attname: getattr(instance, field.attname) for field in history_model.tracked_fields},
        )
        if hasattr(history_model, "history_relation"):
            row.history_relation_id = instance.pk
        rows.append(row)
    return rows


def statement_write(parts: list[tuple[str, list]]) -> None:
    """Run INSERTs and UPDATEs as one statement: each a data-modifying CTE, each run exactly once.

    They all see the same snapshot and none sees another's rows, so no two may touch the
    same row; foreign keys are checked at commit (Django makes them DEFERRABLE INITIALLY
    DEFERRED), so a row may point at one inserted beside it.
    """
    parts = [(sql, params) for sql, params in parts if sql]
    if not parts:
        return
    sql = "WITH " + ", ".join(f"write_{i} AS ({part})" for i, (part, _params) in enumerate(parts)) + " SELECT 1"
    with connection.cursor() as cursor:
        cursor.execute(sql, [param for _sql, params in parts for param in params])
