"""Great Expectations suites, one per warehouse table, generated from the contract.

The suites are stored as JSON under `expectations/gx/expectations/` (versioned in git); a test checks
that the stored files equal what the contract generates, so suites, DDL and docs cannot disagree.
"""

from __future__ import annotations

from typing import Any

from expectations.checks import check_columns, fk_check_name, span_check_name
import contract

# Tables validated before load (audit logs are written by the pipeline itself).
VALIDATED_TABLES = tuple(t for t in contract.TABLES if t.write in {"article", "corpus"})


def expectation_specs(table: contract.Table) -> list[tuple[str, dict[str, Any]]]:
    """(GX expectation class name, kwargs) for every rule of a table's contract, in a stable order."""
    specs: list[tuple[str, dict[str, Any]]] = [
        ("ExpectTableColumnsToMatchSet",
         {"column_set": table.column_names + check_columns(table), "exact_match": True}),
    ]
    # Offsets and surfaces under a span rule are checked by it, more strictly (present, 0 <= start < end <=
    # len(text), text reproduced): separate not-null and minimum expectations for them would be redundant.
    spanned = {name for rule in table.spans for name in (rule.start, rule.end, rule.surface)}
    for column in table.columns:
        if column.name in spanned:
            continue
        if not column.nullable:
            specs.append(("ExpectColumnValuesToNotBeNull", {"column": column.name}))
        if column.allowed is not None:
            specs.append(("ExpectColumnValuesToBeInSet", {"column": column.name, "value_set": list(column.allowed)}))
        if column.min_value is not None:
            specs.append(("ExpectColumnValuesToBeBetween", {"column": column.name, "min_value": column.min_value}))
        if column.references:
            specs.append(("ExpectColumnValuesToBeInSet", {"column": fk_check_name(column.name), "value_set": [True]}))
    for rule in table.spans:
        specs.append(("ExpectColumnValuesToBeInSet", {"column": span_check_name(rule), "value_set": [True]}))
    for check in table.row_checks:
        specs.append(("ExpectColumnValuesToBeInSet", {"column": check.column_name, "value_set": [True]}))
    if len(table.primary_key) == 1:
        specs.append(("ExpectColumnValuesToBeUnique", {"column": table.primary_key[0]}))
    else:
        specs.append(("ExpectCompoundColumnsToBeUnique", {"column_list": list(table.primary_key)}))
    return specs


def build_suite(table: contract.Table):
    """The GX suite of a table (imports GX lazily: it costs seconds). Built in one constructor call:
    `suite.add_expectation` would write to a same-named stored suite as a side effect."""
    import great_expectations as gx

    expectations = [getattr(gx.expectations, name)(**kwargs) for name, kwargs in expectation_specs(table)]
    return gx.ExpectationSuite(name=table.name, expectations=expectations)
