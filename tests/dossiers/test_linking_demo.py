"""The demo has a dossier for each linking method, and loading it twice changes nothing."""

from __future__ import annotations

import pytest

from guichet.demo import loading as project_demo
from guichet.dossiers import demo
from guichet.dossiers.legacy import verify_legacy_password
from guichet.dossiers.models import Dossier, DossierLink, LinkRole

pytestmark = pytest.mark.django_db


def test_demo_dossiers_cover_each_method_and_marie_holds_her_family():
    loaded = project_demo.load()
    project_demo.load()

    assert ("Matricule CAOMSC (Sophie Côté)", "00875 — Côté — 1990/02/20 — G5C 1A1") in (
        loaded.dossier_lines
    )
    assert Dossier.objects.filter(number__in=["104523", "104601", "00875", "304677"]).count() == 4
    legacy = Dossier.objects.get(number="204650")
    assert verify_legacy_password(legacy.legacy_password_hash, demo.LEGACY_PASSWORD)
    marie = DossierLink.objects.filter(account__email="marie.tremblay@exemple.ca")
    assert sorted(marie.values_list("dossier__number", "role")) == [
        ("104523", LinkRole.HOLDER),
        ("104524", LinkRole.GUARDIAN),
        ("104525", LinkRole.GUARDIAN),
    ]
    assert not DossierLink.objects.filter(dossier__number__in=["104601", "00875"]).exists()


def test_reloading_restores_erased_legacy_credentials():
    demo.load()
    Dossier.objects.filter(number="204650").update(legacy_username="", legacy_password_hash="")
    demo.load()
    assert Dossier.objects.get(number="204650").legacy_username == demo.LEGACY_USERNAME
