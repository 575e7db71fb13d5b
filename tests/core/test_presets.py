"""Presets: one typed place for what differs between deployments."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks

from guichet import presets


def test_every_guide_has_a_preset():
    assert set(presets.PRESETS) == {"demo", "comaq", "baie-comeau", "umq", "ccq", "caomsc"}


def test_demo_enables_every_feature_and_linking_method():
    demo = presets.by_name("demo")
    assert demo.features == presets.ALL_FEATURES
    assert set(demo.linking_methods) == set(presets.LinkingMethod)


def test_unknown_preset_name_is_refused():
    with pytest.raises(ValueError, match="choose one of"):
        presets.by_name("montreal")


def test_active_preset_follows_settings(settings):
    settings.GUICHET_PRESET = "baie-comeau"
    assert presets.active().operator_name == "Ville de Baie-Comeau"
    assert not presets.active().linking_requires_confirmation


def test_no_preset_caps_passwords_below_64():
    assert all(p.password_policy.max_length >= 64 for p in presets.PRESETS.values())


def test_system_check_reports_an_unknown_preset(settings):
    settings.GUICHET_PRESET = "nulle-part"
    errors = [m for m in run_checks() if m.id == "guichet.E001"]
    assert errors


def test_system_check_refuses_an_unknown_payment_provider_or_stripe_without_keys(settings):
    from guichet.billing.checks import check_payment_provider

    settings.GUICHET_PAYMENT_PROVIDER = "moneris"
    assert [e.id for e in check_payment_provider(None)] == ["guichet.E003"]
    settings.GUICHET_PAYMENT_PROVIDER = "stripe"
    settings.GUICHET_STRIPE_SECRET_KEY = "sk_test_x"
    settings.GUICHET_STRIPE_WEBHOOK_SECRET = ""
    assert [e.id for e in check_payment_provider(None)] == ["guichet.E004"]
    settings.GUICHET_STRIPE_WEBHOOK_SECRET = "whsec_x"
    assert check_payment_provider(None) == []


def test_each_catalog_names_the_kinds_of_offerings_it_holds():
    from guichet.catalog.models import OfferingKind

    for preset in presets.PRESETS.values():
        assert preset.offering_kinds <= set(OfferingKind.values), preset.slug
        assert bool(preset.offering_kinds) == preset.has(presets.Feature.CATALOG), preset.slug
