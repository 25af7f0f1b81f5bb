"""Where the timeline's rows come from: a trigger on the access log and on every history table.

Each trigger inserts one audit_auditevent row in the same transaction as the
row it indexes (bulk writes included: `bulk_create_with_history` fires the
trigger too). The person a history row is about is found by following the
model's foreign keys to ces.Client (at most two steps: a referral → its list
entry → the client), worked out here from the models themselves, so a new
app's history tables are covered after its migration without anyone
remembering to list them.
"""

from django.apps import apps as global_apps
from django.db import connections, models

EVENT_TABLE = "audit_auditevent"
CLIENT_MODEL = "ces.client"


def _fk_to(model, target_label: str) -> str | None:
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model._meta.label_lower == target_label:
            return field.column
    return None


def tracked_label(history_model) -> str:
    """The label of the model a history model records, e.g. 'bnl.bnlentry'."""
    return history_model.instance_type._meta.label_lower


def client_expression(history_model) -> str:
    """SQL (over NEW, a history row) giving the client the row is about, or NULL."""
    tracked = history_model.instance_type
    if tracked._meta.label_lower == CLIENT_MODEL:
        return "NEW.id"
    direct = _fk_to(tracked, CLIENT_MODEL)
    if direct:
        return f"NEW.{direct}"
    for field in tracked._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey):
            continue
        parent = field.related_model
        column = _fk_to(parent, CLIENT_MODEL)
        if column:
            return f"(SELECT p.{column} FROM {parent._meta.db_table} p WHERE p.{parent._meta.pk.column} = NEW.{field.column})"
    return "NULL"


def history_models(app_registry=global_apps) -> list:
    return [
        model for model in app_registry.get_models()
        if hasattr(model, "instance_type") and model._meta.db_table.split("_", 1)[-1].startswith("historical")
    ]


def _function_name(table: str) -> str:
    return f"audit_event_from_{table}"[:63]


def history_trigger_sql(history_model) -> str:
    table = history_model._meta.db_table
    label = tracked_label(history_model)
    function = _function_name(table)
    return f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
  INSERT INTO {EVENT_TABLE} (at, kind, user_id, action, model, object_id, client_id, history_table, history_id,
                             access_log_id, reason, ip, search)
  VALUES (NEW.history_date, 'change', NEW.history_user_id,
          CASE NEW.history_type WHEN '+' THEN 'created' WHEN '-' THEN 'deleted' ELSE 'changed' END,
          '{label}', NEW.id::text, {client_expression(history_model)}, '{table}', NEW.history_id, NULL,
          COALESCE(NEW.history_change_reason, ''), NULL,
          lower(COALESCE(NEW.history_change_reason, '') || ' {label} '
                || COALESCE((SELECT username FROM ces_user WHERE id = NEW.history_user_id), '')));
  RETURN NULL;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event ON {table};
CREATE TRIGGER audit_event AFTER INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();
"""


ACCESS_TRIGGER_SQL = f"""
CREATE OR REPLACE FUNCTION audit_event_from_ces_accesslog() RETURNS trigger AS $$
BEGIN
  INSERT INTO {EVENT_TABLE} (at, kind, user_id, action, model, object_id, client_id, history_table, history_id,
                             access_log_id, reason, ip, search)
  VALUES (NEW.at, 'access', NEW.user_id, NEW.action, COALESCE(NEW.object_type, ''), COALESCE(NEW.object_id, ''),
          NEW.client_id, '', NULL, NEW.id, COALESCE(NEW.detail, ''), NEW.ip_address,
          lower(NEW.action || ' ' || COALESCE(NEW.object_type, '') || ' ' || COALESCE(NEW.detail, '') || ' '
                || COALESCE((SELECT username FROM ces_user WHERE id = NEW.user_id), '')));
  RETURN NULL;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_event ON ces_accesslog;
CREATE TRIGGER audit_event AFTER INSERT ON ces_accesslog FOR EACH ROW EXECUTE FUNCTION audit_event_from_ces_accesslog();
"""


def events_insert_sql(history_model, where: str, order: str = "h.history_date, h.history_id") -> str:
    """One INSERT … SELECT of the events the trigger makes, for the rows `h` of the history table
    with `where` (SQL over `h`): the same columns and values as `history_trigger_sql`, set-based.
    The backfill uses it, and so does a bulk load that turns the trigger off while it runs
    (devtools/benchmarks/bulk.py: audit_trigger_deferred)."""
    table = history_model._meta.db_table
    label = tracked_label(history_model)
    client = client_expression(history_model).replace("NEW.", "h.")
    return f"""
INSERT INTO {EVENT_TABLE} (at, kind, user_id, action, model, object_id, client_id, history_table, history_id,
                           access_log_id, reason, ip, search)
SELECT h.history_date, 'change', h.history_user_id,
       CASE h.history_type WHEN '+' THEN 'created' WHEN '-' THEN 'deleted' ELSE 'changed' END,
       '{label}', h.id::text, {client}, '{table}', h.history_id, NULL, COALESCE(h.history_change_reason, ''), NULL,
       lower(COALESCE(h.history_change_reason, '') || ' {label} ' || COALESCE(u.username, ''))
FROM {table} h LEFT JOIN ces_user u ON u.id = h.history_user_id
WHERE {where}
ORDER BY {order};
"""


def backfill_sql(history_model) -> str:
    """The events of rows written before the trigger existed (run once per table, when it has none)."""
    table = history_model._meta.db_table
    return events_insert_sql(history_model, f"NOT EXISTS (SELECT 1 FROM {EVENT_TABLE} e WHERE e.history_table = '{table}')")


ACCESS_BACKFILL_SQL = f"""
INSERT INTO {EVENT_TABLE} (at, kind, user_id, action, model, object_id, client_id, history_table, history_id,
                           access_log_id, reason, ip, search)
SELECT a.at, 'access', a.user_id, a.action, a.object_type, a.object_id, a.client_id, '', NULL, a.id, a.detail,
       a.ip_address, lower(a.action || ' ' || a.object_type || ' ' || a.detail || ' ' || COALESCE(u.username, ''))
FROM ces_accesslog a LEFT JOIN ces_user u ON u.id = a.user_id
WHERE NOT EXISTS (SELECT 1 FROM {EVENT_TABLE} e WHERE e.kind = 'access')
ORDER BY a.at, a.id;
"""


def _installed_triggers(cursor) -> set[str]:
    cursor.execute("SELECT event_object_table FROM information_schema.triggers WHERE trigger_name = 'audit_event'")
    return {row[0] for row in cursor.fetchall()}


def triggers_install(*, app_registry=global_apps, using=None) -> list[str]:
    """(Re)create the trigger of every history table (and the access log); backfill the tables that had
    none. Idempotent: run after every migrate."""
    conn = connections[using or "default"]
    installed_now = []
    with conn.cursor() as cursor:
        existing = _installed_triggers(cursor)
        tables = set(conn.introspection.table_names(cursor))
        if EVENT_TABLE not in tables:
            return []
        cursor.execute(ACCESS_TRIGGER_SQL)
        if "ces_accesslog" not in existing:
            cursor.execute(ACCESS_BACKFILL_SQL)
            installed_now.append("ces_accesslog")
        for model in history_models(app_registry):
            table = model._meta.db_table
            if table not in tables:
                continue
            cursor.execute(history_trigger_sql(model))
            if table not in existing:
                cursor.execute(backfill_sql(model))
                installed_now.append(table)
    return installed_now


def triggers_install_after_migrate(sender, using="default", **kwargs) -> None:
    triggers_install(using=using)
