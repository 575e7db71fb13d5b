"""Start-up checks: each app registers its own, and Django runs them all.

Core checks the deployment and the preset's name; accounts checks the password policy;
billing checks the card provider. Each runs through Django's registry (``run_checks``),
as ``manage.py check`` and every start-up do.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.checks import run_checks

from guichet import presets


def found(*ids: str) -> list[str]:
    return [message.id for message in run_checks() if message.id in ids]


def test_core_reports_an_unknown_preset_and_nothing_else_stumbles_on_it(settings):
    settings.GUICHET_PRESET = "nulle-part"
    assert found("guichet.E001", "guichet.E002") == ["guichet.E001"]


def test_accounts_refuses_a_preset_that_caps_passwords_below_64(settings, monkeypatch):
    demo = presets.by_name("demo")
    short = replace(demo, password_policy=replace(demo.password_policy, max_length=20))
    monkeypatch.setitem(presets.PRESETS, "demo", short)
    settings.GUICHET_PRESET = "demo"
    assert found("guichet.E002") == ["guichet.E002"]


@pytest.mark.parametrize(
    ("provider", "secret", "expected"),
    [
        ("moneris", "", ["guichet.E003"]),
        ("stripe", "", ["guichet.E004"]),
        ("stripe", "whsec_x", []),
        ("demo", "", []),
        ("", "", []),
    ],
)
def test_billing_refuses_an_unknown_or_unconfigured_card_provider(
    settings, provider, secret, expected
):
    settings.GUICHET_PAYMENT_PROVIDER = provider
    settings.GUICHET_STRIPE_SECRET_KEY = "sk_test_x"
    settings.GUICHET_STRIPE_WEBHOOK_SECRET = secret
    assert found("guichet.E003", "guichet.E004") == expected
