"""Schema drift: the warehouse's tables and columns, as DuckDB reports them, against the contract.

A warehouse changes shape behind the contract's back when someone alters it by hand (`ALTER TABLE articles
DROP COLUMN sitename`) or when it was made by an older version of the contract. `compare` (pure) sorts each
difference into

- a change the loader makes without losing anything, in the load transaction: a missing nullable column
  is added, a missing table created, a NOT NULL the contract no longer asks for dropped, the internal
  `_warehouse_meta` table re-made; or
- a problem that stops the run before any work: a missing NOT NULL column (rows already there have no
  value for it), a column of another type or one the contract does not know, a table that is a view.
  `newsetl run --rebuild` resolves every problem: it re-creates the tables derived from the seed files.

Tables fall in three kinds: *derived* tables (the analyst tables written per article or per corpus, the
manifest, and the staging copies) are re-made from the seed files by a rebuild; *history* tables (the
append-only logs: runs, quarantine, validation results) are kept by a rebuild unless they themselves do
not match; the *internal* meta table holds nothing a run cannot write again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import contract

META_TABLE = "_warehouse_meta"
TableKind = Literal["derived", "history", "internal"]
REBUILD_HINT = "newsetl run --rebuild"


@dataclass(frozen=True)
class ExpectedColumn:
    name: str
    sql_type: str
    nullable: bool


@dataclass(frozen=True)
class ExpectedTable:
    schema: str
    name: str
    kind: TableKind
    columns: tuple[ExpectedColumn, ...]

    @property
    def qualified(self) -> str:
        return self.name if self.schema == "main" else f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class ObservedColumn:
    name: str
    sql_type: str  # as `duckdb_columns().data_type` spells it
    nullable: bool


@dataclass(frozen=True)
class Observed:
    """What the warehouse holds: each table's columns in order, keyed by (schema, name), and its views."""

    tables: dict[tuple[str, str], tuple[ObservedColumn, ...]] = field(default_factory=dict)
    views: frozenset[tuple[str, str]] = frozenset()


ChangeKind = Literal["create_table", "recreate_table", "add_column", "drop_not_null"]


@dataclass(frozen=True)
class Change:
    """One lossless step that brings a table to the contract."""

    kind: ChangeKind
    table: ExpectedTable
    column: ExpectedColumn | None = None
    reason: str = ""

    def describe(self) -> str:
        where = self.table.qualified
        if self.kind == "add_column":
            return f"added column {where}.{self.column.name} ({self.column.sql_type})"
        if self.kind == "drop_not_null":
            return f"dropped NOT NULL of {where}.{self.column.name} (the contract allows nulls)"
        if self.kind == "create_table":
            return f"created missing table {where}"
        lost = "; its earlier rows are gone" if self.table.kind == "history" else ""
        return f"re-created table {where}" + (f" ({self.reason}{lost})" if self.reason else "")


@dataclass(frozen=True)
class Problem:
    """A difference no lossless step resolves, named by table and column."""

    table: ExpectedTable
    column: str | None
    what: str

    def describe(self) -> str:
        return f"{self.table.qualified}{'.' + self.column if self.column else ''} {self.what}"


@dataclass(frozen=True)
class Drift:
    changes: tuple[Change, ...] = ()
    problems: tuple[Problem, ...] = ()
    fresh: bool = False  # the warehouse holds none of the contract's tables yet: everything is simply created
    mismatched: frozenset[str] = frozenset()  # tables with problems (a rebuild re-makes them instead of failing)

    @property
    def reprocess(self) -> bool:
        """Rows of derived tables lack what a change adds (a column, a whole table): only processing every
        file again fills it. A dropped NOT NULL or a re-made meta table loses nothing."""
        return not self.fresh and any(c.table.kind == "derived" and c.kind != "drop_not_null" for c in self.changes)

    def notices(self) -> list[str]:
        """What the run summary says about the changes (nothing for a new warehouse)."""
        if self.fresh:
            return []
        rebuilt = any(c.reason == "rebuild" for c in self.changes)
        lines = [f"schema: {c.describe()} to match the contract" for c in self.changes if c.reason != "rebuild"]
        if rebuilt:
            remade = {c.table.qualified for c in self.changes if c.kind in ("recreate_table", "create_table")}
            kept = [t.name for t in expected_tables() if t.kind == "history" and t.qualified not in remade]
            lines.append("rebuild: re-created the analyst tables, the manifest and the staging copies from the "
                         "contract and processed every file again"
                         + (f"; kept the history in {', '.join(kept)}" if kept else ""))
        elif self.reprocess:
            lines.append("schema: every file was processed again to fill what was added")
        return lines


