"""OpenAPI paths and schemas of the reports API (merged by trainer/api/openapi.py)."""

from __future__ import annotations

from typing import Any

PATHS: dict[str, dict[str, Any]] = {}
SCHEMAS: dict[str, Any] = {}
