"""Record types passed between the stages (plain, picklable dataclasses): what cleaning makes of a file,
and why a file is not an article (`Rejected`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

@dataclass(frozen=True)
class Rejected:
    """Why a file is not an article, whichever stage found out (reading, decoding, cleaning, extracting,
    resolving): a check name and a one-line reason, and the file once the stage knows it. It becomes the
    file's quarantine row and its manifest entry."""

    check: str
    reason: str
    seed_name: str | None = None

    def of(self, seed_name: str) -> "Rejected":
        return replace(self, seed_name=seed_name)


RemovalKind = Literal["clutter", "metadata"]


@dataclass(frozen=True)
class Removed:
    """Text kept out of the body: page clutter, or metadata moved into an article column."""

    line_no: int
    text: str
    reason: str
    kind: RemovalKind = "clutter"


@dataclass(frozen=True)
class Paragraph:
    line_no: int
    text: str


@dataclass
class Metadata:
    title: str | None = None
    published_date: date | None = None
    published_date_text: str | None = None
    authors: list[str] = field(default_factory=list)
    agency: str | None = None
    dateline: str | None = None
    dateline_text: str | None = None
    byline_text: str | None = None
    credit_text: str | None = None
    source_url: str | None = None
    source_domain: str | None = None
    sitename: str | None = None
    language: str | None = None
    # Where each of title, published_date and authors came from (see `contract.METADATA_SOURCES`).
    title_source: str | None = None
    published_date_source: str | None = None
    authors_source: str | None = None
    # Fields left null because their value was doubtful: "<column>: <reason> (<value>)", like validation's.
    field_issues: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CleanedArticle:
    """Output of cleaning one document: the body every offset points into, and what was removed."""

    article_id: str
    seed_name: str
    content_sha256: str
    size_bytes: int
    input_format: Literal["html", "text"]
    encoding: str
    raw_text: str
    body: str
    meta: Metadata
    removed: tuple[Removed, ...]


def article_id_for(seed_name: str) -> str:
    """Stable id of an input file: re-ingesting a changed file replaces the same article."""
    return hashlib.sha256(seed_name.encode("utf-8")).hexdigest()[:16]


def stable_id(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def last_update_issue(value: date) -> str:
    return f"published_date: the page gives it only as a last-update date ({value})"


def impossible_date_issue(written: str) -> str:
    return f"published_date: not a calendar date ({written}); kept as text in published_date_text"


def ambiguous_order_issue(written: str, value: date) -> str:
    return (f"published_date: day/month order of {written!r} not shown by the page; read day-first as {value}"
            " (month-first would differ)")


def note_field_issue(meta: Metadata, issue: str) -> None:
    """Record why a field was left null, once."""
    if issue not in meta.field_issues:
        meta.field_issues.append(issue)
