"""GET /api/export: the graph, or a neighbourhood, as a download (GraphML, GEXF, node-link
JSON, CSV as a zip of nodes.csv + relationships.csv, or a Cypher script).

The API never reads or writes a server path: the file is built in memory and sent with a
Content-Disposition header. docs/formats.md describes each encoding.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import StoreDep
from api.errors import ApiError, ErrorEnvelope
from api.limits import MAX_DEPTH, MAX_TEXT
from graph import formats
from graph.formats import FormatError

router = APIRouter(prefix="/api", tags=["export"])

ExportFormat = Literal["graphml", "gexf", "json", "csv", "cypher"]


def file_name(fmt: str, center: str | None, depth: int) -> str:
    """The download's name, e.g. dealgraph.graphml or dealgraph-company-softbank-group-2.zip.

    >>> file_name("csv", "company:softbank-group", 2)
    'dealgraph-company-softbank-group-2.zip'
    """
    stem = "dealgraph"
    if center:
        stem += "-" + re.sub(r"[^A-Za-z0-9._-]+", "-", center).strip("-.")[:80] + f"-{depth}"
    return stem + formats.MEDIA_TYPES[fmt][1]


@router.get(
    "/export",
    summary="Download the graph (or the neighbourhood of `center`) as GraphML, GEXF, JSON, CSV (zip) or Cypher",
    responses={
        200: {
            "content": {media: {} for media, _ in formats.MEDIA_TYPES.values()},
            "description": "The file, as an attachment.",
        },
        404: {"model": ErrorEnvelope, "description": "No entity has the `center` id."},
    },
    response_class=Response,
)
def export(
    store: StoreDep,
    format: Annotated[ExportFormat, Query(description="graphml, gexf, json, csv (a zip) or cypher.")] = "json",
    center: Annotated[str | None, Query(max_length=MAX_TEXT, description="Entity id: its neighbourhood only.")] = None,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Hops from `center`.")] = 1,
) -> Response:
    try:
        data = formats.export_bytes(store, format, center, depth)
    except KeyError:
        raise ApiError(404, f"no entity with id {center!r}") from None
    except (FormatError, ValueError) as exc:
        raise ApiError(422, f"cannot export as {format}: {exc}", details=[{"parameter": "format"}]) from None
    media_type, _ = formats.MEDIA_TYPES[format]
    return Response(
        content=data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{file_name(format, center, depth)}"'},
    )
