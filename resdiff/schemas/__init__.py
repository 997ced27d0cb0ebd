"""The JSON Schemas of resdiff's JSON contracts (comparison, document, history, review, series), shipped in the package."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

__all__ = ["SCHEMAS", "load_schema"]

SCHEMAS = ("comparison", "document", "history", "review", "series")


def load_schema(name: str) -> dict[str, Any]:
    """The parsed JSON Schema ``<name>.schema.json`` (``comparison``, ``document``, ``history``, ``review`` or ``series``)."""
    if name not in SCHEMAS:
        raise ValueError(f"unknown schema {name!r}; use one of: {', '.join(SCHEMAS)}")
    text = (resources.files(__package__) / f"{name}.schema.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data
