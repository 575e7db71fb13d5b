from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from guichet import presets


def operator(request: HttpRequest) -> dict[str, Any]:
    """The active preset, for the header, the colours and the footer."""
    return {"operator": presets.active()}
