"""Invoices get their own ``updated_at`` (the API's ``updated_since`` reads a payment or a
credit, not only the issue), filled from ``issued_at`` for the rows already there, and the
(updated_at, id) index its keyset pages on."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0004_drop_registration_and_option_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="invoice",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="changed on"),
        ),
        migrations.RunSQL(
            "UPDATE billing_invoice SET updated_at = issued_at",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="invoice",
            index=models.Index(fields=["updated_at", "id"], name="invoice_updated_keyset"),
        ),
    ]
