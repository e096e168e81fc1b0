"""Sign-in by email and password (Django's model backend), with the signed-in user of each request read from the
cache under the data version (decision 0011)."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from moulin.access.scope import scope_for
from moulin.core import dataversion


class CachedModelBackend(ModelBackend):
    """``get_user`` (every request of a session): the user row and their scope (roles, organisations, communes of
    the day) cached under the data version, which every committed write changes — a deactivated user, a new
    password, a role given or taken shows on the very next request. The session's password hash is still checked
    against the user on every request (``django.contrib.auth.get_user``)."""

    def get_user(self, user_id):
        seconds = settings.MOULIN_DATA_CACHE_SECONDS
        version = dataversion.current(connection) if seconds else None
        if version is None:
            return super().get_user(user_id)
        key = f"user:{dataversion.BOOT}:{user_id}:{timezone.localdate().isoformat()}:{version}"
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            scope_for(user)  # kept on the user object, cached with it
            cache.set(key, user, seconds)
        return user
