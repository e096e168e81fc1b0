"""Sessions in the database (Django's ``db`` engine) read with one plain statement: the ORM took about a millisecond
to build the same ``SELECT`` on every request of every page (decision 0011)."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        """The session row, unexpired, as Django's ``db`` engine reads it (``session_key`` and ``expire_date >
        now``); ``None`` (and a new key on save) when there is none."""
        model = self.model
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        table, key, data, expiry = (
            quote(name) for name in (model._meta.db_table, "session_key", "session_data", "expire_date")
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {data} FROM {table} WHERE {key} = %s AND {expiry} > %s", [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
