"""The Django admin's groups, with each permission named in the page's language.

Django stores a permission's name once, in English, when the tables are made (« Can add
offering »). The group's page lists the permissions as check boxes, each labelled in the
page's language from the model's translated names (« Catalogue | offres | ajouter »);
Django's two-list widget is not used: its icons carry an ``aria-label`` that axe refuses.
Staff rights themselves are roles (docs/backoffice.md); groups matter only in the admin.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import ManyToManyField
from django.http import HttpRequest
from django.utils.translation import gettext, pgettext_lazy

ACTIONS = {
    "add": pgettext_lazy("permission", "add"),
    "change": pgettext_lazy("permission", "change"),
    "delete": pgettext_lazy("permission", "delete"),
    "view": pgettext_lazy("permission", "view"),
}


def permission_label(permission: Permission) -> str:
    """« Catalogue | offres | ajouter »: the app, the model and the action, translated."""
    content_type = permission.content_type
    model = content_type.model_class()
    if model is None:  # a table that no longer exists
        return str(permission)
    action, _, rest = permission.codename.partition("_")
    what = ACTIONS[action] if action in ACTIONS and rest == model._meta.model_name else None
    return " | ".join(
        str(part)
        for part in (
            model._meta.app_config.verbose_name,
            model._meta.verbose_name_plural,
            what if what is not None else gettext(permission.name),
        )
    )


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return permission_label(obj)


class GroupAdmin(DjangoGroupAdmin):
    filter_horizontal = ()

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField | None:
        if db_field.name == "permissions":
            kwargs["form_class"] = PermissionChoiceField
            kwargs["queryset"] = Permission.objects.select_related("content_type")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


admin.site.unregister(Group)
admin.site.register(Group, GroupAdmin)
