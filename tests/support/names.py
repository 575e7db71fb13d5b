"""The names a person reads on a page, by role, as a screen reader or Playwright's
``get_by_role`` finds them: links, buttons, headings, labels and legends."""

from __future__ import annotations

import re
from html.parser import HTMLParser

ROLES = {
    "a": "link",
    "button": "button",
    "label": "label",
    "legend": "label",
    **{f"h{level}": "heading" for level in range(1, 7)},
}
SPACES = re.compile(r"[\s\u00a0\u202f]+")


def normalized(text: str) -> str:
    return SPACES.sub(" ", text).strip()


class _Names(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, list[str]]] = []
        self.skipping = 0
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag in ROLES:
            self.open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skipping -= 1
        elif self.open and self.open[-1][0] == tag:
            _tag, parts = self.open.pop()
            self.found.append((ROLES[tag], normalized("".join(parts))))

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            for _tag, parts in self.open:
                parts.append(data)


def names(html: str) -> set[tuple[str, str]]:
    """``{("link", "Se connecter"), ("heading", "Se connecter"), ("label", "Identifiant")…}``"""
    return set(all_names(html))


def all_names(html: str) -> list[tuple[str, str]]:
    """Every name, as often as the page has it."""
    parser = _Names()
    parser.feed(html)
    return parser.found


def named(response) -> set[tuple[str, str]]:
    return names(response.content.decode())


INLINE = re.compile(r"</?(a|strong|em|span|abbr|b|i)\b[^>]*>")
TAG = re.compile(r"<[^>]+>")
HIDDEN = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL)


def text(response) -> str:
    """The page's visible text in one line: « Pas encore membre ? Créer un compte. »."""
    from html import unescape

    html = HIDDEN.sub(" ", response.content.decode())
    return normalized(unescape(TAG.sub(" ", INLINE.sub("", html))))
