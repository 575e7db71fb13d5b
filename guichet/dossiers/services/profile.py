"""« Mon dossier »: the person changes their own information, card, functions and interests.

Every change is one service call that writes an audit row holding only the fields that
changed, before and after, so the person and staff can read exactly what moved.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

from guichet import presets
from guichet.accounts.types import Actor
from guichet.audit.models import Action, Right
from guichet.audit.services import record
from guichet.dossiers.models import AddressKind, Dossier, Function, Interest, Profile
from guichet.presets import RequiredInformation

# The fields « Mes informations » may change; names and birth date are locked.
INFORMATION_FIELDS = (
    "home_street",
    "home_city",
    "home_province",
    "home_postal_code",
    "work_employer",
    "work_street",
    "work_city",
    "work_province",
    "work_postal_code",
    "main_address",
    "home_phone",
    "mobile_phone",
    "work_phone",
    "language",
)
ADDRESS_FIELDS: dict[str, tuple[str, ...]] = {
    AddressKind.HOME: ("home_street", "home_city", "home_postal_code"),
    AddressKind.WORK: ("work_street", "work_city", "work_postal_code"),
}
PHONE_FIELDS = ("home_phone", "mobile_phone", "work_phone")
HOME_ADDRESS_NEEDED = gettext_lazy("Required: we need your home address.")
MAIN_ADDRESS_NEEDED = gettext_lazy("Required: this is your main address.")
PHONE_NEEDED = gettext_lazy("Enter at least one phone number.")
CARD_FIELDS = ("allergies", "expertise", "professional_orders", "linkedin_url", "in_directory")
PHOTO_MAX_SIZE = (600, 600)


def _diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Only the fields whose value changed, as {"before": {...}, "after": {...}}."""
    changed = [name for name in after if before.get(name) != after[name]]
    return {
        "before": {name: before.get(name) for name in changed},
        "after": {name: after[name] for name in changed},
    }


def _record_change(
    diff: dict[str, dict[str, Any]],
    dossier: Dossier,
    *,
    actor: Actor | None,
    right: Right,
    request: HttpRequest | None,
    section: str,
) -> None:
    record(
        Action.PROFILE_CHANGED,
        actor=actor,
        subject=actor,
        dossier=dossier,
        right=right,
        request=request,
        data={"section": section, **diff},
    )


class IncompleteInformation(ValueError):
    """The change would empty what the operator needs; ``missing`` maps each field to why."""

    def __init__(self, missing: dict[str, Promise]) -> None:
        super().__init__(f"Needed by the operator: {sorted(missing)}")
        self.missing = missing


def required_fields(main_address: str) -> dict[str, Promise]:
    """The address fields the active preset needs filled, with the reason for each."""
    needs = presets.active().required_information
    fields: dict[str, Promise] = {}
    if RequiredInformation.HOME_ADDRESS in needs:
        fields.update(dict.fromkeys(ADDRESS_FIELDS[AddressKind.HOME], HOME_ADDRESS_NEEDED))
    if RequiredInformation.MAIN_ADDRESS in needs:
        main = ADDRESS_FIELDS.get(main_address, ADDRESS_FIELDS[AddressKind.HOME])
        for name in main:
            fields.setdefault(name, MAIN_ADDRESS_NEEDED)
    return fields


def phone_required() -> bool:
    return RequiredInformation.PHONE in presets.active().required_information


def missing_information(values: Mapping[str, Any]) -> dict[str, Promise]:
    """What the operator needs that ``values`` (a dossier's information) leaves empty; a
    missing phone is reported on the first phone field."""
    main_address = values.get("main_address") or AddressKind.HOME
    missing = {
        name: reason
        for name, reason in required_fields(main_address).items()
        if not str(values.get(name) or "").strip()
    }
    if phone_required() and not any(values.get(name) for name in PHONE_FIELDS):
        missing[PHONE_FIELDS[0]] = PHONE_NEEDED
    return missing


@transaction.atomic
def update_information(
    dossier: Dossier,
    changes: Mapping[str, Any],
    *,
    actor: Actor,
    right: Right = Right.SELF,
    request: HttpRequest | None = None,
) -> list[str]:
    """Saves addresses, phones and language; returns the names of the fields changed.
    Refuses (:class:`IncompleteInformation`) a result that lacks what the operator needs."""
    unknown = set(changes) - set(INFORMATION_FIELDS)
    if unknown:
        raise ValueError(f"Not editable in « Mes informations »: {sorted(unknown)}")
    after = {name: getattr(dossier, name) for name in INFORMATION_FIELDS} | dict(changes)
    if missing := missing_information(after):
        raise IncompleteInformation(missing)
    before = {name: getattr(dossier, name) for name in changes}
    diff = _diff(before, changes)
    if not diff["after"]:
        return []
    for name, value in diff["after"].items():
        setattr(dossier, name, value)
    dossier.save(update_fields=[*diff["after"], "updated_at"])
    _record_change(diff, dossier, actor=actor, right=right, request=request, section="information")
    return list(diff["after"])


