"""The schema (graph/schema.yaml) loaded once into typed objects, and record validation.

Validation works on plain property dicts so that every loader (curated YAML, article
claims, imports) checks records the same way before anything reaches a store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SCHEMA_PATH = Path(__file__).with_name("schema.yaml")

SCALAR_TYPES = {"string", "text", "integer", "float", "boolean", "date"}
LIST_TYPES = {"list[string]", "list[integer]"}


class SchemaError(ValueError):
    """A record breaks the schema. `field` names the offending property or key."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class PropertySpec:
    name: str
    type: str
    required: bool = False
    description: str = ""
    enum: tuple[str, ...] | None = None

    def check(self, value: Any) -> Any:
        """Return `value` coerced to this property's type, or raise SchemaError."""
        if self.type in LIST_TYPES:
            if not isinstance(value, (list, tuple)):
                raise SchemaError(f"{self.name}: expected a list, got {_kind(value)}", self.name)
            item_type = self.type[5:-1]
            return [_coerce(self.name, item_type, item, None) for item in value]
        return _coerce(self.name, self.type, value, self.enum)


@dataclass(frozen=True)
class LabelSpec:
    name: str
    description: str
    color: str
    key: str
    properties: dict[str, PropertySpec]


@dataclass(frozen=True)
class RelationshipSpec:
    name: str
    description: str
    from_labels: tuple[str, ...]
    to_labels: tuple[str, ...]
    properties: dict[str, PropertySpec]


@dataclass(frozen=True)
class Schema:
    labels: dict[str, LabelSpec]
    relationships: dict[str, RelationshipSpec]
    node_properties: dict[str, PropertySpec] = field(repr=False)
    relationship_properties: dict[str, PropertySpec] = field(repr=False)

    def validate_node(self, label: str, props: dict[str, Any]) -> dict[str, Any]:
        """Check a node's label and properties; return the coerced properties."""
        if label not in self.labels:
            raise SchemaError(f"unknown label {label!r}; known: {', '.join(sorted(self.labels))}", "label")
        return _validate_props(props, self.labels[label].properties)

    def validate_relationship(
        self, rel_type: str, start_label: str, end_label: str, props: dict[str, Any]
    ) -> dict[str, Any]:
        """Check a relationship's type, end labels and properties; return coerced properties."""
        spec = self.relationships.get(rel_type)
        if spec is None:
            known = ", ".join(sorted(self.relationships))
            raise SchemaError(f"unknown relationship type {rel_type!r}; known: {known}", "type")
        if start_label not in spec.from_labels:
            raise SchemaError(
                f"{rel_type} cannot start at {start_label} (allowed: {', '.join(spec.from_labels)})", "from"
            )
        if end_label not in spec.to_labels:
            raise SchemaError(f"{rel_type} cannot end at {end_label} (allowed: {', '.join(spec.to_labels)})", "to")
        return _validate_props(props, spec.properties)

    def legend(self) -> list[dict[str, str]]:
        """Labels with colours and descriptions, in schema order, for the explorer."""
        return [{"label": s.name, "color": s.color, "description": s.description} for s in self.labels.values()]


def _kind(value: Any) -> str:
    return type(value).__name__


def _coerce(name: str, type_name: str, value: Any, enum: tuple[str, ...] | None) -> Any:
    if type_name in ("string", "text"):
        if not isinstance(value, str):
            raise SchemaError(f"{name}: expected text, got {_kind(value)}", name)
        if enum and value not in enum:
            raise SchemaError(f"{name}: {value!r} is not one of {', '.join(enum)}", name)
        return value
    if type_name == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise SchemaError(f"{name}: expected a whole number, got {_kind(value)}", name)
        return value
    if type_name == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SchemaError(f"{name}: expected a number, got {_kind(value)}", name)
        return float(value)
    if type_name == "boolean":
        if not isinstance(value, bool):
            raise SchemaError(f"{name}: expected true or false, got {_kind(value)}", name)
        return value
    if type_name == "date":
        if isinstance(value, dt.datetime):
            raise SchemaError(f"{name}: expected a date (YYYY-MM-DD), got a timestamp", name)
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise SchemaError(f"{name}: {value!r} is not a date (YYYY-MM-DD)", name) from None
        raise SchemaError(f"{name}: expected a date (YYYY-MM-DD), got {_kind(value)}", name)
    raise SchemaError(f"{name}: unsupported type {type_name}", name)


def _validate_props(props: dict[str, Any], specs: dict[str, PropertySpec]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in props.items():
        spec = specs.get(key)
        if spec is None:
            raise SchemaError(f"unknown property {key!r}", key)
        if value is None:
            continue
        out[key] = spec.check(value)
    for spec in specs.values():
        if spec.required and spec.name not in out:
            raise SchemaError(f"missing required property {spec.name!r}", spec.name)
    return out


def _props(raw: dict[str, Any] | None) -> dict[str, PropertySpec]:
    specs = {}
    for name, body in (raw or {}).items():
        type_name = body["type"]
        if type_name not in SCALAR_TYPES | LIST_TYPES:
            raise ValueError(f"{SCHEMA_PATH}: property {name}: unknown type {type_name}")
        enum = tuple(body["enum"]) if "enum" in body else None
        specs[name] = PropertySpec(name, type_name, bool(body.get("required")), body.get("description", ""), enum)
    return specs


@cache
def load_schema(path: Path = SCHEMA_PATH) -> Schema:
    """Load and cache the schema.

    >>> schema = load_schema()
    >>> schema.labels["Country"].key
    'iso3'
    >>> schema.relationships["FUNDS"].from_labels
    ('InvestmentVehicle',)
    """
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    node_common = _props(raw["node_properties"])
    rel_common = _props(raw["relationship_properties"])
    labels = {}
    for name, body in raw["labels"].items():
        own = _props(body.get("properties"))
        labels[name] = LabelSpec(name, body["description"], body["color"], body["key"], {**node_common, **own})
    rels = {}
    for name, body in raw["relationships"].items():
        own = _props(body.get("properties"))
        rels[name] = RelationshipSpec(
            name, body["description"], tuple(body["from"]), tuple(body["to"]), {**rel_common, **own}
        )
    for rel in rels.values():
        for label in rel.from_labels + rel.to_labels:
            if label not in labels:
                raise ValueError(f"{path}: relationship {rel.name} names unknown label {label}")
    return Schema(labels, rels, node_common, rel_common)
