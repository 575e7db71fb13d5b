"""« Mon dossier »: the signed-in person's space, its menu, and the page around each section.

Core knows no app. Each app registers the sections it owns from its ``AppConfig.ready``
(``register``): a key, a label, the URL name that serves it, its place in the menu, and
whether the operator's preset offers it (a ``Feature``, a predicate on the preset, or
both). The menu is built from what was registered, so a new domain adds its section
without touching core; a section the preset lacks is neither in the menu nor served
(``require_section`` answers 404, as if it did not exist).

A section's page extends ``core/shell/section.html`` with ``page_context(key, ...)``;
``render_empty`` is the honest empty state of a section whose content comes later.

Room for the organizations issue: sections belong to a ``Menu``, so « Mon organisation »
is a second menu registered the same way (``MENUS``), and the profile one acts as (oneself,
or an organization one acts for) has its slot in ``core/shell/section.html``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise

from guichet import presets
from guichet.presets import Feature, Preset


@dataclass(frozen=True)
class Section:
    """One entry of a menu, registered by the app that serves it."""

    key: str
    label: str | Promise  # gettext_lazy: read in the language of each request
    url_name: str
    order: int  # place in the menu; steps of 10 leave room for later sections
    feature: Feature | None = None  # offered only where the preset has it
    when: Callable[[Preset], bool] | None = None  # and only where this says so

    def offered_by(self, preset: Preset) -> bool:
        if self.feature is not None and not preset.has(self.feature):
            return False
        return self.when is None or self.when(preset)


@dataclass(frozen=True)
class MenuEntry:
    key: str
    label: str
    url: str
    current: bool


class Menu:
    """The sections of one menu, in their order, as the apps registered them."""

    def __init__(self) -> None:
        self._sections: dict[str, Section] = {}

    def register(self, *sections: Section) -> None:
        for section in sections:
            known = self._sections.get(section.key)
            if known is not None and known != section:
                raise ImproperlyConfigured(f"Two sections of a menu are named {section.key!r}.")
            self._sections[section.key] = section

    def __contains__(self, key: str) -> bool:
        return key in self._sections

    def section(self, key: str) -> Section:
        return self._sections[key]

    def offered(self, key: str) -> bool:
        """Whether the active preset has this section."""
        return self._sections[key].offered_by(presets.active())

    def entries(self, current: str) -> list[MenuEntry]:
        preset = presets.active()
        shown = [section for section in self._sections.values() if section.offered_by(preset)]
        return [
            MenuEntry(
                section.key,
                str(section.label),
                section_url(section.url_name),
                section.key == current,
            )
            for section in sorted(shown, key=lambda section: section.order)
        ]


# A section's URL is the same for every request of a deployment: reversed once per URL
# configuration and script prefix, not on every page of « Mon dossier ».
_URLS: dict[tuple[str, str, str], str] = {}


def section_url(url_name: str) -> str:
    key = (url_name, get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF))
    url = _URLS.get(key)
    if url is None:
        url = _URLS[key] = reverse(url_name)
    return url


@receiver(setting_changed)
def _forget_urls(**kwargs: Any) -> None:  # tests that change the URL configuration
    _URLS.clear()


# « Mon dossier »; an app adds another menu (« Mon organisation ») with ``register_menu``.
FILE_MENU = Menu()
MENUS: list[Menu] = [FILE_MENU]


def register_menu(menu: Menu) -> None:
    """Add an app's own menu (from its ``AppConfig.ready``); registering twice adds it once."""
    if menu not in MENUS:
        MENUS.append(menu)


def register(*sections: Section) -> None:
    """Add an app's sections to « Mon dossier » (from its ``AppConfig.ready``)."""
    FILE_MENU.register(*sections)


def menu_of(key: str) -> Menu:
    for candidate in MENUS:
        if key in candidate:
            return candidate
    raise KeyError(f"No app registered a section named {key!r}.")


def offered(key: str) -> bool:
    """Whether the active preset has this section of « Mon dossier »."""
    return menu_of(key).offered(key)


def require_section(key: str) -> None:
    """404 for a section the operator does not offer, as if it did not exist."""
    if not offered(key):
        raise Http404


def menu(current: str) -> list[MenuEntry]:
    """The menu the section ``current`` belongs to, with ``current`` marked."""
    return menu_of(current).entries(current)


def page_context(section: str, **extra: Any) -> dict[str, Any]:
    """What ``core/shell/section.html`` needs: the menu, the section, its title."""
    label = menu_of(section).section(section).label
    return {"menu": menu(section), "section": section, "title": label, **extra}


def render_empty(
    request: HttpRequest,
    section: str,
    *,
    message: str | Promise,
    explanation: str | Promise,
    **extra: Any,
) -> HttpResponse:
    """The honest empty state of a section whose content arrives later: what will appear
    here, rather than a blank page or a link that leads nowhere."""
    context = page_context(section, message=message, explanation=explanation, **extra)
    return render(request, "core/shell/empty.html", context)
