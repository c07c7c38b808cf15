"""Calling the cycle's API as a given user."""

from __future__ import annotations

from typing import Any

from trainer.accounts.services import issue_api_token


class Api:
    """A client that sends a bearer token of `user`."""

    def __init__(self, client: Any, user: Any) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {issue_api_token(user)}"}

    def get(self, url: str):
        return self.client.get(f"/api/v1{url}", headers=self.headers)

    def post(self, url: str, body: dict | None = None):
        return self.client.post(f"/api/v1{url}", json=body or {}, headers=self.headers)

    def patch(self, url: str, body: dict):
        return self.client.patch(f"/api/v1{url}", json=body, headers=self.headers)
