"""The registration pages ask the questions and options once per participant chosen."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guichet.catalog.models import Question, QuestionKind
from guichet.registrations.models import Registration
from tests.registrations.engine_support import add_child, make_offering, make_option, make_person
from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


def camp_with_questions():
    """A day camp asking a T-shirt size (required), allergies (free text) and a lunch option."""
    offering = make_offering(title="Camp de jour")
    size = Question.objects.create(
        offering=offering,
        label="Taille du chandail",
        kind=QuestionKind.CHOICE,
        choices=["P", "M", "G"],
        required=True,
    )
    allergies = Question.objects.create(offering=offering, label="Allergies", position=1)
    lunch = make_option(offering, name="Dîner chaud", capacity=10, max_per_registration=5)
    return offering, size, allergies, lunch


def guardian_with_two_children():
    guardian, _ = make_person()
    lea = add_child(guardian, first_name="Léa", last_name="Gagnon")
    noe = add_child(guardian, first_name="Noé", last_name="Gagnon")
    return guardian, lea, noe


def field(dossier, name: str) -> str:
    return f"p{dossier.pk}-{name}"


def choose(client, url: str, *dossiers) -> None:
    response = client.post(url, {"step": "who", "participants": [d.pk for d in dossiers]})
    assert response.url.endswith("?step=details")


def fieldset_of(page: str, legend: str) -> str:
    """The HTML of the fieldset whose legend is ``legend``."""
    for block in re.findall(r"<fieldset.*?</fieldset>", page, flags=re.S):
        if f"<legend>{legend}</legend>" in block:
            return block
    raise AssertionError(f"no fieldset « {legend} »")


def section_of(page: str, dossier) -> str:
    """The review's section about one participant."""
    start = page.index(f'<h2 id="participant-{dossier.pk}"')
    return page[start : page.index("</section>", start)]


def test_two_children_get_their_own_answers_and_options(client):
    guardian, lea, noe = guardian_with_two_children()
    offering, size, allergies, lunch = camp_with_questions()
    client.force_login(guardian)
    url = reverse("registrations:start", args=[offering.slug])
    choose(client, url, lea, noe)
    response = client.post(
        url,
        {
            "step": "details",
            field(lea, f"q{size.pk}"): "P",
            field(lea, f"q{allergies.pk}"): "Arachides",
            field(lea, f"o{lunch.pk}"): "2",
            field(noe, f"q{size.pk}"): "G",
            field(noe, f"o{lunch.pk}"): "0",
        },
    )
    assert response.url.endswith("?step=review")
    review = client.get(url + "?step=review")
    page = text_of(review)
    lea_part, noe_part = section_of(page, lea), section_of(page, noe)
    assert "Arachides" in lea_part and "Dîner chaud" in lea_part and "<dd>P</dd>" in lea_part
    assert "Arachides" not in noe_part and "Dîner chaud" not in noe_part
    assert "<dd>G</dd>" in noe_part
    key = review.context["form"].initial["key"]
    client.post(url, {"step": "review", "key": str(key)})
    lea_registration = Registration.objects.get(participant=lea)
    noe_registration = Registration.objects.get(participant=noe)
    assert lea_registration.answers == {"Taille du chandail": "P", "Allergies": "Arachides"}
    assert noe_registration.answers == {"Taille du chandail": "G", "Allergies": ""}
    assert [(o.option, o.quantity) for o in lea_registration.option_lines.all()] == [(lunch, 2)]
    assert not noe_registration.option_lines.exists()
    lunch.refresh_from_db()
    assert lunch.taken == 2


def test_each_participant_names_their_own_companions(client):
    guardian, lea, noe = guardian_with_two_children()
    offering = make_offering(kind="event", title="Gala")
    companion = make_option(offering, name="Accompagnateur", kind="companion", capacity=10)
    client.force_login(guardian)
    url = reverse("registrations:start", args=[offering.slug])
    choose(client, url, lea, noe)
    client.post(
        url,
        {
            "step": "details",
            field(lea, f"o{companion.pk}"): "1",
            field(lea, f"c{companion.pk}"): "Rita Gagnon",
            field(noe, f"o{companion.pk}"): "1",
            field(noe, f"c{companion.pk}"): "Paul Gagnon",
        },
    )
    review = client.get(url + "?step=review")
    assert "Rita Gagnon" in text_of(review) and "Paul Gagnon" in text_of(review)
    client.post(url, {"step": "review", "key": str(review.context["form"].initial["key"])})
    names = {
        r.participant_id: [o.companion_name for o in r.option_lines.all()]
        for r in Registration.objects.all()
    }
    assert names == {lea.pk: ["Rita Gagnon"], noe.pk: ["Paul Gagnon"]}


