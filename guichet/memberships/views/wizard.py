"""A small step-by-step form engine: a step indicator, « Précédent » that keeps what was
typed, « Suivant » that validates, the values kept in the session (never in the page).

PDFs joined at a step are checked and set aside at once (``applications.stash``); the
session keeps only their stored name, so going back and forth never asks for them again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise

from guichet.memberships.forms import DocumentsStep


@dataclass(frozen=True)
class Step:
    slug: str
    label: str | Promise
    form: type[forms.Form]


class Wizard:
    """One wizard: its steps, where it lives, and the session key of its values."""

    def __init__(self, name: str, url_name: str, steps: list[Step], template: str) -> None:
        self.name = name
        self.url_name = url_name
        self.steps = steps
        self.template = template

    # The values kept between steps -------------------------------------------------
    def state(self, request: HttpRequest) -> dict[str, Any]:
        key = f"memberships.{self.name}"
        if key not in request.session:
            request.session[key] = {"values": {}, "files": {}, "reached": 0}
        return request.session[key]

    def save(self, request: HttpRequest, state: dict[str, Any]) -> None:
        request.session[f"memberships.{self.name}"] = state
        request.session.modified = True

    def forget(self, request: HttpRequest) -> None:
        request.session.pop(f"memberships.{self.name}", None)

    def url(self, number: int) -> str:
        return reverse(self.url_name, args=[number])

    # Building the forms ----------------------------------------------------------------
    def build(
        self,
        request: HttpRequest,
        number: int,
        *,
        data: Any = None,
        files: Any = None,
        initial: dict[str, Any] | None = None,
        **extra: Any,
    ) -> forms.Form:
        step = self.steps[number - 1]
        state = self.state(request)
        kwargs: dict[str, Any] = {
            "initial": {**(initial or {}), **state["values"].get(step.slug, {})}
        }
        kwargs.update(extra)
        if issubclass(step.form, DocumentsStep):
            kwargs["joined"] = state["files"].get(step.slug, {})
        return step.form(data=data, files=files, **kwargs)

    def cleaned(self, request: HttpRequest, number: int, **extra: Any) -> dict[str, Any] | None:
        """The step's values, validated again (None if they no longer are)."""
        step = self.steps[number - 1]
        state = self.state(request)
        values = state["values"].get(step.slug)
        if values is None:
            return None
        form = self.build(request, number, data=values, initial=extra.pop("initial", None), **extra)
        return form.cleaned_data if form.is_valid() else None

    def joined(self, request: HttpRequest) -> list[dict[str, Any]]:
        return [doc for docs in self.state(request)["files"].values() for doc in docs.values()]

    def drop_gone(
        self, request: HttpRequest, still_there: Callable[[str], bool]
    ) -> list[tuple[int, str]]:
        """Forget the joined files no longer kept (a wizard left longer than the sweep's
        delay): their step numbers and names, for the person to join them again."""
        state = self.state(request)
        numbers = {step.slug: number for number, step in enumerate(self.steps, start=1)}
        gone = []
        for slug, docs in state["files"].items():
            for field, doc in list(docs.items()):
                if not still_there(doc["path"]):
                    del docs[field]
                    gone.append((numbers.get(slug, 1), str(doc["name"])))
        if gone:
            self.save(request, state)
        return sorted(gone)

    # One request ---------------------------------------------------------------------
    def handle(
        self,
        request: HttpRequest,
        number: int,
        *,
        finish: Callable[[forms.Form], HttpResponse],
        check: Callable[[int, forms.Form], HttpResponse | None] | None = None,
        initial: Callable[[int], dict[str, Any]] | None = None,
        form_kwargs: Callable[[int], dict[str, Any]] | None = None,
        context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if not 1 <= number <= len(self.steps):
            raise Http404
        state = self.state(request)
        if number > state["reached"] + 1:
            return redirect(self.url(state["reached"] + 1))
        step = self.steps[number - 1]
        extra = form_kwargs(number) if form_kwargs else {}
        start = initial(number) if initial else {}
        if request.method == "POST":
            form = self.build(
                request, number, data=request.POST, files=request.FILES, initial=start, **extra
            )
            if "previous" in request.POST and number > 1:
                # Keep what was typed, valid or not, and go back.
                self._keep(request, state, step, form, request.POST)
                return redirect(self.url(number - 1))
            if form.is_valid():
                if check is not None and (answer := check(number, form)) is not None:
                    return answer
                self._keep(request, state, step, form, request.POST)
                state["reached"] = max(state["reached"], number)
                self.save(request, state)
                if number == len(self.steps):
                    return finish(form)
                return redirect(self.url(number + 1))
        else:
            form = self.build(request, number, initial=start, **extra)
        return render(
            request,
            self.template,
            {
                "form": form,
                "step": step,
                "number": number,
                "steps": [
                    {
                        "number": n,
                        "label": s.label,
                        "url": self.url(n),
                        "reachable": n <= state["reached"] + 1,
                    }
                    for n, s in enumerate(self.steps, start=1)
                ],
                "count": len(self.steps),
                "is_last": number == len(self.steps),
                "previous_url": self.url(number - 1) if number > 1 else "",
                **(context or {}),
            },
        )

    def _keep(
        self,
        request: HttpRequest,
        state: dict[str, Any],
        step: Step,
        form: forms.Form,
        posted: Any,
    ) -> None:
        secret = {"password1", "password2"}  # never kept in the session
        state["values"][step.slug] = {
            name: posted.get(name)
            for name in form.fields
            if name in posted and name not in secret and not form.fields[name].disabled
        }
        if isinstance(form, DocumentsStep) and form.stashed:
            kept = state["files"].setdefault(step.slug, {})
            for name, stashed in form.stashed.items():
                kept[name] = stashed.as_dict()
        self.save(request, state)
