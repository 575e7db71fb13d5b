"""Billing knows sources, not registrations (1/3): the new columns. ``Invoice.source_*``
replaces the foreign key to registrations, ``InvoiceLine.reference`` the one to catalog's
options (moved in 0003, dropped in 0004; three steps so PostgreSQL never alters a table
with rows updated in the same transaction)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="invoice",
            name="source_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="invoice",
            name="source_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="invoiceline",
            name="reference",
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
