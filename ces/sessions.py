"""The session store: Django's database sessions, with the renewal every request makes
(SESSION_SAVE_EVERY_REQUEST: the 30-minute idle timeout) sent as one statement that does not
wait for the disk.

Django saves an existing session inside a transaction (BEGIN, UPDATE, COMMIT: three round trips,
and a COMMIT that waits for the write-ahead log to reach the disk — several milliseconds on a
busy machine, on every page). Renewing an existing session here is one round trip: an UPDATE
of its row with `synchronous_commit` off for that statement alone (PostgreSQL runs the two
statements of one query string as one transaction). The row is written and seen at once; only a
crash of the database server in the next fraction of a second could lose the renewal, and then
the session ends up to that much earlier than 30 idle minutes — never later. What must not be
lost is unchanged: a new session (signing in, which also changes the key) is created by Django's
own durable path, and signing out deletes the row. No row changed (the session was deleted or
expired meanwhile) is Django's UpdateError, as before. Inside a caller's transaction (tests)
Django's savepoint path runs.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import connections, router


class SessionStore(db.SessionStore):
    def save(self, must_create=False):
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        using = router.db_for_write(self.model)
        connection = connections[using]
        if (connection.in_atomic_block or not connection.get_autocommit()
                or connection.settings_dict["OPTIONS"].get("server_side_binding")):  # two statements need client-side binding
            return super().save(must_create=must_create)
        table = connection.ops.quote_name(self.model._meta.db_table)
        data = self.encode(self._get_session())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SET LOCAL synchronous_commit TO OFF; "
                f"UPDATE {table} SET session_data = %s, expire_date = %s WHERE session_key = %s",
                [data, self.get_expiry_date(), self.session_key],
            )
            cursor.nextset()  # the UPDATE's result
            changed = cursor.rowcount
        if not changed:
            raise UpdateError
