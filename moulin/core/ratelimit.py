"""Counting attempts per window in Django's configured cache, so that every web process counts together.

With ``REDIS_URL`` set the default cache is Redis (``config/settings/base.py``): the count of an address is the
same whichever gunicorn worker or machine answers. Without it (a laptop, the tests) the default cache is Django's
local memory, which is right for one process only. The counter is a fixed window: ``add`` creates it with the
window's lifetime, ``incr`` increments it atomically in Redis.
"""

import time

from django.core.cache import caches

ALIAS = "default"


def backend():
    """The cache the counters live in (the configured default cache)."""
    return caches[ALIAS]


def hit(name: str, who: str, *, limit: int, window: int = 3600) -> bool:
    """Count one attempt of ``who`` under ``name`` in the current window; true when it goes beyond ``limit``."""
    key = f"ratelimit:{name}:{who or 'unknown'}:{int(time.time() // window)}"
    store = backend()
    store.add(key, 0, timeout=window)
    try:
        return store.incr(key) > limit
    except ValueError:  # the counter expired between add and incr: this attempt starts a new window
        store.add(key, 1, timeout=window)
        return False
