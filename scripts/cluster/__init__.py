"""The cluster test's parts (`make cluster-test`, scripts/cluster_test.py drives them):

- ``processes``: the cluster's processes — PostgreSQL, the two Redis, two gunicorn app
  servers, HAProxy, the Celery worker and beat, the SMTP sink — started, stopped, killed
  and supervised;
- ``faults``: the faults injected during the rush, on a timeline;
- ``rush``: the families' browsers, the data prepared, the registration rush and the
  throughput measure;
- ``checks``: what is waited for and counted afterwards (emails, holds, sessions, the
  registrations);
- ``report``: the figures printed and the verdict.
"""