class SchemaDrift(RuntimeError):
    """The warehouse's tables differ from the contract in a way no lossless change resolves."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        super().__init__(drift_message(problems))


def drift_message(problems: tuple[Problem, ...]) -> str:
    """One line: every problem by table and column, that nothing was written, and the fix."""
    lost = {p.table.qualified for p in problems if p.table.kind == "history"}
    history = [t.name for t in expected_tables() if t.kind == "history"]
    kept = [name for name in history if name not in lost]
    fate = (f"the history in {', '.join(kept)} is kept" if kept else "") \
        + ("; " if kept and lost else "") + (f"{', '.join(sorted(lost))} re-created empty" if lost else "")
    return (f"the warehouse's schema does not match the contract: {'; '.join(p.describe() for p in problems)}. "
            f"Nothing was written. Run `{REBUILD_HINT}` to re-create the tables from the contract and process "
            f"every file again ({fate}).")


def expected_tables() -> tuple[ExpectedTable, ...]:
    """Every table the loader owns, as the DDL in `warehouse.schema` makes it."""
    def columns(table: contract.Table, constrained: bool) -> tuple[ExpectedColumn, ...]:
        return tuple(ExpectedColumn(c.name, c.sql_type, c.nullable or not constrained) for c in table.columns)

    tables = [ExpectedTable("main", t.name, "history" if t.write == "append" else "derived", columns(t, True))
              for t in contract.TABLES]
    tables += [ExpectedTable(contract.STAGING_SCHEMA, name, "derived", columns(contract.TABLES_BY_NAME[name], False))
               for name in contract.STAGED_TABLES]
    tables.append(ExpectedTable("main", META_TABLE, "internal",
                                (ExpectedColumn("key", "VARCHAR", False), ExpectedColumn("value", "VARCHAR", True))))
    return tuple(tables)


def _compare_table(table: ExpectedTable, found: tuple[ObservedColumn, ...]) -> tuple[list[Change], list[Problem]]:
    changes: list[Change] = []
    problems: list[Problem] = []
    observed = {c.name: c for c in found}
    for column in table.columns:
        seen = observed.get(column.name)
        if seen is None:
            if column.nullable:
                changes.append(Change("add_column", table, column))
            else:
                problems.append(Problem(table, column.name, f"is missing (the contract declares it {column.sql_type} "
                                        "NOT NULL, and the rows already there have no value for it)"))
        elif seen.sql_type != column.sql_type:
            problems.append(Problem(table, column.name,
                                    f"is {seen.sql_type} where the contract declares {column.sql_type}"))
        elif seen.nullable and not column.nullable:
            problems.append(Problem(table, column.name, "allows nulls where the contract declares it NOT NULL"))
        elif column.nullable and not seen.nullable:
            changes.append(Change("drop_not_null", table, column))
    known = {c.name for c in table.columns}
    problems += [Problem(table, c.name, "is not in the contract") for c in found if c.name not in known]
    return changes, problems


def compare(expected: tuple[ExpectedTable, ...], observed: Observed, rebuild: bool = False) -> Drift:
    """The changes that bring `observed` to `expected` without loss, and the differences that cannot.
    With `rebuild`, derived tables are re-made whatever they hold, and so are history tables that do not
    match; problems then remain only where a table name is taken by a view."""
    present = [t for t in expected if (t.schema, t.name) in observed.tables]
    if not present and not any((t.schema, t.name) in observed.views for t in expected):
        return Drift(changes=tuple(Change("create_table", t) for t in expected), fresh=True)
    changes: list[Change] = []
    problems: list[Problem] = []
    mismatched: set[str] = set()
    for table in expected:
        key = (table.schema, table.name)
        if key in observed.views:
            problems.append(Problem(table, None, "is a view where the contract declares a table; drop the view"))
            mismatched.add(table.qualified)
            continue
        if key not in observed.tables:
            changes.append(Change("create_table", table))
            continue
        own_changes, own_problems = _compare_table(table, observed.tables[key])
        if own_problems:
            mismatched.add(table.qualified)
        if rebuild and table.kind == "derived":
            changes.append(Change("recreate_table", table, reason="rebuild"))
        elif own_problems and (table.kind == "internal" or (rebuild and table.kind == "history")):
            changes.append(Change("recreate_table", table, reason="; ".join(p.describe() for p in own_problems)))
        else:
            changes += own_changes
            problems += own_problems
    return Drift(tuple(changes), tuple(problems), mismatched=frozenset(mismatched))


# The warehouse's own tables and views (not DuckDB's internal ones, not those of attached databases).
OBSERVE_TABLES_SQL = """
    SELECT c.schema_name, c.table_name, c.column_name, c.data_type, c.is_nullable
    FROM duckdb_columns() c JOIN duckdb_tables() t USING (table_oid)
    WHERE t.database_name = current_database() AND NOT t.internal AND NOT t.temporary
    ORDER BY c.schema_name, c.table_name, c.column_index"""
OBSERVE_VIEWS_SQL = """
    SELECT schema_name, view_name FROM duckdb_views()
    WHERE database_name = current_database() AND NOT internal AND NOT temporary"""


def observe(con) -> Observed:
    """The tables and views of the warehouse `con` is connected to (plain data: no DuckDB object kept)."""
    tables: dict[tuple[str, str], list[ObservedColumn]] = {}
    for schema, table, name, sql_type, nullable in con.execute(OBSERVE_TABLES_SQL).fetchall():
        tables.setdefault((schema, table), []).append(ObservedColumn(name, sql_type, bool(nullable)))
    views = frozenset((s, v) for s, v in con.execute(OBSERVE_VIEWS_SQL).fetchall())
    return Observed({key: tuple(columns) for key, columns in tables.items()}, views)
