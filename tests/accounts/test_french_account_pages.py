"""Every page of the login library (allauth) that a person can reach, signed out and signed
in, every message it flashes and every email it sends: in French, with « courriel », in the
project's own templates. Fails on « e-mail » (outside a URL or an address) and on English
left in a French page."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from pprint import pformat

import allauth
import pytest
import time_machine
from allauth.account import app_settings as account_settings
from allauth.account.adapter import get_adapter
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.webauthn.internal.auth import WebAuthn
from django.conf import settings
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from guichet import presets
from guichet.accounts.models import Account
from tests.e2e.test_two_factor import current_code
from tests.support.captcha import solved_captcha

pytestmark = pytest.mark.django_db(transaction=True)  # emails leave on commit

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
PROJECT = Path(presets.__file__).parent
NEW_PASSWORD = "Une toute nouvelle phrase de passe"

URL = re.compile(r"(https?://|/)[^\s\"'<>«»]*")
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
E_MAIL = re.compile(r"\be-mails?\b", re.IGNORECASE)
# Words that are English and never French; « code », « session », « change » are both.
ENGLISH_WORDS = frozenset(
    re.findall(
        r"\w+",
        """the your you with this that have has will please been are were from which here there
    their they what when would should could must cannot can into not and for of to is it by be
    if email emails mail password passwords sign signed login account accounts remove add
    cancel confirm key keys security recovery authenticator verify verification browser
    current new send save back use enter view download generate activate deactivate passkey
    passkeys pending primary unused used started address addresses hello thank thanks click
    link out unspecified""",
    )
)


def allauth_sentences() -> set[str]:
    """allauth's own English texts of two words or more (its French catalogue's msgids)."""
    catalogue = (ALLAUTH_TEMPLATES.parent / "locale/fr/LC_MESSAGES/django.po").read_text()
    sentences = set()
    for entry in catalogue.split("\n\n"):
        if entry.lstrip().startswith("#~"):
            continue
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', entry, re.MULTILINE)
        if msgid:
            text = "".join(re.findall(r'"(.*)"', msgid.group(1))).replace("\\n", " ")
            text = re.sub(r"%\(\w+\)s|\{\w+\}|%s|%d", " ", text)
            for part in re.split(r"[.:!?]\s", text):
                part = " ".join(part.split()).strip(" .:")
                if len(part.split()) >= 2 and re.search("[a-z]", part):
                    sentences.add(part)
    return sentences


ALLAUTH_SENTENCES = allauth_sentences()


class VisibleText(HTMLParser):
    """What a person reads or hears: text, titles, labels read aloud, button values."""

    SPOKEN = ("title", "aria-label", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("script", "style"):
            self.hidden += 1
        self.parts += [found[name] or "" for name in self.SPOKEN if name in found]
        if tag == "input" and found.get("type") in ("submit", "button"):
            self.parts.append(found.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def problems(text: str) -> list[str]:
    text = ADDRESS.sub(" ", URL.sub(" ", text))
    found = [f"« {match} »" for match in E_MAIL.findall(text)]
    words = {word.lower() for word in re.findall(r"[^\W\d_]+", text)}
    found += [f"English word « {word} »" for word in sorted(words & ENGLISH_WORDS)]
    found += [f"allauth's « {s} »" for s in ALLAUTH_SENTENCES if s in text]
    return found


class Walk:
    """A person's browser (Django's test client) that reads every page it is shown."""

    def __init__(self) -> None:
        self.client = Client()
        self.seen: dict[str, list[str]] = {}

    def read(self, response, where: str):
        assert response.status_code < 500, where
        content_type = response.get("Content-Type", "")
        body = response.content.decode()
        text = visible_text(body) if "html" in content_type else body
        found = problems(text)
        if found:
            self.seen[where] = found
        return response

    def get(self, path: str, **kwargs):
        return self.read(self.client.get(path, follow=True, **kwargs), f"GET {path}")

    def post(self, path: str, data: dict | None = None, note: str = ""):
        response = self.client.post(path, data or {}, follow=True)
        return self.read(response, f"POST {path} {note}".strip())


def read_emails(mailbox) -> dict[str, list[str]]:
    found = {}
    for message in mailbox.messages:
        subject = str(message["Subject"])
        trouble = problems(f"{subject}\n{mailbox.body(message)}")
        if trouble:
            found[f"email « {subject} » to {message['To']}"] = trouble
    return found


def link_path(mailbox, address: str, part: str) -> str:
    message = mailbox.wait_for(address)
    link = next(url for url in mailbox.links(message) if part in url)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_signed_out_pages_and_their_emails_read_in_french(account, password, mailbox):
    walk = Walk()
    walk.get(reverse("account_login"))
    walk.post(reverse("account_login"), {"login": account.email, "password": "faux"}, "wrong")
    walk.get(reverse("account_signup"))
    walk.post(reverse("account_signup"), {"email": "pas-une-adresse"}, "errors")
    walk.post(
        reverse("account_signup"),
        {
            "first_name": "Geneviève",
            "last_name": "Lavoie",
            "email": account.email,  # taken: its owner is told
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "accept_terms": "on",
            "captcha": solved_captcha(),
        },
        "taken address",
    )
    walk.post(
        reverse("account_signup"),
        {
            "first_name": "Léo",
            "last_name": "Nouveau",
            "email": "leo.nouveau@exemple.ca",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "accept_terms": "on",
            "captcha": solved_captcha(),
        },
        "new account",
    )
    confirm = link_path(mailbox, "leo.nouveau@exemple.ca", "/confirm-email/")
    walk.get(confirm)
    walk.post(confirm, note="confirm")
    walk.get(confirm)  # already used
    walk.get(reverse("account_confirm_email", args=["pas-un-lien"]))
    walk.get(reverse("account_email_verification_sent"))
    walk.get(reverse("accounts:resend"))
    walk.get(reverse("account_inactive"))
    walk.get(reverse("account_reset_password"))
    walk.post(
        reverse("account_reset_password"),
        {"email": "inconnu@exemple.ca", "captcha": solved_captcha()},
        "unknown address",
    )
    walk.post(
        reverse("account_reset_password"),
        {"email": account.email, "captcha": solved_captcha()},
        "known address",
    )
    reset = link_path(mailbox, account.email, "/password/reset/key/")
    walk.get(reset)
    form_url = walk.client.get(reset)["Location"]
    walk.post(form_url, {"password1": NEW_PASSWORD, "password2": "autre"}, "mismatch")
    walk.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, "reset")
    walk.get(reset)  # used link

    assert walk.seen == {}, pformat(walk.seen, width=100)
    mailbox.wait_for(account.email, "réinitialisé")
    assert read_emails(mailbox) == {}, pformat(read_emails(mailbox), width=100)


def test_signed_in_pages_messages_and_emails_read_in_french(account, password, mailbox):
    walk = Walk()
    old_address = account.email
    walk.post(reverse("account_login"), {"login": account.email, "password": password}, "sign in")
    for name in ("accounts:security", "accounts:activity", "account_email", "mfa_index"):
        walk.get(reverse(name))
    email_page = reverse("account_email")
    walk.post(email_page, {"action_add": "", "email": "x@exemple.ca", "email2": "x@exemple.ca"})
    walk.post(reverse("account_reauthenticate"), {"password": password}, "asked again")
    walk.post(email_page, {"action_add": "", "email": "x", "email2": "y"}, "bad address")
    new = {"action_add": "", "email": "nouvelle@exemple.ca", "email2": "nouvelle@exemple.ca"}
    walk.post(email_page, new, "new address")
    walk.post(email_page, {"action_send": "", "email": "nouvelle@exemple.ca"}, "resend")
    walk.post(email_page, {"action_remove": "", "email": "nouvelle@exemple.ca"}, "cancel")
    # Another address: one confirmation email per address every 3 minutes.
    walk.post(
        email_page,
        {"action_add": "", "email": "autre@exemple.ca", "email2": "autre@exemple.ca"},
        "another address",
    )
    confirm = link_path(mailbox, "autre@exemple.ca", "/confirm-email/")
    walk.post(confirm, note="confirm the new address")
    assert Account.objects.get(pk=account.pk).email == "autre@exemple.ca"
    mailbox.wait_for(old_address, "changée")  # the old address is told

    password_page = reverse("account_change_password")
    walk.get(password_page)
    walk.post(password_page, {"oldpassword": "faux", "password1": "a", "password2": "b"}, "bad")
    walk.post(
        password_page,
        {"oldpassword": password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        "changed",
    )

    later = timezone.now() + timedelta(minutes=30)
    with time_machine.travel(later, tick=True):  # long enough to be asked again
        walk.get(reverse("mfa_activate_totp"))
        reauthenticate = reverse("account_reauthenticate")
        walk.post(reauthenticate, {"password": "faux"}, "wrong password")
        walk.post(reauthenticate, {"password": NEW_PASSWORD}, "right password")
        page = walk.get(reverse("mfa_activate_totp"))
        secret = page.context["form"].secret
        walk.post(reverse("mfa_activate_totp"), {"code": "000000"}, "wrong code")
        walk.post(reverse("mfa_activate_totp"), {"code": current_code(secret)}, "activate")
        for name in ("mfa_index", "mfa_view_recovery_codes", "mfa_generate_recovery_codes"):
            walk.get(reverse(name))
        walk.post(reverse("mfa_generate_recovery_codes"), note="new codes")
        walk.get(reverse("mfa_download_recovery_codes"))
        walk.get(reverse("mfa_add_webauthn"))
        key = WebAuthn.add(account, "Clé de la cuisine", {}).instance
        walk.get(reverse("mfa_list_webauthn"))
        walk.get(reverse("mfa_edit_webauthn", args=[key.pk]))
        walk.post(reverse("mfa_edit_webauthn", args=[key.pk]), {"name": "Ma clé"}, "rename")
        walk.get(reverse("mfa_remove_webauthn", args=[key.pk]))
        walk.post(reverse("mfa_remove_webauthn", args=[key.pk]), note="remove key")

    with time_machine.travel(later + timedelta(minutes=30), tick=True):
        walk.get(reverse("mfa_deactivate_totp"))  # asked again, with the app as an option
        walk.get(reverse("mfa_reauthenticate"))
        walk.post(reverse("mfa_reauthenticate"), {"code": "000000"}, "wrong code")
        walk.post(reverse("account_reauthenticate"), {"password": NEW_PASSWORD}, "password")
        walk.get(reverse("mfa_deactivate_totp"))
        walk.post(reverse("mfa_deactivate_totp"), note="deactivate")

        other = Client()
        other.post(
            reverse("account_login"), {"login": "autre@exemple.ca", "password": NEW_PASSWORD}
        )
        walk.get(reverse("usersessions_list"))
        walk.post(reverse("usersessions_list"), note="end other sessions")
        walk.get(reverse("account_logout"))
        walk.post(reverse("account_logout"), note="sign out")

    assert walk.seen == {}, pformat(walk.seen, width=100)
    assert read_emails(mailbox) == {}, pformat(read_emails(mailbox), width=100)
    subjects = {str(message["Subject"]).split(" — ", 1)[1] for message in mailbox.messages}
    assert subjects >= {  # the walk did reach every step
        "Confirmez votre adresse courriel",
        "Changement d'adresse courriel annulé",
        "Votre adresse courriel a été changée",
        "Votre mot de passe a été changé",
        "Double authentification activée",
        "Nouveaux codes de récupération",
        "Clé de sécurité retirée de votre compte",
        "Double authentification désactivée",
    }


def test_two_factor_sign_in_and_password_set_read_in_french(account, password, outsider):
    TOTP.activate(account, generate_totp_secret())
    walk = Walk()
    walk.post(reverse("account_login"), {"login": account.email, "password": password}, "sign in")
    walk.get(reverse("mfa_authenticate"))
    walk.post(reverse("mfa_authenticate"), {"code": "000000"}, "wrong code")

    outsider.set_unusable_password()
    outsider.save()
    walk = Walk()
    walk.client.force_login(outsider)
    walk.get(reverse("account_set_password"))
    walk.post(reverse("account_set_password"), {"password1": "a", "password2": "b"}, "bad")
    walk.post(
        reverse("account_set_password"),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        "set",
    )

    assert walk.seen == {}, pformat(walk.seen, width=100)


# allauth templates this deployment never shows, and what keeps them away.
KEPT_AWAY = {
    "change mode": lambda: account_settings.CHANGE_EMAIL,  # email_change.html instead
    "no phone": lambda: "phone" not in account_settings.SIGNUP_FIELDS,
    "no sign-in code": lambda: not account_settings.LOGIN_BY_CODE_ENABLED,
    "no verification code": lambda: not account_settings.EMAIL_VERIFICATION_BY_CODE_ENABLED,
    "no reset code": lambda: not account_settings.PASSWORD_RESET_BY_CODE_ENABLED,
    "no passkey sign-up": lambda: not mfa_settings.PASSKEY_SIGNUP_ENABLED,
    "no trusted browsers": lambda: not mfa_settings.TRUST_ENABLED,
    "sign-up open": lambda: get_adapter().is_open_for_signup(None),
    # Only allauth's decorator of that name shows it; the project does not use it.
    "no verified_email_required": lambda: (
        "verified_email_required" not in "".join(path.read_text() for path in PROJECT.rglob("*.py"))
    ),
    # A notification allauth no longer sends (« Your email has been confirmed. »).
    "not sent": lambda: True,
}
UNREACHABLE = {
    "account/email.html": "change mode",
    "account/phone_change.html": "no phone",
    "account/confirm_phone_verification_code.html": "no phone",
    "account/messages/phone_verification_sent.txt": "no phone",
    "account/messages/phone_verified.txt": "no phone",
    "account/request_login_code.html": "no sign-in code",
    "account/confirm_login_code.html": "no sign-in code",
    "account/messages/login_code_sent.txt": "no sign-in code",
    "account/email/login_code_message.txt": "no sign-in code",
    "account/email/login_code_subject.txt": "no sign-in code",
    "account/confirm_email_verification_code.html": "no verification code",
    "account/confirm_password_reset_code.html": "no reset code",
    "account/email/password_reset_code_message.txt": "no reset code",
    "account/email/password_reset_code_subject.txt": "no reset code",
    "account/signup_by_passkey.html": "no passkey sign-up",
    "mfa/webauthn/signup_form.html": "no passkey sign-up",
    "mfa/trust.html": "no trusted browsers",
    "account/signup_closed.html": "sign-up open",
    "account/verified_email_required.html": "no verified_email_required",
    "account/email/email_confirm_message.txt": "not sent",
    "account/email/email_confirm_subject.txt": "not sent",
}


def reachable_allauth_templates() -> list[str]:
    names = []
    for path in sorted(ALLAUTH_TEMPLATES.rglob("*")):
        name = path.relative_to(ALLAUTH_TEMPLATES).as_posix()
        if not path.is_file() or not name.startswith(("account/", "mfa/", "usersessions/")):
            continue
        if path.stem.startswith("base") or name.startswith("account/snippets/"):
            continue  # layouts and pieces of allauth's own pages, which are all replaced
        if name not in UNREACHABLE:
            names.append(name)
    return names


@pytest.mark.parametrize("reason", sorted(set(UNREACHABLE.values())))
def test_unreachable_templates_stay_unreachable(reason):
    assert KEPT_AWAY[reason](), f"{reason}: override the templates it now shows"


@pytest.mark.parametrize("name", reachable_allauth_templates())
def test_every_reachable_allauth_template_is_the_projects_own(name):
    origin = Path(get_template(name).origin.name)
    assert PROJECT in origin.parents, f"{name} still comes from allauth"


@pytest.mark.parametrize(
    "prefix",
    sorted(
        {
            name.removesuffix("_subject.txt")
            for name in reachable_allauth_templates()
            if name.endswith("_subject.txt")
        }
    ),
)
def test_every_email_allauth_sends_reads_in_french(prefix, account):
    """Also the ones a walk cannot trigger without a real security key."""
    context = {
        "user": account,
        "email": account.email,
        "deleted_email": "ancienne@exemple.ca",
        "from_email": "ancienne@exemple.ca",
        "to_email": account.email,
        "activate_url": "https://guichet.exemple.ca/compte/confirm-email/abc/",
        "password_reset_url": "https://guichet.exemple.ca/compte/password/reset/key/1-a/",
        "signup_url": "https://guichet.exemple.ca/compte/signup/",
        "timestamp": timezone.now(),
        "ip": "203.0.113.7",
        "user_agent": "Firefox",
        "operator": presets.active(),
    }
    with translation.override("fr"):
        message = get_adapter().render_mail(prefix, account.email, context)
    assert problems(f"{message.subject}\n{message.body}") == []
    assert settings.LANGUAGE_CODE == "fr"
