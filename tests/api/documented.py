"""Checks an answer against the schema the API serves: the operation must be documented
for this path, method and status, and the body must validate against its JSON Schema
(OpenAPI 3.1 schemas are JSON Schema 2020-12)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import jsonschema
from django.test import Client
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


@cache
def schema() -> dict[str, Any]:
    response = Client().get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _operation(path: str, method: str) -> dict[str, Any]:
    for template, operations in schema()["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", r"[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in operations:
            return operations[method.lower()]
    raise AssertionError(f"{method} {path} is not documented")


def assert_documented(method: str, path: str, response: Any) -> Any:
    """The response's status is documented for this operation, and its JSON body matches
    the documented schema (a problem+json error matches the Problem shape)."""
    operation = _operation(path.split("?")[0], method)
    status = str(response.status_code)
    body = response.json() if response.content else None
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"
        assert {"type", "title", "status"} <= set(body)
        return body
    documented = operation["responses"]
    assert status in documented, f"{method} {path}: {status} not in {sorted(documented)}"
    content = documented[status].get("content", {}).get("application/json")
    if content is not None:
        document = schema()
        registry = Registry().with_resource(
            "urn:api", Resource.from_contents(document, default_specification=DRAFT202012)
        )
        resolved = _with_base(content["schema"])
        jsonschema.Draft202012Validator(resolved, registry=registry).validate(body)
    return body


def _with_base(node: Any) -> Any:
    """Rewrite local ``#/components/…`` references to point into the registered document."""
    if isinstance(node, dict):
        return {
            key: (
                f"urn:api{value}" if key == "$ref" and value.startswith("#") else _with_base(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_with_base(item) for item in node]
    return node
