"""Billing knows sources, not registrations (2/3): ``Invoice.registration`` becomes a
source (the registration's content type and id), ``InvoiceLine.option`` a plain reference
the source reads back (« option:42 »). The data moves both ways: reversible."""

from django.db import migrations, models

OPTION = "option:"


def registration_type(apps, create):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if create:
        return ContentType.objects.get_or_create(app_label="registrations", model="registration")[0]
    return ContentType.objects.filter(app_label="registrations", model="registration").first()


def to_sources(apps, schema_editor):
    Invoice = apps.get_model("billing", "Invoice")
    InvoiceLine = apps.get_model("billing", "InvoiceLine")
    invoices = Invoice.objects.filter(registration__isnull=False)
    if invoices.exists():
        invoices.update(
            source_type=registration_type(apps, create=True), source_id=models.F("registration_id")
        )
    for line in InvoiceLine.objects.filter(option__isnull=False).only("pk", "option_id"):
        InvoiceLine.objects.filter(pk=line.pk).update(reference=f"{OPTION}{line.option_id}")


def to_foreign_keys(apps, schema_editor):
    Invoice = apps.get_model("billing", "Invoice")
    InvoiceLine = apps.get_model("billing", "InvoiceLine")
    Option = apps.get_model("catalog", "Option")
    content_type = registration_type(apps, create=False)
    if content_type is not None:
        Invoice.objects.filter(source_type=content_type).update(
            registration_id=models.F("source_id")
        )
    lines = InvoiceLine.objects.filter(reference__startswith=OPTION).only("pk", "reference")
    known = set(Option.objects.values_list("pk", flat=True))
    for line in lines:
        pk = line.reference[len(OPTION) :]
        if pk.isdigit() and int(pk) in known:
            InvoiceLine.objects.filter(pk=line.pk).update(option_id=int(pk))


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_invoice_source_columns")]

    operations = [migrations.RunPython(to_sources, to_foreign_keys, elidable=False)]
