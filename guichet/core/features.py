"""Pages of a feature the operator's preset lacks answer 404, as if they did not exist."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from guichet import presets
from guichet.presets import Feature


def require_feature(feature: Feature) -> None:
    if not presets.active().has(feature):
        raise Http404


def feature_required(feature: Feature) -> Callable[[Callable[..., HttpResponse]], Any]:
    """View decorator: 404 unless the active preset has ``feature``."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require_feature(feature)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
