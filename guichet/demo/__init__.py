"""The demo operator, loaded by ``manage.py load_demo`` (``make demo``).

A project-level app, above every domain: ``loading.load`` calls each app's own ``demo.load``
in the order their data depend on one another. Nothing in ``guichet`` imports it.
"""
