"""A key made for one organization sees exactly what its account's « Mon organisation »
pages show for that organization: the relations of « Relations et autorisations » and
the invoices of « État de compte » (compared with the pages' own lists), never another
organization's, nor the account's own invoices; without the payments subject, no
invoice, as the page answers 404; such a key holds at most those two read scopes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from guichet.api import keys
from guichet.api.models import ApiKey
from guichet.billing.services.invoicing import DraftLine, Payer, issue_invoice
from guichet.core.roles import Role
from guichet.dossiers.models import DossierLink, LinkMethod, LinkRole
from guichet.organizations.models import RelationType
from tests.api.support import ApiClient, make_key
from tests.api.test_staff_pages import signed_in
from tests.billing.cast import plain_invoice
from tests.dossiers.factories import DossierFactory
from tests.factories import AccountFactory
from tests.organizations.cast import act_as, contact_with_account, organization, relate
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db
READ = ["organizations:read", "billing:read"]


def invoice_to(payer, amount="120.00"):
    return issue_invoice(
        payer=Payer(payer, None),
        lines=[DraftLine(description="Cotisation syndicale", unit_price=Decimal(amount))],
        actor=AccountFactory(is_staff=True),
        description="Cotisation syndicale",
    )


@pytest.fixture
def cast():
    """One responsible of two locals, each with a staff contact and invoices; the
    responsible also owes an invoice of their own."""
    mine, theirs = organization("Syndicat local 1234"), organization("Syndicat local 5678")
    boss, boss_file = contact_with_account()
    for local in (mine, theirs):
        relate(boss_file, local, RelationType.RESPONSIBLE, {"paiements": "write"})
        relate(DossierFactory(), local, RelationType.STAFF, {"profil": "read"})
    return {
        "mine": mine,
        "theirs": theirs,
        "boss": boss,
        "invoices": [invoice_to(mine), invoice_to(mine, "80.00"), invoice_to(theirs)],
        "own": plain_invoice(boss, boss_file),
    }


def api_ids(api, path):
    response = api.get(path, {"limit": 500})
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


def page_ids(account, organization, path):
    client = act_as(Client(), account, organization)
    response = client.get(path)
    assert response.status_code == 200
    return sorted(row.pk for row in response.context["page"].object_list)


def test_an_organizations_key_lists_what_its_pages_show(cast):
    mine, boss = cast["mine"], cast["boss"]
    api = ApiClient(make_key(boss, READ, organization=mine))
    relations = api_ids(api, f"/api/v1/organizations/{mine.pk}/relations/")
    assert relations == page_ids(boss, mine, "/organisation/relations/")
    assert len(relations) == 2
    invoices = api_ids(api, "/api/v1/invoices/")
    assert invoices == page_ids(boss, mine, "/organisation/etat-de-compte/")
    assert invoices == sorted(i.pk for i in cast["invoices"][:2])  # not theirs, not own
    assert [o["id"] for o in api.get("/api/v1/organizations/").json()["results"]] == [mine.pk]
    for path in (
        f"/api/v1/organizations/{cast['theirs'].pk}/",
        f"/api/v1/organizations/{cast['theirs'].pk}/relations/",
        f"/api/v1/invoices/{cast['invoices'][2].pk}/",
        f"/api/v1/invoices/{cast['own'].pk}/",
    ):
        assert api.get(path).status_code == 404, path
    # The same account's key for every profile sees both locals and its own invoice.
    everything = ApiClient(make_key(boss, READ))
    assert len(api_ids(everything, "/api/v1/invoices/")) == 4


def test_without_the_payments_subject_no_invoice_as_the_page_answers_404(cast):
    mine = cast["mine"]
    clerk, clerk_file = contact_with_account()
    relate(clerk_file, mine, RelationType.RESPONSIBLE, {"profil": "write"})
    assert act_as(Client(), clerk, mine).get("/organisation/etat-de-compte/").status_code == 404
    api = ApiClient(make_key(clerk, READ, organization=mine))
    assert api_ids(api, "/api/v1/invoices/") == []
    assert api_ids(api, "/api/v1/payments/") == []


def test_a_key_for_one_organization_holds_only_its_read_scopes(cast):
    with pytest.raises(keys.BadKeySettings):
        make_key(cast["boss"], ["organizations:read", "dossiers:read"], organization=cast["mine"])
    api = ApiClient(make_key(cast["boss"], READ, organization=cast["mine"]))
    for path in ("/api/v1/dossiers/", "/api/v1/registrations/", "/api/v1/memberships/"):
        assert api.get(path).status_code == 403, path


def test_a_staff_accounts_key_for_one_organization_is_not_a_staff_key(cast, staff):
    staff_file = DossierFactory(email=staff.email)
    DossierLink.objects.create(
        account=staff, dossier=staff_file, role=LinkRole.HOLDER, method=LinkMethod.STAFF
    )
    relate(staff_file, cast["mine"], RelationType.RESPONSIBLE, {"paiements": "read"})
    api = ApiClient(make_key(staff, READ, organization=cast["mine"]))
    assert api_ids(api, "/api/v1/invoices/") == sorted(i.pk for i in cast["invoices"][:2])
    assert [o["id"] for o in api.get("/api/v1/organizations/").json()["results"]] == [
        cast["mine"].pk
    ]


def test_staff_make_a_key_for_one_organization_on_their_page(client, cast, account):
    signed_in(client, Role.ADMINISTRATION)
    form = {
        "name": "Logiciel du local",
        "account": account.email,  # not a contact of the local
        "scopes": ["billing:read", "dossiers:read"],
        "organization": cast["mine"].number,
        "rate_per_minute": "60",
    }
    page = text_of(client.post("/api/personnel/cles/nouvelle/", form))
    assert "Ce compte n'est pas un contact de cette organisation." in page
    assert "Une clé pour une seule organisation ne peut que lire" in page
    assert f'value="{cast["mine"].number}"' in page and not ApiKey.objects.exists()
    form.update(account=cast["boss"].email, scopes=READ)
    response = client.post("/api/personnel/cles/nouvelle/", form)
    assert response.status_code == 200
    key = ApiKey.objects.get()
    assert (key.account, key.organization, key.scopes) == (cast["boss"], cast["mine"], sorted(READ))
    assert "pour Syndicat local 1234 seulement" in text_of(client.get("/api/personnel/"))
