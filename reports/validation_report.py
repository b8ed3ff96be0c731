"""The validation report: static HTML pages rendered from a warehouse's own `runs`, `validation_results`
and `quarantine` rows. Pure: rows in, {relative path: HTML} out (`reports.validation_report_writer` reads and writes).

Why not GX Data Docs: their index is built by JavaScript fetched from CDNs (empty offline), they link to
expectation pages that are never built, and one site under the GX project mixes the runs of every
warehouse. These pages are one folder per warehouse, readable from file:// with no network and no script:
inline CSS, relative links, every value HTML-escaped.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

import contract

INDEX_PAGE = "index.html"
RUNS_FOLDER = "runs"
RUNS_SHOWN = 100  # newest runs with a page; older ones stay in the `runs` table
QUARANTINE_ROWS_SHOWN = 2000  # per run page; the rest are a query away
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")

CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 78em; padding: 0 1em; color: #1d232b; }
h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { font-size: 1.2em; margin-top: 1.8em; }
h3 { font-size: 1.05em; margin-top: 1.4em; }
nav a { margin-right: 1.2em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1em; }
th, td { border: 1px solid #d5dae1; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #eef1f5; } td.num, th.num { text-align: right; }
code { font-size: .9em; overflow-wrap: anywhere; } td.run, td.time, td.expectation { white-space: nowrap; }
.passed { color: #176b2c; } .failed { color: #a4161a; font-weight: 600; }
tr.failed td { background: #fff1f1; }
.status { display: inline-block; padding: 0 .5em; border-radius: .3em; background: #eef1f5; }
.status.completed { background: #dff3e4; } .status.failed { background: #fbdcdc; }
dl { display: grid; grid-template-columns: max-content auto; gap: .15em 1em; }
dt { color: #55606e; } dd { margin: 0; }
.note { color: #55606e; }
"""


def run_page_path(run_id: str) -> str:
    """The run's page, relative to the report folder. Run ids are file-name safe; any other (hand-made)
    id gets a stable hash as its name."""
    name = run_id if _SAFE_NAME.fullmatch(run_id) else "run-" + hashlib.sha256(run_id.encode()).hexdigest()[:16]
    return f"{RUNS_FOLDER}/{name}.html"


