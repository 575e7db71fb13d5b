"""The schema's error answers: drf-spectacular documents what a view returns when it
succeeds; this hook (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``) adds, to every
operation, the errors every view may answer, as ``application/problem+json`` (RFC 9457),
so a client — and the schema-driven tests — know every status an endpoint may give."""

from __future__ import annotations

from typing import Any

from guichet.api.errors import PROBLEM

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error (RFC 9457), in the request's language.",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "Why a change was refused."},
        "errors": {
            "type": "object",
            "description": "What is wrong, field by field (400).",
            "additionalProperties": True,
        },
    },
}

# Every operation: a bad parameter, no or a bad key, a missing scope or address, not
# found (or not in this preset), too many requests.
EVERYWHERE = {
    "400": "A parameter or the body is not valid.",
    "401": "No key, or an unknown, expired or revoked one.",
    "403": "The key lacks the scope, or is used from an address it may not be used from.",
    "404": "Not found, not visible to the key's account, or not in this operator's services.",
    "429": "Past the key's requests per minute (see Retry-After).",
}
WRITES = {
    "409": "The change was refused (see code).",
    "415": "The body is not JSON.",
}
UPDATES = {"412": "If-Match names a version that is no longer the current one."}
READS = {"304": "If-None-Match names the current version: nothing changed."}


def problem_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    problem = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            errors = dict(EVERYWHERE)
            if method != "get":
                errors |= WRITES
            if method in ("put", "patch"):
                errors |= UPDATES
            if "/registrations/" in path and method == "post":
                errors["428"] = "The Idempotency-Key header is missing or too long."
            for status, description in errors.items():
                answer = responses.setdefault(status, {"description": description})
                answer.setdefault("content", problem)
            if method == "get":
                for status, description in READS.items():
                    responses.setdefault(status, {"description": description})
    return result
