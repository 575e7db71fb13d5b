"""The REST API (``/api/v1/``) and outgoing webhooks, for the operator's other systems.

The top layer: it reads every domain through its querysets and writes through its
services; nothing imports it. See docs/api.md.
"""
