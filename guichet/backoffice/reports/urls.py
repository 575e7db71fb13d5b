"""The back office's reports pages (included by guichet.backoffice.urls)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
