"""The schema reference (warehouse/README.md) is generated from the contract, is current, and documents every
table and view an analyst can list."""

from pathlib import Path

import duckdb

import contract
from warehouse import docs
from warehouse.schema import ensure_schema
from warehouse.views import VIEWS

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schema_doc_is_current():
    assert (ROOT / "warehouse" / "README.md").read_text(encoding="utf-8") == docs.render(), \
        "warehouse/README.md is stale: run `python -m warehouse.docs`"


def test_every_table_an_analyst_can_list_is_documented():
    """`information_schema.tables` of a fresh warehouse: every table and view is in the schema reference,
    and the internal ones say so in the database too."""
    con = duckdb.connect()
    ensure_schema(con)
    listed = con.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()
    readme = docs.README.read_text(encoding="utf-8")
    comments = dict(((s, t), c) for s, t, c in con.execute(
        "SELECT schema_name, table_name, comment FROM duckdb_tables()").fetchall())
    assert {schema for schema, _ in listed} == {"main", contract.STAGING_SCHEMA}
    for schema, name in listed:
        assert f"`{name}`" in readme or f"### {name}\n" in readme, name
        if schema == contract.STAGING_SCHEMA or name.startswith("_"):
            assert comments[(schema, name)].startswith("Internal"), (schema, name)
    assert f"`{contract.STAGING_SCHEMA}` (internal" in readme


def test_every_view_and_query_file_is_described_in_the_reference():
    text = docs.render()
    for name, (description, _) in VIEWS.items():
        assert f"### {name}\n\n{description}\n\n```sql\nSELECT" in text, name  # the SQL, de-indented
    assert docs.query_files()
    for path in docs.query_files():
        [first_comment, *_] = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("--")]
        assert f"| [`{path.name}`](queries/{path.name}) | {first_comment.removeprefix('--').strip()}" in text


def test_a_column_rule_is_written_as_the_contract_declares_it():
    text = docs.render()
    precision = contract.ARTICLES.column("reference_precision")
    assert "one of " + ", ".join(f"`{v}`" for v in precision.allowed) in text
    assert "→ `articles.article_id`" in text
    [rule] = contract.QUOTES.spans
    quotes = text.split("\n### quotes\n")[1].split("\n### ")[0]
    assert f"Rule: `{rule.surface}` equals `articles.body`" in quotes and f"[{rule.start}:{rule.end}]" in quotes
