"""Billing knows sources, not registrations (3/3): the foreign keys to registrations and
catalog go; what they said is in ``source_*`` and ``reference`` (0003)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("billing", "0003_invoice_source_data")]

    operations = [
        migrations.RemoveField(model_name="invoice", name="registration"),
        migrations.RemoveField(model_name="invoiceline", name="option"),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["source_type", "source_id"], name="invoice_source"),
        ),
    ]
