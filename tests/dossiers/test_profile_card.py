"""« Ma fiche »: allergies, expertise, orders, LinkedIn, photo and directory opt-in."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from guichet.audit.models import Action, AuditEvent
from guichet.dossiers.models import LinkRole, Profile
from tests.dossiers.factories import ChildDossierFactory, DossierLinkFactory
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

MIDDLEWARE_QUERIES = 7


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def link(client):
    link = DossierLinkFactory()
    client.force_login(link.account)
    return link


def png_upload(width: int = 1600, height: int = 1200) -> SimpleUploadedFile:
    """A PNG carrying metadata that must not survive (a text chunk and EXIF)."""
    image = Image.new("RGBA", (width, height), (200, 30, 30, 255))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Geneviève Lavoie, 45 rue des Érables")
    exif = Image.Exif()
    exif[0x010F] = "Appareil secret"  # Make
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info, exif=exif)
    return SimpleUploadedFile("moi.png", buffer.getvalue(), content_type="image/png")


def card_data(**changes):
    data = {
        "allergies": "",
        "expertise": "",
        "professional_orders": "",
        "linkedin_url": "",
    }
    data.update(changes)
    return data


def test_directory_is_off_by_default_and_profile_created_on_first_save(client, link):
    assert not Profile.objects.filter(dossier=link.dossier).exists()
    html = text_of(client.get(reverse("dossiers:card")))
    assert "Afficher mon profil dans le répertoire des membres" in html
    assert "checked" not in html.split('name="in_directory"')[1].split(">")[0]
    response = client.post(
        reverse("dossiers:card"),
        card_data(
            allergies="Arachides",
            expertise="Gestion documentaire",
            professional_orders="COMAQ",
            linkedin_url="https://www.linkedin.com/in/genevieve-lavoie",
        ),
    )
    assert response.status_code == 302
    profile = Profile.objects.get(dossier=link.dossier)
    assert profile.allergies == "Arachides"
    assert profile.linkedin_url == "https://www.linkedin.com/in/genevieve-lavoie"
    assert profile.in_directory is False


def test_opting_in_to_the_directory_is_audited(client, link):
    client.post(reverse("dossiers:card"), card_data(in_directory="on"))
    assert Profile.objects.get(dossier=link.dossier).in_directory is True
    event = AuditEvent.objects.get(action=Action.PROFILE_CHANGED)
    assert event.data["before"] == {"in_directory": False}
    assert event.data["after"] == {"in_directory": True}


@pytest.mark.parametrize(
    "url",
    [
        "https://www.facebook.com/in/moi",
        "http://www.linkedin.com/in/moi",
        "https://linkedin.com/company/x",
    ],
)
def test_linkedin_url_must_be_a_linkedin_profile(client, link, url):
    response = client.post(
        reverse("dossiers:card"), card_data(linkedin_url=url, allergies="Lactose")
    )
    assert response.status_code == 200
    html = text_of(response)
    assert "Entrez le lien de votre profil LinkedIn" in html
    assert f'value="{url}"' in html and "Lactose" in html
    assert not Profile.objects.filter(dossier=link.dossier).exists()


def test_linkedin_url_without_www_is_accepted(client, link):
    client.post(reverse("dossiers:card"), card_data(linkedin_url="https://linkedin.com/in/moi"))
    assert Profile.objects.get(dossier=link.dossier).linkedin_url == "https://linkedin.com/in/moi"


def test_photo_is_resized_reencoded_as_jpeg_and_stripped_of_metadata(client, link):
    response = client.post(reverse("dossiers:card"), {**card_data(), "photo": png_upload()})
    assert response.status_code == 302
    profile = Profile.objects.get(dossier=link.dossier)
    with profile.photo.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        stored.load()
    assert stored.format == "JPEG"
    assert stored.size == (600, 450)
    assert not stored.getexif()
    assert "exif" not in stored.info and "Author" not in stored.info
    event = AuditEvent.objects.get(action=Action.PROFILE_CHANGED)
    assert event.data["after"] == {"photo": "new"}


def test_a_file_that_is_not_an_image_is_refused(client, link):
    fake = SimpleUploadedFile("moi.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = client.post(
        reverse("dossiers:card"), {**card_data(expertise="Archives"), "photo": fake}
    )
    assert response.status_code == 200
    html = text_of(response)
    assert "Téléversez une image valide" in html
    assert "Archives" in html
    assert not Profile.objects.filter(dossier=link.dossier).exists()


def test_replacing_the_photo_deletes_the_old_file(client, link, django_capture_on_commit_callbacks):
    client.post(reverse("dossiers:card"), {**card_data(), "photo": png_upload()})
    old = Profile.objects.get(dossier=link.dossier).photo
    old_name, storage = old.name, old.storage
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dossiers:card"), {**card_data(), "photo": png_upload(300, 300)})
    new = Profile.objects.get(dossier=link.dossier).photo
    assert new.name != old_name
    assert storage.exists(new.name) and not storage.exists(old_name)


def test_photo_is_served_to_its_owner_only_through_the_checked_view(client, link):
    client.post(reverse("dossiers:card"), {**card_data(), "photo": png_upload()})
    url = reverse("dossiers:photo", args=[link.dossier.pk])
    assert url in text_of(client.get(reverse("dossiers:card")))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_another_accounts_photo_is_a_404(client, link, outsider):
    client.post(reverse("dossiers:card"), {**card_data(), "photo": png_upload()})
    client.force_login(outsider)
    assert client.get(reverse("dossiers:photo", args=[link.dossier.pk])).status_code == 404


def test_a_guardian_sees_the_childs_photo_but_not_a_strangers(client, account):
    child = ChildDossierFactory()
    DossierLinkFactory(account=account, dossier=child, role=LinkRole.GUARDIAN)
    Profile.objects.create(dossier=child, photo="photos/enfant.jpg")
    client.force_login(account)
    # Linked but the file is missing on disk: still a clean 404, never a 500.
    assert client.get(reverse("dossiers:photo", args=[child.pk])).status_code == 404
    stranger = ChildDossierFactory()
    assert client.get(reverse("dossiers:photo", args=[stranger.pk])).status_code == 404


def test_photo_view_requires_sign_in(client, link):
    client.logout()
    response = client.get(reverse("dossiers:photo", args=[link.dossier.pk]))
    assert response.status_code == 302


def test_removing_the_photo(client, link):
    client.post(reverse("dossiers:card"), {**card_data(), "photo": png_upload()})
    client.post(reverse("dossiers:card"), card_data(remove_photo="on"))
    assert not Profile.objects.get(dossier=link.dossier).photo
    assert client.get(reverse("dossiers:photo", args=[link.dossier.pk])).status_code == 404


def test_page_query_count(client, link, django_assert_max_num_queries):
    client.post(reverse("dossiers:card"), card_data(allergies="Gluten"))
    with django_assert_max_num_queries(MIDDLEWARE_QUERIES + 2):
        response = client.get(reverse("dossiers:card"))
    assert response.status_code == 200
