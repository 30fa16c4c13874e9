"""Saved analyst queries: named Cypher with typed parameters, from YAML.

The bundled file is graph/queries.yaml; a user file (DEALGRAPH_QUERIES_FILE) adds queries
and may replace a bundled one by using its name. Each query is::

    queries:
      projects_funded_by:
        description: Projects a vehicle funds, with the companies that lead them.
        params:
          vehicle: {type: string, default: "investmentvehicle:550-billion-investment-vehicle",
                    description: "Id of the InvestmentVehicle."}
        cypher: |
          MATCH (v:InvestmentVehicle {id: $vehicle})-[:FUNDS]->(p:Project) ...

Parameter types: string, integer, float, boolean, date (YYYY-MM-DD), list[string]. A
parameter without a default is required; `default: null` makes it optional (the Cypher
then handles null). Every `$name` in the Cypher must be declared and every declared
parameter used, so a typo fails when the file is loaded, not when the query runs. Queries
run through the same guards as any analyst Cypher (graph/analyst.py).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graph.analyst import QueryRefused, check_text, code_only

QUERIES_PATH = Path(__file__).with_name("queries.yaml")
PARAM_TYPES = ("string", "integer", "float", "boolean", "date", "list[string]")
# Names the run requests use for themselves (GET /api/queries/{name}?limit=...).
RESERVED_NAMES = frozenset({"limit", "timeout_ms", "params"})
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_PARAM_USE = re.compile(r"\$(?:([A-Za-z_][A-Za-z0-9_]*)|`([^`]+)`)")
_MISSING = object()


class QueryFileError(ValueError):
    """A saved-queries file is wrong; the message names the file and the field."""


class ParameterError(ValueError):
    """A value given for a saved query's parameter is wrong; `name` says which one."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name


@dataclass(frozen=True)
class QueryParam:
    name: str
    type: str
    description: str = ""
    default: Any = _MISSING
    enum: tuple[str, ...] | None = None

    @property
    def required(self) -> bool:
        return self.default is _MISSING

    def coerce(self, value: Any, from_text: bool = False) -> Any:
        """`value` as this parameter's type; text (a query string, a CLI flag) is parsed first.

        >>> QueryParam("n", "integer").coerce("3", from_text=True)
        3
        >>> QueryParam("on", "date").coerce("2025-07-22")
        datetime.date(2025, 7, 22)
        >>> QueryParam("ids", "list[string]").coerce("JPN,USA", from_text=True)
        ['JPN', 'USA']
        """
        if value is None:
            return None
        if from_text and isinstance(value, str):
            value = self._parse_text(value)
        if self.type == "string":
            if not isinstance(value, str):
                raise ParameterError(self.name, f"expected text, got {type(value).__name__}")
            if self.enum and value not in self.enum:
                raise ParameterError(self.name, f"{value!r} is not one of {', '.join(self.enum)}")
            return value
        if self.type == "integer":
            if isinstance(value, bool) or not isinstance(value, int) or not -(2**63) <= value < 2**63:
                raise ParameterError(self.name, f"expected a whole number of 64 bits, got {value!r}")
            return value
        if self.type == "float":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ParameterError(self.name, f"expected a number, got {value!r}")
            return float(value)
        if self.type == "boolean":
            if not isinstance(value, bool):
                raise ParameterError(self.name, f"expected true or false, got {value!r}")
            return value
        if self.type == "date":
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                return value
            if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
                try:
                    return dt.date.fromisoformat(value.strip())
                except ValueError:
                    pass
            raise ParameterError(self.name, f"expected a date (YYYY-MM-DD), got {value!r}")
        if self.type == "list[string]":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ParameterError(self.name, f"expected a list of text, got {value!r}")
            return list(value)
        raise ParameterError(self.name, f"unsupported type {self.type}")

    def _parse_text(self, text: str) -> Any:
        try:
            if self.type == "integer":
                return int(text)
            if self.type == "float":
                return float(text)
        except ValueError:
            raise ParameterError(self.name, f"expected a number, got {text!r}") from None
        if self.type == "boolean":
            lowered = text.strip().lower()
            if lowered in ("true", "1", "yes"):
                return True
            if lowered in ("false", "0", "no"):
                return False
            raise ParameterError(self.name, f"expected true or false, got {text!r}")
        if self.type == "list[string]":
            stripped = text.strip()
            if stripped.startswith("["):
                try:
                    return json.loads(stripped)
                except ValueError:
                    raise ParameterError(self.name, "expected a JSON list or comma-separated text") from None
            return [part.strip() for part in stripped.split(",") if part.strip()]
        return text

    def describe(self) -> dict[str, Any]:
        """This parameter as JSON, for listings (the default as a JSON value, dates as text)."""
        default = None if self.required else self.default
        if isinstance(default, dt.date):
            default = default.isoformat()
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "required": self.required,
            "default": default,
            "description": self.description,
        }
        if self.enum:
            out["enum"] = list(self.enum)
        return out


