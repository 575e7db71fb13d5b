"""Every preset is its own operator: a member going through « Mon dossier » finds the
members directory where the preset has it (CAOMSC too, which has no « Titre et
attestations » to link it from), and no link leads to a page the preset lacks."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet import presets
from guichet.presets import Feature
from tests.billing.cast import holder

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="(/[^"#]*)"')
# Links that are not pages of the member's space: files, the sign-out, language.
SKIPPED = ("/static/", "/media/", "/comptes/deconnexion", "/accounts/logout")


def links(html: str) -> set[str]:
    return {href.replace("&amp;", "&") for href in LINK.findall(html)}


@pytest.mark.parametrize("slug", sorted(presets.PRESETS))
def test_mon_dossier_links_the_directory_only_where_the_preset_has_it(client, settings, slug):
    settings.GUICHET_PRESET = slug
    preset = presets.by_name(slug)
    account, dossier = holder()
    dossier.member_until = timezone.localdate() + timedelta(days=200)
    dossier.save(update_fields=["member_until"])
    client.force_login(account)

    home = client.get(reverse("dossiers:home"))
    assert home.status_code == 200
    pages = {reverse("dossiers:home")} | {
        href for href in links(home.content.decode()) if href.startswith("/mon-dossier/")
    }
    if preset.has(Feature.MEMBERSHIPS):
        pages.add(reverse("memberships:standing"))
    seen: dict[str, int] = {}
    found: set[str] = set()
    for page in sorted(pages):
        response = client.get(page)
        seen[page] = response.status_code
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            found |= links(response.content.decode())
    for href in sorted(found - set(seen)):
        if href.startswith(SKIPPED):
            continue
        seen[href] = client.get(href).status_code

    missing = {href: status for href, status in seen.items() if status == 404}
    assert not missing, f"{slug}: links to pages it lacks: {missing}"
    directory = reverse("credentials:directory")
    has_directory = preset.has(Feature.DIRECTORY) and preset.has(Feature.MEMBERSHIPS)
    assert (directory in found) == has_directory, slug
    if has_directory:
        assert seen[directory] == 200
