from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Holds ``manage.py load_demo``; no models."""

    name = "guichet.demo"
