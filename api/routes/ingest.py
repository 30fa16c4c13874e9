"""POST /api/ingest: a news article in, entities, cited claims and conflicts out.

Writes need `Authorization: Bearer <DEALGRAPH_API_TOKEN>` (api.deps.require_write_token,
constant-time comparison); while the token setting is empty, writes are refused (403) and only
dry runs are served. A dry run
never needs the token and never writes.

The body is either JSON `{"text", "source_url", "published", "dry_run"}` or the article itself
as `text/plain` with `source_url`, `published` and `dry_run` as query parameters. It is read in
chunks and refused past the size limit (413) before it is parsed.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.dates import IsoDate
from api.deps import SettingsDep, StoreDep, require_write_token
from api.errors import ApiError, ErrorEnvelope
from api.settings import Settings
from loaders.news.pipeline import MAX_BYTES, IngestError, analyse, ingest, read_text

router = APIRouter(prefix="/api", tags=["ingest"])

# JSON escapes can make the body larger than the text it carries.
BODY_LIMIT = MAX_BYTES * 2 + 4096


class IngestRequest(BaseModel):
    text: str = Field(min_length=1, description="The article's text (at most 2 MiB of UTF-8).")
    source_url: str | None = Field(None, max_length=2000, description="Where the article can be read.")
    published: IsoDate | None = Field(None, description="Publication date; relative dates resolve to it.")
    dry_run: bool = Field(False, description="Show what the article adds; write nothing (no token needed).")


class IngestEntity(BaseModel):
    name: str
    label: str
    id: str = Field(description="The stored id, or the id it would get.")
    status: str = Field(description="known, or candidate (a new name with weak evidence, stored flagged).")
    new: bool = Field(description="Not in the store yet.")
    matched_by: str = ""
    aliases: list[str] = []
    properties: dict[str, Any] = {}
    mentions: list[dict[str, Any]] = Field(description="quote, start, end in the original text.")


class IngestClaim(BaseModel):
    subject: str
    relation: str
    object: str
    subject_id: str
    object_id: str
    attributes: dict[str, Any] = {}
    quote: str = Field(description="The sentence, verbatim from the original text at [start, end).")
    start: int
    end: int
    confidence: float
    pattern: str = ""
    evidence: list[dict[str, Any]] = Field([], description="Other sentences the claim joins.")


class IngestResult(BaseModel):
    source: dict[str, Any]
    entities: list[IngestEntity]
    claims: list[IngestClaim]
    conflicts: list[dict[str, Any]]
    dropped: list[dict[str, Any]] = Field([], description="Spans of page boilerplate removed before reading.")
    warnings: list[str] = []
    dry_run: bool
    written: dict[str, int] | None = Field(None, description="Records created and updated; null on a dry run.")


RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorEnvelope, "description": "Empty, binary or malformed input."},
    401: {"model": ErrorEnvelope, "description": "A write without the right bearer token."},
    403: {"model": ErrorEnvelope, "description": "Writes are disabled until DEALGRAPH_API_TOKEN is set."},
    413: {"model": ErrorEnvelope, "description": "The article is over the size limit."},
    422: {"model": ErrorEnvelope, "description": "No recognisable content, or an invalid parameter."},
}


def _flag(value: str | None) -> bool:
    if value is None:
        return False
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ApiError(422, "dry_run: expected true or false", details=[{"parameter": "dry_run", "in": "query"}])


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > BODY_LIMIT:
        raise ApiError(413, f"request body is {int(declared):,} bytes; the limit is {MAX_BYTES:,} bytes of text")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > BODY_LIMIT:
            raise ApiError(413, f"request body is over the limit of {MAX_BYTES:,} bytes of text")
        chunks.append(chunk)
    return b"".join(chunks)


def _parse(request: Request, body: bytes) -> tuple[bytes, IngestRequest]:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("text/plain", "text/markdown", "application/octet-stream"):
        published = request.query_params.get("published")
        try:
            day = dt.date.fromisoformat(published) if published else None
        except ValueError:
            raise ApiError(
                422, "published: not a date (YYYY-MM-DD)", details=[{"parameter": "published", "in": "query"}]
            ) from None
        meta = IngestRequest.model_construct(
            text="",
            source_url=request.query_params.get("source_url"),
            published=day,
            dry_run=_flag(request.query_params.get("dry_run")),
        )
        return body, meta
    if kind not in ("application/json", ""):
        raise ApiError(400, f"unsupported content type {kind!r}: send application/json or text/plain")
    try:
        raw = json.loads(body) if body.strip() else None
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "the body is not valid JSON") from None
    if not isinstance(raw, dict):
        raise ApiError(400, "expected a JSON object with the article's text")
    try:
        meta = IngestRequest.model_validate(raw)
    except ValueError as exc:
        errors = getattr(exc, "errors", lambda: [])()
        details = [
            {
                "parameter": ".".join(str(p) for p in e.get("loc", ())) or "body",
                "in": "body",
                "message": e.get("msg", "invalid"),
            }
            for e in errors
        ]
        names = ", ".join(sorted({d["parameter"] for d in details})) or "body"
        raise ApiError(422, f"invalid parameter: {names}", details=details) from None
    if "dry_run" not in raw and request.query_params.get("dry_run") is not None:
        meta.dry_run = _flag(request.query_params.get("dry_run"))
    return meta.text.encode("utf-8"), meta


def _authorise(request: Request, settings: Settings, dry_run: bool) -> None:
    """Writes go through the API's one write guard; a dry run needs no token."""
    if dry_run:
        return
    try:
        require_write_token(request, settings)
    except ApiError as exc:
        if exc.status_code == 403:
            exc.detail = f"{exc.detail}; a dry run (dry_run=true) needs no token"
        raise


@router.post(
    "/ingest",
    summary="Read a news article: entities, claims citing their sentences, conflicts; merge them unless dry_run",
    responses=RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": IngestRequest.model_json_schema()},
                "text/plain": {
                    "schema": {"type": "string", "description": "The article; options as query parameters."}
                },
            },
        }
    },
)
async def ingest_article(request: Request, store: StoreDep, settings: SettingsDep) -> IngestResult:
    body = await _read_body(request)
    data, meta = _parse(request, body)
    _authorise(request, settings, meta.dry_run)

    def work() -> dict[str, Any]:
        text = read_text(data)
        analysis = analyse(text, store, source_url=meta.source_url, published=meta.published)
        written = None if meta.dry_run else ingest(store, analysis)
        result = analysis.to_json()
        result["dry_run"] = meta.dry_run
        result["written"] = dict(written.__dict__) if written else None
        return result

    try:
        result = await run_in_threadpool(work)
    except IngestError as exc:
        raise ApiError(exc.status, str(exc), code=exc.code) from None
    return IngestResult.model_validate(result)
