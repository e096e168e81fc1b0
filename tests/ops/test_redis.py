"""Scaled out: the task queue in Redis (django-tasks-rq) behind the same django.tasks API, and the Redis cache.
Needs Redis on 127.0.0.1:6379 (CI starts it); database 15 keeps these keys apart."""

import socket
import uuid

import pytest
from django.core.cache import caches
from django.test import Client

# Imported before any test switches the backend: a task module imported while TASKS names the RQ backend would
# build its tasks with that backend's task class, and keep them for the rest of the session.
import moulin.ops.tasks  # noqa: E402,F401
import moulin.participants.tasks  # noqa: E402,F401

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _redis_answers(), reason="Redis is not answering on 127.0.0.1:6379")


@pytest.fixture
def rq_backend(settings):
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    import django_rq

    queue = django_rq.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()


def test_a_scheduled_job_runs_through_redis(rq_backend, django_capture_on_commit_callbacks):
    import django_rq
    from django.tasks import task_backends
    from django_tasks_rq import Job

    from moulin.ops import services
    from moulin.ops.models import JobRun

    assert type(task_backends["default"]).__name__ == "RQBackend"
    with django_capture_on_commit_callbacks(execute=True):
        runs = services.run_due_jobs()
    assert runs and rq_backend.count == len(runs)  # waiting in Redis, not run yet
    assert {r.status for r in JobRun.objects.filter(pk__in=[r.pk for r in runs])} == {JobRun.Status.QUEUED}
    health = Client().get("/health/").json()["checks"]["tasks"]
    assert health == {"ok": True, "backend": "rq", "waiting": len(runs)}

    # an rq worker in this process (SimpleWorker: no fork, so it sees the test's transaction)
    worker = django_rq.get_worker("default", job_class=Job, worker_class="rq.worker.SimpleWorker")
    worker.work(burst=True)
    assert rq_backend.count == 0
    done = JobRun.objects.filter(pk__in=[r.pk for r in runs])
    assert {r.status for r in done} == {JobRun.Status.SUCCEEDED}, [r.error for r in done]


def test_the_redis_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    cache = caches.create_connection("default")
    key = f"moulin-test-{uuid.uuid4()}"
    cache.set(key, {"answer": 42}, 30)
    assert cache.get(key) == {"answer": 42}
    cache.delete(key)