def test_one_fieldset_per_participant_with_unique_ids(client):
    guardian, lea, noe = guardian_with_two_children()
    offering, size, _, lunch = camp_with_questions()
    client.force_login(guardian)
    url = reverse("registrations:start", args=[offering.slug])
    choose(client, url, lea, noe)
    page = text_of(client.get(url + "?step=details"))
    for child in (lea, noe):
        block = fieldset_of(page, child.display_name)
        assert f'id="id_{field(child, f"q{size.pk}")}"' in block
        assert f'for="id_{field(child, f"o{lunch.pk}")}"' in block
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_an_error_shows_beside_the_right_participants_field_and_keeps_what_was_typed(client):
    guardian, lea, noe = guardian_with_two_children()
    offering, size, allergies, lunch = camp_with_questions()
    client.force_login(guardian)
    url = reverse("registrations:start", args=[offering.slug])
    choose(client, url, lea, noe)
    response = client.post(
        url,
        {
            "step": "details",
            field(lea, f"q{size.pk}"): "M",
            field(lea, f"q{allergies.pk}"): "Lactose",
            field(lea, f"o{lunch.pk}"): "3",
            field(noe, f"q{allergies.pk}"): "Aucune",  # Noé's size is missing
        },
    )
    assert response.status_code == 200
    page = text_of(response)
    assert "Veuillez corriger les champs indiqués ci-dessous." in page
    lea_block, noe_block = fieldset_of(page, lea.display_name), fieldset_of(page, noe.display_name)
    noe_size = f"id_{field(noe, f'q{size.pk}')}"
    assert f'id="{noe_size}_errors"' in noe_block and 'aria-invalid="true"' in noe_block
    assert "errorlist" not in lea_block
    # Nothing typed is lost, for either child.
    assert 'value="Lactose"' in lea_block and 'value="3"' in lea_block
    assert re.search(r'<option value="M" selected>', lea_block)
    assert 'value="Aucune"' in noe_block
    assert not Registration.objects.exists()


def test_previous_keeps_each_participants_answers(client):
    guardian, lea, noe = guardian_with_two_children()
    offering, size, allergies, _ = camp_with_questions()
    client.force_login(guardian)
    url = reverse("registrations:start", args=[offering.slug])
    choose(client, url, lea, noe)
    answers = {
        "step": "details",
        field(lea, f"q{size.pk}"): "P",
        field(noe, f"q{size.pk}"): "G",
        field(noe, f"q{allergies.pk}"): "Pollen",
    }
    client.post(url, answers)
    # « Précédent » on the review, then on the details step (nothing is lost either way).
    assert client.post(url, {"step": "review", "previous": "1"}).url.endswith("?step=details")
    page = text_of(client.get(url + "?step=details"))
    assert re.search(r'<option value="G" selected>', fieldset_of(page, noe.display_name))
    typed = {**answers, field(lea, f"q{allergies.pk}"): "Chats", "previous": "1"}
    assert client.post(url, typed).url.endswith("?step=who")
    page = text_of(client.get(url + "?step=details"))
    assert 'value="Chats"' in fieldset_of(page, lea.display_name)
    assert 'value="Pollen"' in fieldset_of(page, noe.display_name)


def test_a_participant_added_later_answers_before_the_review(client):
    guardian, lea, noe = guardian_with_two_children()
    offering, size, _, _ = camp_with_questions()
    client.force_login(guardian)
    url = reverse("registrations:start", args=[offering.slug])
    choose(client, url, lea)
    client.post(url, {"step": "details", field(lea, f"q{size.pk}"): "P"})
    choose(client, url, lea, noe)
    review = client.get(url + "?step=review")
    assert review.url.endswith("?step=details")
    # Posting the review anyway registers nobody without their required answers.
    key = "6f1e8a0c-9a7e-4a53-9d1e-1f2d3c4b5a69"
    assert client.post(url, {"step": "review", "key": key}).url.endswith("?step=details")
    assert not Registration.objects.exists()
    page = text_of(client.get(url + "?step=details"))
    assert re.search(r'<option value="P" selected>', fieldset_of(page, lea.display_name))


def test_one_participant_reads_as_before_without_a_fieldset(client):
    account, dossier = make_person()
    offering, size, _, _ = camp_with_questions()
    client.force_login(account)
    url = reverse("registrations:start", args=[offering.slug])
    choose(client, url, dossier)
    page = text_of(client.get(url + "?step=details"))
    assert "<fieldset" not in page and "Taille du chandail" in page
    client.post(url, {"step": "details", field(dossier, f"q{size.pk}"): "M"})
    review = text_of(client.get(url + "?step=review"))
    assert "<dt>Taille du chandail</dt><dd>M</dd>" in review
    assert 'id="participant-' not in review  # no section per participant


def queries_of(client, method: str, url: str, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert response.status_code in (200, 302)
    return len(captured.captured_queries)


@pytest.mark.parametrize("children", [1, 4])
def test_the_steps_queries_do_not_grow_with_participants(
    client, django_assert_max_num_queries, children
):
    guardian, _ = make_person()
    kids = [add_child(guardian, first_name=f"Enfant{n}") for n in range(children)]
    offering, size, allergies, lunch = camp_with_questions()
    client.force_login(guardian)
    url = reverse("registrations:start", args=[offering.slug])
    choose(client, url, *kids)
    details = {"step": "details"}
    for kid in kids:
        details |= {field(kid, f"q{size.pk}"): "M", field(kid, f"o{lunch.pk}"): "1"}
    # Session, account, offering, queue ticket, participants, questions, options (+ the
    # session write after a valid POST); the review reads the participants and options.
    with django_assert_max_num_queries(7):
        client.get(url + "?step=details")
    with django_assert_max_num_queries(10):
        assert client.post(url, details).url.endswith("?step=review")
    with django_assert_max_num_queries(6):
        client.get(url + "?step=review")


def test_the_steps_cost_the_same_for_one_or_three_participants(client):
    def costs(kids_count: int) -> list[int]:
        guardian, _ = make_person()
        kids = [add_child(guardian) for _ in range(kids_count)]
        offering, size, _, lunch = camp_with_questions()
        client.force_login(guardian)
        url = reverse("registrations:start", args=[offering.slug])
        choose(client, url, *kids)
        details = {"step": "details"}
        for kid in kids:
            details |= {field(kid, f"q{size.pk}"): "P", field(kid, f"o{lunch.pk}"): "1"}
        return [
            queries_of(client, "get", url + "?step=details"),
            queries_of(client, "post", url, details),
            queries_of(client, "get", url + "?step=review"),
        ]

    assert costs(3) == costs(1)
