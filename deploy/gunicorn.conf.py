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
