"""API enums built from the schema, so OpenAPI lists exactly the labels and types the graph has."""

from enum import StrEnum

from graph.schema import load_schema

_schema = load_schema()

LabelName = StrEnum("LabelName", {name: name for name in _schema.labels})
RelType = StrEnum("RelType", {name: name for name in _schema.relationships})
