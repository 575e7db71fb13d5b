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
from tests.memberships.cast import member_types

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


@pytest.mark.parametrize("slug", sorted(presets.PRESETS))
def test_the_header_offers_the_participant_file_where_the_preset_does(client, settings, slug):
    """COMAQ's top bar: « Créer un dossier de participant » (guide 000), only where the
    operator lets people open their own file."""
    settings.GUICHET_PRESET = slug
    html = client.get("/").content.decode()
    link = f'href="{reverse("memberships:participant", args=[1])}"'
    header = html.split("</header>")[0]
    assert (link in header) == presets.by_name(slug).self_service_files
    assert ("Créer un dossier de participant" in header) == presets.by_name(slug).self_service_files


def test_a_participant_reads_the_member_types_under_the_guides_words(client, settings):
    settings.GUICHET_PRESET = "comaq"
    member_types()
    account, _dossier = holder()
    client.force_login(account)
    html = client.get(reverse("memberships:standing")).content.decode()
    assert "Cliquez ici pour connaître les avantages de devenir membre !" in html
    assert "Membre retraité" in html and "95,00 $" in html
