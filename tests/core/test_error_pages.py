"""Error pages speak French and keep the site's layout."""

from __future__ import annotations

import pytest

from tests.support.pages import text_of

pytestmark = pytest.mark.django_db


def test_unknown_page_answers_404_in_french(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in text_of(response)
    assert "Aller au contenu" in text_of(response)


def test_too_many_attempts_page_is_in_french(client):
    for n in range(6):
        response = client.post("/compte/confirmation/renvoyer/", {"email": f"a{n}@exemple.ca"})
    assert response.status_code == 429
    assert "Trop de tentatives" in text_of(response)
