"""The closed vocabularies of the contract: the values a typed column may take (event types, entity types,
date precisions, modalities, where a metadata field came from). Tables (`contract.tables`) declare their
columns' accepted values from these; transforms produce only these."""

from __future__ import annotations

EVENT_TYPES = (
    "talks", "ceasefire", "clash", "airstrike", "explosion", "border_closure", "border_reopening",
    "killing", "military_operation", "statement", "power_change", "other",
)
ENTITY_TYPES = (
    "PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART", "LANGUAGE",
)
DATE_PRECISIONS = ("day", "week", "month", "year")
TEXT_FIELDS = ("body", "title", "dateline_text", "byline_text", "credit_text")

# Where a metadata field came from: the page's own metadata as trafilatura reads it (meta tags, JSON-LD,
# <title>), the page <title> with the site's name cut off, the page's visible <h1> headline (when it rewords
# the metadata title), the page's visible text (a date htmldate found there), or a line of the text
# (headline, date line, byline).
METADATA_SOURCES = ("page_metadata", "page_title_minus_site", "page_h1", "page_text", "headline_line", "date_line", "byline",
                    "page_metadata+byline")

MODALITIES = ("happened", "planned", "negated", "hypothetical")
EVENT_MODALITIES = ("happened", "planned")
EVENT_STATUSES = ("event", "negated", "hypothetical", "state", "modifier", "name", "subsumed", "repeat")

DATE_BASES = ("stated", "reported", "inherited", "reference", "on_or_before", "implausible")