def _text(value) -> str:
    """A cell value as escaped text: nothing for null, UTC time for timestamps."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return html.escape(str(value), quote=True)


def _link(href: str, label: str) -> str:
    return f'<a href="{html.escape(href, quote=True)}">{html.escape(label)}</a>'


def _table(headers: Iterable[str], rows: Iterable[str], numeric: Iterable[str] = ()) -> str:
    """A table of pre-rendered `<tr>` rows; `numeric` headers are right-aligned."""
    numeric = set(numeric)
    head = "".join(f'<th class="num">{html.escape(h)}</th>' if h in numeric else f"<th>{html.escape(h)}</th>"
                   for h in headers)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"


def _cells(*cells: tuple[str, str]) -> str:
    """`(class, already escaped HTML)` pairs -> `<td>`s."""
    return "".join(f'<td class="{cls}">{content}</td>' if cls else f"<td>{content}</td>" for cls, content in cells)


def _page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def _status(status: str) -> str:
    return f'<span class="status {_text(status)}">{_text(status)}</span>'


def _duration(run: dict) -> str:
    started, finished = run.get("started_at"), run.get("finished_at")
    if not (isinstance(started, datetime) and isinstance(finished, datetime)):
        return ""
    return f"{(finished - started).total_seconds():.1f} s"


def _table_order(name: str) -> tuple[int, str]:
    """Contract order (rejected files first), so every page lists tables the same way."""
    names = ["files"] + [t.name for t in contract.TABLES]
    return (names.index(name) if name in names else len(names), name)


def _by_run(rows: Iterable[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["run_id"]].append(row)
    return grouped


def _section_id(table_name: str, rederived: bool) -> str:
    return f"table-{table_name}" + ("-rederived" if rederived else "")


def _sections(results: list[dict]) -> list[tuple[str, bool, list[dict]]]:
    """(table, re-derived pass?, its expectation rows: failed first) in contract order. A run that
    quarantined an article validated the cross-article tables twice; the second pass is its own section."""
    grouped: dict[tuple[str, bool], list[dict]] = defaultdict(list)
    for row in results:
        grouped[(row["table_name"], str(row["result_id"]).endswith(contract.REDERIVED_SUFFIX))].append(row)
    ordered = sorted(grouped, key=lambda key: (key[1], _table_order(key[0])))
    return [(name, rederived, sorted(grouped[(name, rederived)], key=lambda r: (
        bool(r["success"]), r["expectation"], r.get("column_name") or ""))) for name, rederived in ordered]


def _index_row(run: dict, results: list[dict], quarantined: int) -> str:
    failed = sum(1 for r in results if not r["success"])
    checks = (("num", str(len(results) - failed)), ("num failed" if failed else "num", str(failed))) if results \
        else (("note", "none run"), ("", ""))
    row = _cells(("run", _link(run_page_path(run["run_id"]), run["run_id"])), ("", _status(run["status"])),
                 ("time", _text(run.get("started_at"))), ("num", _duration(run)),
                 ("num", _text(run.get("files_seen"))), ("num", _text(run.get("files_loaded"))),
                 ("num", _text(run.get("files_quarantined"))), *checks, ("num", str(quarantined)))
    return f'<tr class="failed">{row}</tr>' if failed else f"<tr>{row}</tr>"


def render_index(warehouse_name: str, runs: list[dict], results_by_run: dict[str, list[dict]],
                 quarantined_by_run: dict[str, int], older_runs: int = 0) -> str:
    """The runs of one warehouse, newest first, each linking to its page."""
    rows = [_index_row(run, results_by_run.get(run["run_id"], []), quarantined_by_run.get(run["run_id"], 0))
            for run in runs]
    headers = ("run", "status", "started (UTC)", "took", "files seen", "loaded", "quarantined",
               "expectations passed", "failed", "rows quarantined")
    older = (f'<p class="note">{older_runs} older run(s) not shown: <code>SELECT * FROM runs ORDER BY started_at'
             f"</code>.</p>") if older_runs else ""
    body = (f"<header><h1>Validation report: {_text(warehouse_name)}</h1>\n"
            f'<p class="note">Every run of this warehouse, newest first: what Great Expectations checked and what '
            f"was quarantined. Rendered from its <code>runs</code>, <code>validation_results</code> and "
            f"<code>quarantine</code> tables after each run.</p></header>\n<main>\n"
            + (_table(headers, rows, headers[3:]) if rows else "<p>No runs yet.</p>")
            + f"\n{older}\n</main>")
    return _page(f"Validation report: {warehouse_name}", body)


def _facts(run: dict) -> str:
    facts = [("status", _status(run["status"])), ("started (UTC)", _text(run.get("started_at"))),
             ("finished (UTC)", _text(run.get("finished_at"))), ("took", _duration(run)),
             ("seeds folder", f"<code>{_text(run.get('seeds_dir'))}</code>"),
             ("files", ", ".join(f"{label} {_text(run.get(key))}" for label, key in (
                 ("seen", "files_seen"), ("new", "files_new"), ("changed", "files_changed"),
                 ("unchanged", "files_unchanged"), ("removed", "files_removed"), ("loaded", "files_loaded"),
                 ("quarantined", "files_quarantined")))),
             ("documents processed", _text(run.get("documents_processed")))]
    if run.get("message"):
        facts.append(("message", _text(run["message"])))
    return "<dl>\n" + "\n".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in facts) + "\n</dl>"


def _expectation_row(row: dict) -> str:
    verdict = ("passed", "passed") if row["success"] else ("failed", "failed")
    unexpected = f"{_text(row.get('unexpected_count'))} of {_text(row.get('element_count'))}"
    cells = _cells(("expectation", f"<code>{_text(row['expectation'])}</code>"), ("", _text(row.get("column_name"))),
                   ("", f"<code>{_text(_compact_json(row.get('kwargs')))}</code>"), (verdict[0], verdict[1]),
                   ("num", unexpected))
    return f'<tr class="failed">{cells}</tr>' if not row["success"] else f"<tr>{cells}</tr>"


def _compact_json(value) -> str | None:
    """Stored kwargs JSON, one line (DuckDB may hand it back re-spaced)."""
    if value is None:
        return None
    try:
        return json.dumps(json.loads(value) if isinstance(value, str) else value, sort_keys=True, ensure_ascii=False)
    except ValueError:
        return str(value)


def _quarantine_section(run_id: str, rows: list[dict]) -> str:
    if not rows:
        return '<h2 id="quarantine">Quarantine</h2>\n<p>No rows or files quarantined.</p>'
    ordered = sorted(rows, key=lambda r: (_table_order(r["table_name"]), r.get("check_name") or "",
                                          r.get("record_key") or ""))
    shown = ordered[:QUARANTINE_ROWS_SHOWN]
    lines = [_quarantine_row(r) for r in shown]
    more = (f'<p class="note">{len(rows) - len(shown)} more: <code>SELECT * FROM quarantine WHERE run_id = '
            f"{_text(_sql_string(run_id))}</code></p>") if len(rows) > len(shown) else ""
    return (f'<h2 id="quarantine">Quarantine ({len(rows)} rows)</h2>\n<p class="note">The rejected rows themselves: '
            f"<code>SELECT row_json FROM quarantine WHERE run_id = {_text(_sql_string(run_id))}</code></p>\n"
            + _table(("table", "record key", "seed", "check", "reason"), lines) + more)


def _quarantine_row(row: dict) -> str:
    return "<tr>" + _cells(("", _text(row["table_name"])), ("", f"<code>{_text(row.get('record_key'))}</code>"),
                           ("", _text(row.get("seed_name"))), ("", f"<code>{_text(row.get('check_name'))}</code>"),
                           ("", _text(row.get("reason")))) + "</tr>"


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _contents(sections: list[tuple[str, bool, list[dict]]], quarantined: int) -> str:
    items = [f"<li>{_link('#quarantine', 'Quarantine')} ({quarantined} rows)</li>"]
    for name, rederived, rows in sections:
        failed = sum(1 for r in rows if not r["success"])
        label = name + (" (re-derived)" if rederived else "")
        verdict = f'<span class="failed">{failed} failed</span>' if failed else '<span class="passed">all passed</span>'
        items.append(f"<li>{_link('#' + _section_id(name, rederived), label)}: {len(rows)} expectations, {verdict}</li>")
    return "<ul>\n" + "\n".join(items) + "\n</ul>"


def render_run_page(run: dict, results: list[dict], quarantine: list[dict], newer: str | None = None,
                    older: str | None = None) -> str:
    """One run: its facts, its quarantine rows, and every expectation of every table it validated.
    `newer`/`older`: run ids of the neighbouring runs that have pages."""
    run_id = run["run_id"]
    nav = [_link(f"../{INDEX_PAGE}", "all runs")]
    nav += [_link("../" + run_page_path(other), f"{label} run {other}") for label, other in
            (("newer", newer), ("older", older)) if other]
    sections = _sections(results)
    failed = sum(1 for r in results if not r["success"])
    if results:
        summary = (f"<p>{len(results)} expectations checked on {len(sections)} table(s): {len(results) - failed} passed, "
                   f'<span class="{"failed" if failed else "passed"}">{failed} failed</span>; '
                   f"{len(quarantine)} row(s) quarantined.</p>")
    else:
        summary = f"<p>No expectations were run ({'nothing changed' if run['status'] == 'noop' else 'nothing to validate'}); " \
                  f"{len(quarantine)} row(s) quarantined.</p>"
    parts = [f"<header><nav>{' '.join(nav)}</nav>\n<h1>Run {_text(run_id)}</h1>\n{_facts(run)}\n{summary}</header>",
             "<main>", _contents(sections, len(quarantine)) if results else "", _quarantine_section(run_id, quarantine)]
    if sections:
        parts.append("<h2>Expectations</h2>")
    for name, rederived, rows in sections:
        note = ' <span class="note">(derived again without the quarantined articles)</span>' if rederived else ""
        parts.append(f'<h3 id="{_section_id(name, rederived)}">{_text(name)}{note}</h3>')
        parts.append(_table(("expectation", "column", "arguments", "result", "unexpected rows"),
                            map(_expectation_row, rows), ("unexpected rows",)))
    parts.append("</main>")
    return _page(f"Run {run_id}", "\n".join(p for p in parts if p))


def render_report(warehouse_name: str, runs: list[dict], results: list[dict], quarantine: list[dict],
                  older_runs: int = 0) -> dict[str, str]:
    """Every page of the report: {path relative to the report folder: HTML}. `runs` are the runs shown
    (any order; newest first on the pages), `results` and `quarantine` their rows."""
    runs = sorted(runs, key=lambda r: (r["started_at"], r["run_id"]), reverse=True)
    results_by_run, quarantine_by_run = _by_run(results), _by_run(quarantine)
    pages = {INDEX_PAGE: render_index(warehouse_name, runs, results_by_run,
                                      {k: len(v) for k, v in quarantine_by_run.items()}, older_runs)}
    ids = [run["run_id"] for run in runs]
    for position, run in enumerate(runs):
        pages[run_page_path(run["run_id"])] = render_run_page(
            run, results_by_run.get(run["run_id"], []), quarantine_by_run.get(run["run_id"], []),
            newer=ids[position - 1] if position > 0 else None,
            older=ids[position + 1] if position + 1 < len(ids) else None)
    return pages
