"""The GX suites are generated from the contract: the committed ones are current, and every rule has its
expectation."""

import json
from pathlib import Path

from expectations.checks import check_columns
from expectations.suites import VALIDATED_TABLES, build_suite, expectation_specs

ROOT = Path(__file__).resolve().parents[2]


def test_committed_suites_equal_generated_suites():
    for table in VALIDATED_TABLES:
        stored = json.loads((ROOT / "expectations" / "gx" / "expectations" / f"{table.name}.json").read_text())
        generated = build_suite(table)
        stored_specs = [(e["type"], e["kwargs"]) for e in stored["expectations"]]
        generated_specs = [(e.configuration.type, e.configuration.kwargs) for e in generated.expectations]
        assert stored_specs == generated_specs, f"expectations/gx/expectations/{table.name}.json is stale"


def test_every_rule_of_the_contract_has_an_expectation():
    for table in VALIDATED_TABLES:
        kinds = [(e.configuration.type, e.configuration.kwargs.get("column")) for e in build_suite(table).expectations]
        spanned = {name for rule in table.spans for name in (rule.start, rule.end, rule.surface)}
        for column in table.columns:
            if not column.nullable and column.name not in spanned:  # span rules check those, more strictly
                assert ("expect_column_values_to_not_be_null", column.name) in kinds
            if column.allowed:
                assert ("expect_column_values_to_be_in_set", column.name) in kinds
        for check in check_columns(table):
            assert ("expect_column_values_to_be_in_set", check) in kinds


def test_the_specs_check_the_column_set_and_the_key_and_leave_spanned_columns_to_their_rule():
    """`expectation_specs` alone (no GX import): what each table's suite is made of."""
    for table in VALIDATED_TABLES:
        specs = expectation_specs(table)
        assert specs[0] == ("ExpectTableColumnsToMatchSet",
                            {"column_set": table.column_names + check_columns(table), "exact_match": True})
        unique = ("ExpectColumnValuesToBeUnique", {"column": table.primary_key[0]}) if len(table.primary_key) == 1 \
            else ("ExpectCompoundColumnsToBeUnique", {"column_list": list(table.primary_key)})
        assert specs[-1] == unique
        checked = {kwargs.get("column") for _, kwargs in specs[1:]}
        for rule in table.spans:
            assert not {rule.start, rule.end, rule.surface} & checked, table.name
    assert {"articles", "quotes", "stories"} <= {t.name for t in VALIDATED_TABLES}
    assert not {"runs", "quarantine", "manifest"} & {t.name for t in VALIDATED_TABLES}  # written by the pipeline
