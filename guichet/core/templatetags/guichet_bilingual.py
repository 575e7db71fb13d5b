"""Bilingual content (django-modeltranslation): when a page is in English and a text exists
in French only, the page shows the French text and says so."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

register = template.Library()


def french_only(thing: Any, *fields: str) -> bool:
    """Whether the page is not in French and one of ``fields`` has a French text but no
    English one (so the French text is shown)."""
    if thing is None or (translation.get_language() or "fr").startswith("fr"):
        return False
    return any(
        getattr(thing, f"{field}_fr", None) and not getattr(thing, f"{field}_en", None)
        for field in fields
    )


@register.inclusion_tag("core/_french_only.html")
def french_only_notice(thing: Any, *fields: str) -> dict[str, bool]:
    """« This text is available in French only. », shown only where it is true."""
    return {"french_only": french_only(thing, *fields)}


@register.simple_tag
def lang_of(thing: Any, field: str) -> str:
    """`` lang="fr"`` on an element whose text is shown in French on a page that is not, so
    a screen reader reads it in French (WCAG 3.1.2); nothing otherwise."""
    return mark_safe(' lang="fr"') if french_only(thing, field) else ""  # noqa: S308 — a constant
