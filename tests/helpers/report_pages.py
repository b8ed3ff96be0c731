"""Checks on the validation report's pages shared by its tests: every link resolves inside the report,
nothing is fetched from a network, no script."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.references: list[tuple[str, str, str]] = []  # (tag, attribute, value) of every href/src
        self.ids: set[str] = set()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in {"href", "src"}:
                self.references.append((tag, name, value or ""))
            elif name == "id":
                self.ids.add(value or "")


def parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    return collector


def link_problems(pages: dict[str, str]) -> list[str]:
    """Every reference that is not a relative link to a page of `pages` (and to an id on it, when it has a
    fragment), every network reference, every script element. {relative path: HTML} in."""
    parsed = {path: parse(page) for path, page in pages.items()}
    problems = []
    for path, collector in parsed.items():
        problems += [f"{path}: <script>" for tag in collector.tags if tag == "script"]
        for tag, attribute, value in collector.references:
            target, _, fragment = value.partition("#")
            if ":" in target or target.startswith("//") or target.startswith("/"):
                problems.append(f"{path}: {tag} {attribute}={value!r} is not a relative link")
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target)) if target else path
            if resolved not in parsed:
                problems.append(f"{path}: {value!r} points to {resolved}, which is not in the report")
            elif fragment and fragment not in parsed[resolved].ids:
                problems.append(f"{path}: {value!r} points to #{fragment}, which {resolved} does not have")
    return problems


def written_pages(folder: Path) -> dict[str, str]:
    """Every file of a written report folder, by path relative to it (so links are checked against disk);
    not the writer's record of what it wrote, which is no page."""
    from warehouse.output_record import RECORD_NAME

    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in folder.rglob("*")
            if p.is_file() and p.name != RECORD_NAME}
