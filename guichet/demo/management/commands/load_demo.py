"""``manage.py load_demo``: the demo operator, ready to sign in. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from guichet import presets
from guichet.accounts.demo import DEMO_PASSWORD
from guichet.demo import loading

EML_BACKEND = "guichet.core.mail.EmlFileBackend"


class Command(BaseCommand):
    help = "Loads (or refreshes) the demo data: accounts that can sign in right away."

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = loading.load()
        operator = presets.active()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded for {operator.operator_name}.") + "\n"
        )
        self.stdout.write(self.accounts_table(loaded))
        self.stdout.write(f"\nPassword for every demo account: {DEMO_PASSWORD}")
        staff = ", ".join(account.email for spec, account in loaded.accounts if spec.is_staff)
        self.stdout.write(
            f"Staff ({staff}) must turn on two-factor authentication (an authenticator app "
            "or a passkey) at the first sign-in before reaching any other page."
        )
        self.stdout.write("\nDossiers to try (« Activez votre dossier »):")
        for label, value in loaded.dossier_lines:
            self.stdout.write(f"  - {label}: {value}")
        self.stdout.write(self.where_emails_go())

    def accounts_table(self, loaded: loading.Demo) -> str:
        rows = [("Email", "Name", "Role", "Password")]
        rows += [
            (account.email, account.get_full_name(), spec.role, DEMO_PASSWORD)
            for spec, account in loaded.accounts
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]

        def line(row: tuple[str, ...]) -> str:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            return "  ".join(cells).rstrip()

        rule = "  ".join("-" * width for width in widths)
        return "\n".join([line(rows[0]), rule, *(line(row) for row in rows[1:])])

    def where_emails_go(self) -> str:
        if settings.EMAIL_BACKEND == EML_BACKEND:
            return (
                "Emails (confirmation links, password resets...) are written as .eml files "
                f"in {settings.EMAIL_FILE_PATH}"  # type: ignore[misc]  # set by _email_settings
            )
        if settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
            return f"Emails are sent by SMTP through {settings.EMAIL_HOST}:{settings.EMAIL_PORT}."
        return f"Emails are handed to {settings.EMAIL_BACKEND}."
