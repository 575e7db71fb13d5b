"""The API's test cast: keys made by the real service, and a client that sends them."""

from __future__ import annotations

from typing import Any

from django.test import Client

from guichet.api import keys
from guichet.api.models import SCOPES


def make_key(account: Any, scopes: list[str] | None = None, **options: Any) -> str:
    """A key acting as ``account`` (all scopes unless told), made by staff; its token."""
    made = keys.create_key(
        name=options.pop("name", f"Clé {account.pk}-{len(scopes or SCOPES)}-{id(options)}"),
        account=account,
        scopes=SCOPES if scopes is None else scopes,
        actor=None,
        **options,
    )
    return made.token


class ApiClient:
    """Django's test client with the key in every request, JSON in and out."""

    def __init__(self, token: str | None, **headers: str) -> None:
        self.client = Client()
        self.headers = dict(headers)
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def _send(self, method: str, path: str, data: Any = None, **headers: str) -> Any:
        call = getattr(self.client, method)
        kwargs: dict[str, Any] = {"headers": {**self.headers, **headers}}
        if data is not None:
            kwargs["data"] = data
            kwargs["content_type"] = "application/json"
        return call(path, **kwargs)

    def get(self, path: str, data: Any = None, remote_addr: str = "", **headers: str) -> Any:
        extra = {"REMOTE_ADDR": remote_addr} if remote_addr else {}
        return self.client.get(path, data=data, headers={**self.headers, **headers}, **extra)

    def post(self, path: str, data: Any = None, **headers: str) -> Any:
        return self._send("post", path, data, **headers)

    def put(self, path: str, data: Any = None, **headers: str) -> Any:
        return self._send("put", path, data, **headers)

    def patch(self, path: str, data: Any = None, **headers: str) -> Any:
        return self._send("patch", path, data, **headers)
