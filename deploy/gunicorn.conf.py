"""Gunicorn for Moulin: `gunicorn -c deploy/gunicorn.conf.py config.wsgi` (what `make serve-prod` and
deploy/moulin-web.service run). Every value can be overridden by the environment variable named beside it.

Workers and threads, measured with `make loadtest` (docs/performance.md, "gunicorn workers and threads"): one
process a core plus one, two threads each, on SQLite and on PostgreSQL. Pages are CPU-bound Python (templates,
ORM), but each request also waits (SQLite reads, PostgreSQL round trips, sending the response): two threads overlap
those waits. On SQLite they roughly doubled throughput over sync workers; on PostgreSQL (2026-12-02, every role's
read mix and form posts, concurrency 8, a machine loaded 10-13 by other work) 3 x 2 gave the best tail: 3 x 4 the
same throughput with p99 672 ms against 541 ms and 11 % more memory (GIL contention); in an earlier round 5 x 2
and 2 x 2 gave 40 % and 25 % less throughput than 3 x 2 with a p99 of 5.1 s and 2.7 s, 3 x 1 10 % less. More
processes than cores + 1 only add memory and context switches.
"""

import multiprocessing
import os

_cores = multiprocessing.cpu_count()

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", _cores + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
worker_class = "gthread" if threads > 1 else "sync"

# Load the application once in the master (config/wsgi.py imports every view and calls gc.freeze()), so workers
# start fast and share the loaded code's memory pages.
preload_app = True

# A page is never slower than a few seconds: a request that takes 30 s is stuck and its worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, so that a slow leak never grows for weeks (jitter: not all at once).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200

# Moulin logs each request itself (moulin.core.middleware.RequestLogMiddleware, with its query count):
# gunicorn's access log would repeat it. Errors go to stderr, i.e. the journal under systemd.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The reverse proxy in front (deploy/docs) sets X-Forwarded-Proto; trust it from the local machine only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "moulin"
# `make soak` reads the master's pid here to sample its workers' memory.
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
