"""The validation report's pages, rendered from rows: what they show, escaping, and self-contained links."""

from datetime import datetime

import contract
from tests.helpers.report_pages import link_problems, parse
from reports.validation_report import (INDEX_PAGE, QUARANTINE_ROWS_SHOWN, render_report,
                                         run_page_path)

FIRST, SECOND, NOOP = "20250101T120000Z-r7583", "20250102T120000Z-r0a1f", "20250103T120000Z-rbeef"
HOSTILE_REASON = '<script>alert("x")</script> & \'quoted\''


def _run(run_id: str, day: int, status: str = "completed") -> dict:
    return {"run_id": run_id, "started_at": datetime(2025, 1, day, 12), "finished_at": datetime(2025, 1, day, 12, 0, 7),
            "status": status, "seeds_dir": "seeds", "files_seen": 5, "files_new": 5 if status == "completed" else 0,
            "files_changed": 0, "files_unchanged": 0, "files_removed": 0, "documents_processed": 5,
            "files_loaded": 4, "files_quarantined": 1, "message": None}


def _result(run_id: str, table: str, expectation: str, column: str | None, success: bool, unexpected: int = 0,
            result_id: str | None = None) -> dict:
    return {"run_id": run_id, "result_id": result_id or f"{run_id}-{table}-{expectation}-{column}", "table_name": table,
            "expectation": expectation, "column_name": column, "kwargs": f'{{"column": "{column}", "min_value": 0}}',
            "success": success, "element_count": 12, "unexpected_count": unexpected}


def _quarantine(run_id: str, table: str, key: str, check: str, reason: str) -> dict:
    return {"run_id": run_id, "quarantine_id": f"q-{key}", "table_name": table, "record_key": key,
            "seed_name": "003_x.txt", "check_name": check, "reason": reason}


RUNS = [_run(FIRST, 1), _run(SECOND, 2), _run(NOOP, 3, "noop")]
RESULTS = [
    _result(FIRST, "quotes", "expect_column_values_to_be_between", "confidence", True),
    _result(SECOND, "quotes", "expect_column_values_to_be_between", "confidence", False, 1),
    _result(SECOND, "quotes", "expect_column_values_to_not_be_null", "quote_text", True),
    _result(SECOND, "articles", "expect_column_values_to_not_be_null", "body", True),
    _result(SECOND, "entities", "expect_column_values_to_be_unique", "entity_id", True,
            result_id="x" + contract.REDERIVED_SUFFIX),
]
QUARANTINE = [_quarantine(SECOND, "quotes", "quote-1", "expect_column_values_to_be_between(confidence)",
                          HOSTILE_REASON),
              _quarantine(SECOND, "files", "003_x.txt", "binary", "not text")]


def _pages() -> dict[str, str]:
    return render_report("news.duckdb", RUNS, RESULTS, QUARANTINE)


def test_index_lists_runs_newest_first_each_linking_to_its_page():
    index = _pages()[INDEX_PAGE]
    links = [value for _, _, value in parse(index).references]
    assert links == [run_page_path(NOOP), run_page_path(SECOND), run_page_path(FIRST)]
    assert f">{SECOND}</a>" in index and "news.duckdb" in index
    # the second run's row: 2 expectations passed, 1 failed, 2 rows quarantined
    row = index.split(f">{SECOND}</a>")[1].split("</tr>")[0]
    cells = [cell.split(">", 1)[1] for cell in row.split("</td>")[1:-1]]
    assert cells[-3:] == ["3", "1", "2"] and "2025-01-02 12:00:00" in row and "7.0 s" in row


def test_a_failed_expectation_shows_as_failed():
    page = _pages()[run_page_path(SECOND)]
    failed_row = next(row for row in page.split("<tr") if "<code>expect_column_values_to_be_between</code>" in row)
    assert failed_row.startswith(' class="failed"') and '<td class="failed">failed</td>' in failed_row
    assert "1 of 12" in failed_row
    passed_row = next(row for row in page.split("<tr") if "quote_text" in row)
    assert '<td class="passed">passed</td>' in passed_row
    assert '4 expectations checked on 3 table(s): 3 passed, <span class="failed">1 failed</span>' in page
    first = _pages()[run_page_path(FIRST)]
    assert '<td class="failed">' not in first and '<span class="passed">0 failed</span>' in first


def test_quarantine_rows_are_shown_escaped():
    page = _pages()[run_page_path(SECOND)]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;" in page
    assert HOSTILE_REASON not in page and "<script" not in page
    quarantine = page.split('id="quarantine"')[1]
    assert quarantine.index(">files<") < quarantine.index(">quotes<")  # rejected files first
    for text in ("quote-1", "003_x.txt", "expect_column_values_to_be_between(confidence)", "not text"):
        assert text in quarantine
    assert "Quarantine (2 rows)" in page


def test_a_noop_run_has_a_page_saying_nothing_was_checked():
    pages = _pages()
    assert "No expectations were run (nothing changed)" in pages[run_page_path(NOOP)]
    assert "none run" in pages[INDEX_PAGE].split(f">{NOOP}</a>")[1].split("</tr>")[0]


def test_the_rederived_pass_has_its_own_section():
    page = _pages()[run_page_path(SECOND)]
    assert 'id="table-entities-rederived"' in page and 'id="table-entities"' not in page
    assert page.index('id="table-articles"') < page.index('id="table-quotes"') < page.index('id="table-entities-rederived"')


def test_every_link_resolves_inside_the_report_and_nothing_is_fetched():
    pages = _pages()
    assert set(pages) == {INDEX_PAGE, *(run_page_path(r["run_id"]) for r in RUNS)}
    assert link_problems(pages) == []
    for page in pages.values():
        assert "http://" not in page and "https://" not in page and "<script" not in page
    # the checker itself catches what it must
    broken = dict(pages, **{"runs/extra.html": '<a href="https://cdn.example/x.js">x</a><a href="../gone.html">y</a>'
                                               '<a href="#nowhere">z</a><script src="a.js"></script>'})
    problems = link_problems(broken)
    assert len(problems) == 5 and all(p.startswith("runs/extra.html") for p in problems)  # script: tag and src


def test_neighbouring_runs_link_to_each_other():
    page = _pages()[run_page_path(SECOND)]
    assert f'href="../{run_page_path(NOOP)}"' in page and f'href="../{run_page_path(FIRST)}"' in page
    assert 'href="../index.html"' in page


def test_long_quarantines_are_cut_with_the_query_for_the_rest():
    many = [_quarantine(FIRST, "quotes", f"q{i:05d}", "check", "reason") for i in range(QUARANTINE_ROWS_SHOWN + 3)]
    page = render_report("w.duckdb", [RUNS[0]], [], many)[run_page_path(FIRST)]
    assert page.count("<tr><td>quotes</td>") == QUARANTINE_ROWS_SHOWN
    assert f"3 more: <code>SELECT * FROM quarantine WHERE run_id = &#x27;{FIRST}&#x27;</code>" in page


def test_run_pages_have_file_safe_names():
    assert run_page_path(FIRST) == f"runs/{FIRST}.html"
    odd = run_page_path("../../etc/passwd")
    assert odd.startswith("runs/run-") and odd.count("/") == 1 and odd == run_page_path("../../etc/passwd")


