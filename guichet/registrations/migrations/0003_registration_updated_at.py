"""Registrations get their own ``updated_at`` (the API's ``updated_since`` reads changes,
not creation), filled from ``created_at`` for the rows already there, and the (updated_at,
id) index its keyset pages on."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0002_cart_line_companions"),
    ]

    operations = [
        migrations.AddField(
            model_name="registration",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="changed on"),
        ),
        migrations.RunSQL(
            "UPDATE registrations_registration SET updated_at = created_at",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["updated_at", "id"], name="registration_updated_keyset"),
        ),
    ]
