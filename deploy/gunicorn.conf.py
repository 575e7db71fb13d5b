"""Gunicorn for Guichet: `gunicorn -c deploy/gunicorn.conf.py guichet.wsgi:application`.

Every value can be overridden by an environment variable read below (GUICHET_* only).
Threads suit Guichet: a request mostly waits on PostgreSQL, and each thread keeps its own
persistent connection (GUICHET_DATABASE_CONN_MAX_AGE).
"""

import multiprocessing
import os

bind = os.environ.get("GUICHET_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUICHET_WORKERS", str(min(4, multiprocessing.cpu_count() * 2))))
threads = int(os.environ.get("GUICHET_THREADS", "4"))
worker_class = "gthread"
# A request that takes longer is killed (and logged): the proxy's own timeout is above it.
timeout = int(os.environ.get("GUICHET_WORKER_TIMEOUT", "60"))
graceful_timeout = 30  # on SIGTERM, requests in flight finish before the worker exits
keepalive = 5  # below the proxy's idle timeout toward the servers
backlog = 2048
max_requests = 5000  # recycle workers now and then, with jitter so they do not all restart
max_requests_jitter = 500
# The proxy in front sets X-Forwarded-For and X-Forwarded-Proto; GUICHET_TRUSTED_PROXY_COUNT
# and GUICHET_HTTPS tell Django how far to trust them. Gunicorn itself trusts only these:
forwarded_allow_ips = os.environ.get("GUICHET_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access log without the query string (it may carry a key or an email address): %(U)s.
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms id=%({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("GUICHET_LOG_LEVEL", "info").lower()

# Metrics (guichet/metrics.py): with GUICHET_METRICS_DIR every worker writes its counters
# to that folder and /sante/metriques adds them up (prometheus_client's multiprocess mode).
# The folder is emptied when gunicorn starts; a dead worker's live gauges are dropped.
metrics_dir = os.environ.get("GUICHET_METRICS_DIR", "")
if metrics_dir:
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", metrics_dir)

from prometheus_client import multiprocess  # noqa: E402 (after the folder is known)


def on_starting(server):
    if metrics_dir:
        os.makedirs(metrics_dir, exist_ok=True)
        for name in os.listdir(metrics_dir):
            if name.endswith(".db"):
                os.remove(os.path.join(metrics_dir, name))


def child_exit(server, worker):
    if metrics_dir:
        multiprocess.mark_process_dead(worker.pid)
