"""``manage.py load_demo``: a demo operator whose people can sign in, loaded idempotently."""

from __future__ import annotations

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from guichet.accounts import lockout
from guichet.accounts.models import Account
from guichet.core.demo import DEMO_PASSWORD

STAFF = "admin@valdeserables.exemple.ca"
PEOPLE = {
    "marie.tremblay@exemple.ca",
    "jean-francois.gagnon@exemple.ca",
    "sophie.cote@exemple.ca",
    "luc.bouchard@exemple.ca",
}


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_running_twice_creates_each_account_and_address_once():
    load_demo()
    load_demo()

    assert Account.objects.count() == 5
    assert set(Account.objects.values_list("email", flat=True)) == {STAFF, *PEOPLE}
    assert list(Account.objects.filter(is_staff=True).values_list("email", flat=True)) == [STAFF]
    assert Account.objects.filter(is_superuser=True).count() == 1
    assert EmailAddress.objects.count() == 5
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == 5


@pytest.mark.django_db
def test_every_demo_account_is_confirmed_with_the_published_password():
    load_demo()

    for account in Account.objects.all():
        assert account.check_password(DEMO_PASSWORD), account.email
        assert account.is_active
        assert account.terms_accepted_at is not None
        assert account.first_name and account.last_name
        address = EmailAddress.objects.get(user=account)
        assert (address.email, address.primary, address.verified) == (account.email, True, True)
    assert Account.objects.get(email="jean-francois.gagnon@exemple.ca").first_name == (
        "Jean-François"
    )


@pytest.mark.django_db
def test_running_again_restores_the_password_and_lifts_a_lockout(settings):
    load_demo()
    marie = Account.objects.get(email="marie.tremblay@exemple.ca")
    marie.set_password("Un autre mot de passe bien long")
    marie.save()
    for _attempt in range(settings.GUICHET_LOCKOUT_THRESHOLD):
        lockout.register_failure(marie.email)
    assert lockout.locked_until(marie.email) is not None

    load_demo()

    marie.refresh_from_db()
    assert marie.check_password(DEMO_PASSWORD)
    assert lockout.locked_until(marie.email) is None
    assert Account.objects.count() == 5


@pytest.mark.django_db
def test_a_demo_person_signs_in_with_the_published_password():
    load_demo()

    response = Client().post(
        reverse("account_login"),
        {"login": "sophie.cote@exemple.ca", "password": DEMO_PASSWORD},
    )

    assert response.status_code == 302
    assert response.url == reverse("dossiers:home")


@pytest.mark.django_db
def test_summary_lists_accounts_password_two_factor_and_mailbox(settings, tmp_path):
    settings.EMAIL_BACKEND = "guichet.core.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")

    out = load_demo()

    for email in {STAFF, *PEOPLE}:
        assert email in out
    assert "Marie Tremblay" in out
    assert DEMO_PASSWORD in out
    assert "two-factor authentication" in out
    assert str(tmp_path / "mail") in out
