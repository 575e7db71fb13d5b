"""What the whole-flow bench's browser reads of a page: its forms (hidden fields, boxes, the
primary button) and its links (bench_http_flow.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


# HTML: the forms and links of a page, as a browser sees them ---------------------------------
@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # hidden inputs, in order
    boxes: list[tuple[str, str, bool]] = field(default_factory=list)  # (name, value, disabled)
    button: tuple[str, str] | None = None  # the primary submit button's (name, value)
    has_button: bool = False


class Page(HTMLParser):
    """The forms (hidden fields, checkboxes, primary button) and links of one page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif self._form is not None and tag in ("input", "button"):
            kind = a.get("type", "submit" if tag == "button" else "text").lower()
            if kind == "hidden" and a.get("name"):
                self._form.fields.append((a["name"], a.get("value", "")))
            elif kind in ("checkbox", "radio") and a.get("name"):
                self._form.boxes.append((a["name"], a.get("value", ""), "disabled" in a))
            elif kind == "submit":
                secondary = "button-secondary" in a.get("class", "")
                if not secondary and not self._form.has_button and "disabled" not in a:
                    self._form.has_button = True
                    if a.get("name"):
                        self._form.button = (a["name"], a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
