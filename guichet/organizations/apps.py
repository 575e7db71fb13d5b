from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "guichet.organizations"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        # Models are ready only now.
        from guichet.core import shell
        from guichet.dossiers import grants as dossier_grants
        from guichet.dossiers.models import DossierLink
        from guichet.dossiers.services import linking
        from guichet.dossiers.services.importing import extra as importing
        from guichet.organizations import grants, header, linking_hook, sections, subjects
        from guichet.organizations import privacy as organizations_privacy
        from guichet.organizations.importing import RELATIONS_SHEET
        from guichet.privacy import registry as privacy

        dossier_grants.register_source(grants.subjects_held)
        dossier_grants.register_source(grants.relations_managed)
        linking.register_organization_linker(linking_hook.link_organization)
        importing.register_sheet(RELATIONS_SHEET)
        shell.register_menu(sections.ORGANIZATION_MENU)
        privacy.register(organizations_privacy.CONTRIBUTOR)
        post_migrate.connect(subjects.seed_after_migrate, sender=self)
        post_save.connect(header.on_link_saved, sender=DossierLink, dispatch_uid="orgs-header")
        user_logged_in.connect(header.on_login, dispatch_uid="orgs-header")
