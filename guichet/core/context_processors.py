from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from guichet import presets

# The catalog's name follows what it holds (the preset's offering kinds).
CATALOG_TITLES: dict[frozenset[str], Promise] = {
    frozenset({"activity"}): gettext_lazy("Activities"),
    frozenset({"training"}): gettext_lazy("Trainings"),
    frozenset({"event"}): gettext_lazy("Events"),
    frozenset({"training", "event"}): gettext_lazy("Trainings and events"),
}
CATALOG_TITLE = gettext_lazy("Activities and training")


def catalog_title(preset: presets.Preset) -> Promise:
    return CATALOG_TITLES.get(frozenset(preset.offering_kinds), CATALOG_TITLE)


def signup_url(preset: presets.Preset) -> str:
    """Where « Créer un compte » leads: the member path where only members have accounts."""
    return reverse("dossiers:member_signup" if preset.member_signup_only else "account_signup")


def operator(request: HttpRequest) -> dict[str, Any]:
    """The active preset, for the header, the colours and the footer, and the words and
    links that follow it."""
    preset = presets.active()
    return {
        "operator": preset,
        "catalog_title": catalog_title(preset),
        # Not « signup_url »: allauth's login view names its own link so.
        "operator_signup_url": signup_url(preset),
    }