@dataclass(frozen=True)
class SavedQuery:
    name: str
    description: str
    cypher: str
    params: tuple[QueryParam, ...]
    origin: str  # the file it came from

    def bind(self, given: Mapping[str, Any], from_text: bool = False) -> dict[str, Any]:
        """The parameters to run with: given values checked and typed, defaults filled in.

        Unknown names, missing required ones and wrong types raise ParameterError.
        """
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(given) - set(declared))
        if unknown:
            known = ", ".join(declared) or "none"
            raise ParameterError(unknown[0], f"unknown parameter of {self.name} (its parameters: {known})")
        out = {}
        for param in self.params:
            if param.name in given:
                out[param.name] = param.coerce(given[param.name], from_text)
            elif param.required:
                raise ParameterError(param.name, f"required by {self.name}")
            else:
                out[param.name] = param.default
        return out

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "parameters": [p.describe() for p in self.params],
            "cypher": self.cypher,
        }


def _parse_file(path: Path) -> dict[str, SavedQuery]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise QueryFileError(f"{where}: not valid YAML ({getattr(exc, 'problem', None) or exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryFileError(f"{path}: cannot read ({exc})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("queries"), dict) or set(raw) != {"queries"}:
        raise QueryFileError(f"{path}: expected one top-level key `queries` mapping names to queries")
    out = {}
    for name, body in raw["queries"].items():
        where = f"{path}: queries.{name}"
        if not isinstance(name, str) or not _NAME.match(name):
            raise QueryFileError(f"{where}: a name is lower_snake_case, at most 63 characters")
        if not isinstance(body, dict):
            raise QueryFileError(f"{where}: expected a mapping with description, params and cypher")
        unknown = set(body) - {"description", "params", "cypher"}
        if unknown:
            raise QueryFileError(f"{where}.{sorted(unknown)[0]}: unknown key")
        text, description = body.get("cypher"), body.get("description", "")
        if not isinstance(text, str) or not text.strip():
            raise QueryFileError(f"{where}.cypher: missing")
        if not isinstance(description, str) or not description.strip():
            raise QueryFileError(f"{where}.description: missing")
        params = tuple(_parse_param(f"{where}.params", p, spec) for p, spec in (body.get("params") or {}).items())
        try:
            check_text(text)
        except QueryRefused as exc:
            raise QueryFileError(f"{where}.cypher: {exc}") from None
        used = {a or b for a, b in _PARAM_USE.findall(code_only(text)[1])}
        declared = {p.name for p in params}
        if used - declared:
            raise QueryFileError(f"{where}.cypher: ${sorted(used - declared)[0]} is not declared under params")
        if declared - used:
            raise QueryFileError(f"{where}.params.{sorted(declared - used)[0]}: not used in the cypher")
        out[name] = SavedQuery(name, description.strip(), text.strip(), params, str(path))
    return out


def _parse_param(where: str, name: Any, spec: Any) -> QueryParam:
    where = f"{where}.{name}"
    if not isinstance(name, str) or not _NAME.match(name) or name in RESERVED_NAMES:
        raise QueryFileError(f"{where}: a parameter name is lower_snake_case and not one of {sorted(RESERVED_NAMES)}")
    if not isinstance(spec, dict):
        raise QueryFileError(f"{where}: expected a mapping with type, description and default")
    unknown = set(spec) - {"type", "description", "default", "enum"}
    if unknown:
        raise QueryFileError(f"{where}.{sorted(unknown)[0]}: unknown key")
    type_name = spec.get("type")
    if type_name not in PARAM_TYPES:
        raise QueryFileError(f"{where}.type: {type_name!r} is not one of {', '.join(PARAM_TYPES)}")
    enum = spec.get("enum")
    if enum is not None and (type_name != "string" or not isinstance(enum, list)):
        raise QueryFileError(f"{where}.enum: a list of values, for a string parameter")
    param = QueryParam(name, type_name, str(spec.get("description", "")), _MISSING, tuple(enum) if enum else None)
    if "default" in spec:
        try:
            default = param.coerce(spec["default"])
        except ParameterError as exc:
            raise QueryFileError(f"{where}.default: {exc}") from None
        param = QueryParam(name, type_name, param.description, default, param.enum)
    return param


def load_queries(user_file: str | Path | None = None) -> dict[str, SavedQuery]:
    """The bundled saved queries, then the user's (a user query replaces a bundled one of the same name).

    >>> queries = load_queries()
    >>> queries["projects_funded_by"].params[0].name
    'vehicle'
    """
    queries = _parse_file(QUERIES_PATH)
    if user_file:
        queries.update(_parse_file(Path(user_file).expanduser()))
    return dict(sorted(queries.items()))