def reencode_photo(upload: UploadedFile) -> ContentFile[bytes]:
    """A clean JPEG of at most 600 x 600: turned upright, without any metadata.

    Re-encoding from the pixels alone drops EXIF (GPS position, camera), ICC and text
    chunks, and anything hidden after the image data.
    """
    upload.seek(0)
    with Image.open(upload) as original:
        upright = ImageOps.exif_transpose(original)
        upright.thumbnail(PHOTO_MAX_SIZE)
        if upright.mode in ("RGBA", "LA", "P"):
            rgba = upright.convert("RGBA")
            pixels = Image.new("RGB", rgba.size, (255, 255, 255))
            pixels.paste(rgba, mask=rgba.getchannel("A"))
        else:
            pixels = Image.new("RGB", upright.size)
            pixels.paste(upright.convert("RGB"))
    out = io.BytesIO()
    pixels.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name="photo.jpg")


@transaction.atomic
def update_card(
    dossier: Dossier,
    changes: Mapping[str, Any],
    *,
    photo: UploadedFile | None = None,
    remove_photo: bool = False,
    actor: Actor | None,
    right: Right = Right.SELF,
    request: HttpRequest | None = None,
) -> Profile:
    """Saves « Ma fiche »; the profile row is created on the first save."""
    unknown = set(changes) - set(CARD_FIELDS)
    if unknown:
        raise ValueError(f"Not editable in « Ma fiche »: {sorted(unknown)}")
    profile, _created = Profile.objects.select_for_update().get_or_create(dossier=dossier)
    before: dict[str, Any] = {name: getattr(profile, name) for name in changes}
    after: dict[str, Any] = dict(changes)
    for name, value in changes.items():
        setattr(profile, name, value)
    old_photo = profile.photo.name if profile.photo else ""
    if photo is not None:
        profile.photo.save("photo.jpg", reencode_photo(photo), save=False)
        before["photo"], after["photo"] = bool(old_photo), "new"
    elif remove_photo and old_photo:
        profile.photo = ""
        before["photo"], after["photo"] = True, False
    profile.save()
    if old_photo and profile.photo.name != old_photo:
        storage = profile.photo.storage
        # Only once the new state is committed: a rollback keeps the old photo.
        transaction.on_commit(lambda: storage.delete(old_photo))
    diff = _diff(before, after)
    if diff["after"]:
        _record_change(diff, dossier, actor=actor, right=right, request=request, section="card")
    return profile


@transaction.atomic
def set_interests(
    dossier: Dossier,
    interests: Iterable[Interest],
    *,
    actor: Actor,
    right: Right = Right.SELF,
    request: HttpRequest | None = None,
) -> Profile:
    profile, _created = Profile.objects.get_or_create(dossier=dossier)
    chosen = sorted({interest.name for interest in interests})
    before = sorted(profile.interests.values_list("name", flat=True))
    if chosen != before:
        profile.interests.set(list(interests))
        _record_change(
            {"before": {"interests": before}, "after": {"interests": chosen}},
            dossier,
            actor=actor,
            right=right,
            request=request,
            section="interests",
        )
    return profile


def _function_data(function: Function) -> dict[str, Any]:
    return {
        "title": function.title,
        "employer": function.employer,
        "started_on": function.started_on.isoformat(),
        "ended_on": function.ended_on.isoformat() if function.ended_on else None,
    }


@transaction.atomic
def add_function(
    dossier: Dossier,
    *,
    title: str,
    employer: str,
    street: str,
    city: str,
    province: str,
    postal_code: str,
    started_on: date,
    ended_on: date | None = None,
    actor: Actor | None,
    right: Right = Right.SELF,
    request: HttpRequest | None = None,
) -> Function:
    """Adds a function. A current one (no end date) makes its employer's address the
    dossier's work address and the main address, as the COMAQ guide says."""
    function = Function.objects.create(
        dossier=dossier,
        title=title,
        employer=employer,
        street=street,
        city=city,
        province=province,
        postal_code=postal_code,
        started_on=started_on,
        ended_on=ended_on,
    )
    diff: dict[str, dict[str, Any]] = {"before": {}, "after": {}}
    if ended_on is None:
        address = {
            "work_employer": employer,
            "work_street": street,
            "work_city": city,
            "work_province": province,
            "work_postal_code": postal_code,
            "main_address": AddressKind.WORK.value,
        }
        diff = _diff({name: getattr(dossier, name) for name in address}, address)
        for name, value in diff["after"].items():
            setattr(dossier, name, value)
        if diff["after"]:
            dossier.save(update_fields=[*diff["after"], "updated_at"])
    record(
        Action.PROFILE_CHANGED,
        actor=actor,
        subject=actor,
        dossier=dossier,
        right=right,
        request=request,
        data={"section": "functions", "function_added": _function_data(function), **diff},
    )
    return function


@transaction.atomic
def end_function(
    function: Function,
    *,
    ended_on: date,
    actor: Actor,
    right: Right = Right.SELF,
    request: HttpRequest | None = None,
) -> Function:
    if ended_on < function.started_on:
        raise ValueError("A function cannot end before it starts.")
    before = function.ended_on.isoformat() if function.ended_on else None
    function.ended_on = ended_on
    function.save(update_fields=["ended_on"])
    record(
        Action.PROFILE_CHANGED,
        actor=actor,
        subject=actor,
        dossier=function.dossier,
        right=right,
        request=request,
        data={
            "section": "functions",
            "function": f"{function.title}, {function.employer}",
            "before": {"ended_on": before},
            "after": {"ended_on": ended_on.isoformat()},
        },
    )
    return function
