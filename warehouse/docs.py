"""Render the analyst-facing schema reference (warehouse/README.md) from the contract.

`python -m warehouse.docs` rewrites the file; a test fails when the committed file is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

import contract
from warehouse.schema import META_TABLE
from warehouse.views import VIEWS

README = Path(__file__).resolve().parent / "README.md"
QUERIES = Path(__file__).resolve().parent / "queries"

INTRO = """# Warehouse schema

`warehouse/news.duckdb` is written by `newsetl run`. Query it read-only while no run is writing, with
`newsetl sql` (a shell: `make sql`) or `newsetl sql -c "..."` (it needs no DuckDB CLI; a DuckDB CLI
older than 2.0 cannot read the file):

```sql
-- newsetl sql --db warehouse/news.duckdb
SELECT speaker, quote_text FROM who_said_what ORDER BY speaker;
```

This file is generated from `contract/__init__.py` (`python -m warehouse.docs`); the same contract
generates the DDL and the Great Expectations suites, and the descriptions below are also stored in the
database (`.schema TABLE` in the shell, or `SELECT table_name, column_name, comment FROM duckdb_columns()`).

Conventions:
- Ids are stable hashes: re-running on the same input gives the same ids.
- Offsets (`start_char`, `end_char`) are 0-based character offsets, end exclusive, into `articles.body`
  unless a `text_field` column names another article field: `body[start_char:end_char]` is the stored text.
- Dates: `event_date` is the first day of the period `date_precision` names (day, month or year).
- Write modes: *article* tables are replaced per article when its file changes and retracted when the
  file disappears; *corpus* tables are rebuilt from all articles on every run that changes anything;
  *append* tables only grow.
"""


def _schemas() -> str:
    staged = ", ".join(f"`{name}`" for name in contract.STAGED_TABLES)
    why = contract.STAGING_DESCRIPTION.removeprefix("Internal, not for analysis: ")
    return f"""## Schemas

- `main`: the analyst tables and views below.
- `{contract.STAGING_SCHEMA}` (internal, not for analysis): {staged}. Each holds {why} That
  is why `information_schema.tables` lists these names twice; query the `main` ones.
- `{META_TABLE}` in `main` (internal): {contract.META_DESCRIPTION.removeprefix("Internal: ")}
"""


def _type(column: contract.Column) -> str:
    return column.sql_type + ("" if column.nullable else " NOT NULL")


def _rules(column: contract.Column) -> str:
    rules = []
    if column.allowed:
        rules.append("one of " + ", ".join(f"`{v}`" for v in column.allowed))
    if column.min_value is not None:
        rules.append(f">= {column.min_value:g}")
    if column.references:
        rules.append(f"→ `{column.references}`")
    return "; ".join(rules)


def render() -> str:
    parts = [INTRO, _schemas()]
    parts.append("## Tables\n")
    parts.append("| table | write mode | key | what a row is |\n|---|---|---|---|")
    for table in contract.TABLES:
        parts.append(f"| [`{table.name}`](#{table.name}) | {table.write} | {', '.join(table.primary_key)} | "
                     f"{table.description} |")
    for table in contract.TABLES:
        parts.append(f"\n### {table.name}\n\n{table.description}\n\nWrite mode: **{table.write}**. "
                     f"Key: `{', '.join(table.primary_key)}`.\n")
        parts.append("| column | type | rules | meaning |\n|---|---|---|---|")
        for column in table.columns:
            description = column.description.replace("|", "\\|")
            parts.append(f"| `{column.name}` | {_type(column)} | {_rules(column)} | {description} |")
        for rule in table.spans:
            field = f"the field named by `{rule.text_field}`" if rule.text_field else "`articles.body`"
            parts.append(f"\nRule: `{rule.surface}` equals {field}`[{rule.start}:{rule.end}]`.")
        for check in table.row_checks:
            parts.append(f"\nRule (`{check.column_name}`): {check.description}")
    parts.append("\n## Views\n")
    for name, (description, sql) in VIEWS.items():
        body = "\n".join(line[8:] if line.startswith(" " * 8) else line for line in sql.strip("\n").splitlines())
        parts.append(f"### {name}\n\n{description}\n\n```sql\n{body.strip()}\n```\n")
    parts.append(_query_pack())
    return "\n".join(parts).rstrip() + "\n"


def query_files() -> list[Path]:
    return sorted(QUERIES.glob("*.sql"))


def _query_pack() -> str:
    """The ready-made queries in `warehouse/queries/`, each with what its leading comment says it answers."""
    parts = ["## Query pack\n", "Ready-made questions in `warehouse/queries/`, run with "
             "`newsetl sql -f warehouse/queries/NAME.sql` (or pasted into any DuckDB client).\n",
             "| file | what it answers |\n|---|---|"]
    for path in query_files():
        comment = " ".join(line.removeprefix("--").strip() for line in path.read_text(encoding="utf-8").splitlines()
                           if line.startswith("--"))
        parts.append(f"| [`{path.name}`](queries/{path.name}) | {comment} |")
    return "\n".join(parts) + "\n"


def main() -> int:
    README.write_text(render(), encoding="utf-8")
    print(f"wrote {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
