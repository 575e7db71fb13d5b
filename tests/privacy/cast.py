"""Two families sharing a child, built through the real services.

Ana holds her file and guards Léa; Bruno, Léa's other guardian (a second family), holds
his own file. Each registered Léa to something, and Bruno registered himself: every value
of Ana's and Bruno's is distinctive, so an archive or a table is searched for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from guichet.dossiers.models import Function, Profile
from guichet.privacy.models import MailingList
from guichet.privacy.services import record_consents
from guichet.requests.models import Request, RequestKind
from tests.billing.cast import child_of, holder, invoiced
from tests.catalog.factories import OfferingFactory

ANA = {
    "first_name": "Zéphirine",
    "last_name": "Quintal-Oxford",
    "email": "zephirine.quintal@exemple.ca",
}
ANA_FILE = {
    "home_phone": "418 555-0177",
    "mobile_phone": "581 555-0166",
    "home_street": "77, rue des Hirondelles",
    "home_postal_code": "G4Z 9Z9",
}
ANA_ALLERGIES = "Arachides — réaction grave (Ana-7731)"
ANA_EMPLOYER = "Scierie Bélanger-Xu"
ANA_ANSWER = "Asthme sévère, pompe dans le sac (Léa-4410)"
ANA_REQUEST_TEXT = "Mon nom s'écrit Zéphirine Quintal-Oxford (requête 5521)"
ANA_DOCUMENT = "Résolution d'embauche Quintal 8812.pdf"
ANA_STAFF_MESSAGE = "Ajoutez le diplôme de Zéphirine (dossier 3307)"
BRUNO = {"first_name": "Barnabé", "last_name": "Wojcik-Tessier", "email": "barnabe.w@exemple.ca"}
BRUNO_ANSWER = "Note de Barnabé : épilepsie (9033)"


@dataclass
class Families:
    ana: Any
    ana_file: Any
    lea: Any
    bruno: Any
    bruno_file: Any
    ana_registration: Any
    ana_invoice: Any
    bruno_registration: Any
    bruno_invoice: Any
    bruno_own_invoice: Any


def two_families(password: str) -> Families:
    ana, ana_file = holder(password=password, **ANA)
    for name, value in ANA_FILE.items():
        setattr(ana_file, name, value)
    ana_file.save()
    bruno, bruno_file = holder(password=password, **BRUNO)
    lea = child_of(ana, bruno, first_name="Léa", last_name="Quintal-Wojcik")
    Profile.objects.create(dossier=ana_file, allergies=ANA_ALLERGIES)
    Function.objects.create(
        dossier=ana_file, title="Opératrice", employer=ANA_EMPLOYER, started_on="2020-01-06"
    )
    newsletter = MailingList.objects.create(name="Infolettre", wording="J'accepte l'infolettre.")
    record_consents(ana_file, {newsletter: True}, actor=ana)
    record_consents(bruno_file, {newsletter: True}, actor=bruno)

    ana_registration, ana_invoice = invoiced(
        ana, lea, title="Camp de jour Ana", non_member_price=Decimal("120.00")
    )
    ana_registration.answers = {"Santé": ANA_ANSWER}
    ana_registration.save(update_fields=["answers"])
    bruno_registration, bruno_invoice = invoiced(
        bruno, lea, title="Natation Bruno", non_member_price=Decimal("80.00")
    )
    bruno_registration.answers = {"Santé": BRUNO_ANSWER}
    bruno_registration.save(update_fields=["answers"])
    __, bruno_own_invoice = invoiced(bruno, bruno_file, OfferingFactory(title="Yoga Barnabé"))

    Request.objects.create(
        kind=RequestKind.DOSSIER_CHANGE,
        submitted_by=ana,
        dossier=ana_file,
        data={"last_name": "Quintal-Oxford", "comment": ANA_REQUEST_TEXT},
    )
    Request.objects.create(
        kind=RequestKind.DOSSIER_CHANGE,
        submitted_by=bruno,
        dossier=bruno_file,
        data={"comment": "Barnabé demande un changement"},
    )
    return Families(
        ana,
        ana_file,
        lea,
        bruno,
        bruno_file,
        ana_registration,
        ana_invoice,
        bruno_registration,
        bruno_invoice,
        bruno_own_invoice,
    )
