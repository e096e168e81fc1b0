"""``/health/``: is this instance able to serve? (for a load balancer, systemd or a monitoring probe).

No login, no session, no template: a JSON answer, 200 when every check passes, 503 otherwise. The checks are
cheap (one query each): the database answers, and the task queue is reachable and being drained.
"""

import datetime as dt
import logging
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("moulin.health")

#: a task still waiting after this long means no worker is taking tasks from the queue
STALE_AFTER = dt.timedelta(minutes=15)


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def check_tasks() -> dict:
    """The queue of the default task backend: reachable, and its oldest waiting task not older than STALE_AFTER."""
    from django.tasks import task_backends

    backend = task_backends["default"]
    path = f"{type(backend).__module__}.{type(backend).__name__}"
    if path.startswith("django_tasks_db."):
        from django.db.models import Q
        from django_tasks_db.models import DBTaskResult, get_date_max

        ready = DBTaskResult.objects.ready()
        limit = timezone.now() - STALE_AFTER
        waiting = ready.count()
        stale = (
            waiting > 0
            and ready.filter(enqueued_at__lt=limit)
            .filter(Q(run_after=get_date_max()) | Q(run_after__lt=limit))
            .exists()
        )
        return {"ok": not stale, "backend": "database", "waiting": waiting, "stale": stale}
    if path.startswith("django_tasks_rq."):
        import django_rq

        queue = django_rq.get_queue(sorted(backend.queues)[0])
        queue.connection.ping()
        return {"ok": True, "backend": "rq", "waiting": queue.count}
    # immediate or dummy backends (tests, development): nothing to drain
    return {"ok": True, "backend": type(backend).__name__}


CHECKS = {"database": check_database, "tasks": check_tasks}


@login_not_required
@transaction.non_atomic_requests  # the database may be down: the view must run to say so
@never_cache
@require_GET
def health(request):
    started = time.perf_counter()
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:  # noqa: BLE001 - a probe reports every failure, it never raises
            if not isinstance(error, DatabaseError):
                logger.exception("health check %s failed", name)
            else:
                logger.error("health check %s failed: %s", name, error)
            results[name] = {"ok": False, "error": type(error).__name__}
    healthy = all(result["ok"] for result in results.values())
    body = {
        "status": "ok" if healthy else "failing",
        "checks": results,
        "version": getattr(settings, "MOULIN_VERSION", ""),
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }
    return JsonResponse(body, status=200 if healthy else 503)
