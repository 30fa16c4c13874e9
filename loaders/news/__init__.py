"""The news-article loader: text in, entities and cited claims out (docs/ingest.md).

    from loaders.news import analyse, ingest, read_text
    analysis = analyse(read_text(data), store, source_url=url, published=day)
    analysis.to_json()          # entities, claims, conflicts; nothing written
    ingest(store, analysis)     # one all-or-nothing merge, idempotent

Steps, one module each: text (clean, sentences), mentions, quantities, claims, resolve;
pipeline ties them together and builds the records; evaluate measures them.
"""

from loaders.news.pipeline import MAX_BYTES, Analysis, IngestError, analyse, ingest, read_text

__all__ = ["MAX_BYTES", "Analysis", "IngestError", "analyse", "ingest", "read_text"]
