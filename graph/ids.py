"""Stable ids from natural keys, so that loading the same fact twice merges into one entity.

Countries are keyed by ISO 3166 alpha-3 (resolved with pycountry from a name, alias or
code); everything else by its label and normalised name. Ids stay readable (analysts type
them into the CLI and Cypher) and fall back to a hash when the name has no latin letters.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import cache

import pycountry

MAX_SLUG = 60

# Common short forms in news text that pycountry's fuzzy search does not resolve.
_COUNTRY_SHORT_FORMS = {
    "us": "USA",
    "u.s.": "USA",
    "u.s": "USA",
    "usa": "USA",
    "united states": "USA",
    "america": "USA",
    "uk": "GBR",
    "u.k.": "GBR",
    "britain": "GBR",
    "south korea": "KOR",
    "north korea": "PRK",
    "russia": "RUS",
    "taiwan": "TWN",
    "vietnam": "VNM",
}


def normalise(text: str) -> str:
    """Fold case, accents, punctuation and spacing, for comparing names.

    >>> normalise("  SoftBank   Group Corp. ")
    'softbank group corp'
    >>> normalise("Ministère de l'Économie")
    'ministere de l economie'
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded.lower()).split())


@cache
def country_code(name_or_code: str) -> str | None:
    """ISO alpha-3 code for a country name, short form or code, or None.

    >>> country_code("Japan"), country_code("U.S."), country_code("KOR")
    ('JPN', 'USA', 'KOR')
    """
    text = name_or_code.strip()
    short = _COUNTRY_SHORT_FORMS.get(text.lower())
    if short:
        return short
    country = pycountry.countries.get(alpha_3=text.upper()) if len(text) == 3 else None
    if country is None and len(text) == 2:
        country = pycountry.countries.get(alpha_2=text.upper())
    if country is None:
        country = pycountry.countries.get(name=text) or pycountry.countries.get(common_name=text)
    if country is None:
        try:
            matches = pycountry.countries.search_fuzzy(text)
        except LookupError:
            return None
        exact = [
            c
            for c in matches
            if normalise(text)
            in {
                normalise(getattr(c, "name", "")),
                normalise(getattr(c, "common_name", "")),
                normalise(getattr(c, "official_name", "")),
            }
        ]
        country = exact[0] if exact else None
    return country.alpha_3 if country else None


def node_id(label: str, key: str) -> str:
    """The id of a node from its label and natural key.

    >>> node_id("Country", "JPN")
    'JPN'
    >>> node_id("Company", "SoftBank Group")
    'company:softbank-group'
    """
    if label == "Country":
        return key.upper()
    slug = normalise(key).replace(" ", "-")
    if not slug or len(slug) > MAX_SLUG:
        digest = hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]
        slug = (slug[: MAX_SLUG - 13].rstrip("-") + "-" + digest).lstrip("-")
    return f"{label.lower()}:{slug}"


def relationship_id(rel_type: str, start: str, end: str, key: str = "") -> str:
    """The id of a relationship: a hash of its type, ends and optional discriminator.

    >>> relationship_id("LEADS", "company:softbank-group", "project:x") == relationship_id(
    ...     "LEADS", "company:softbank-group", "project:x")
    True
    """
    digest = hashlib.sha1(f"{rel_type}|{start}|{end}|{key}".encode(), usedforsecurity=False).hexdigest()[:16]
    return f"rel:{digest}"
