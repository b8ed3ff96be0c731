"""The tables of the contract hold together: every key, reference, span rule and row check names columns that
exist. (What is generated from them is tested where it is generated: `warehouse.schema` the DDL,
`expectations.suites` the GX suites, `warehouse.docs` the schema reference.)"""

import contract


def test_references_point_at_real_columns():
    for table in contract.TABLES:
        for column in table.columns:
            if column.references:
                ref_table, ref_column = column.references.split(".")
                assert ref_column in contract.TABLES_BY_NAME[ref_table].column_names


def test_every_key_rule_and_check_names_columns_of_its_table():
    for table in contract.TABLES:
        columns = {c.name: c for c in table.columns}
        assert len(columns) == len(table.columns), f"{table.name}: a column declared twice"
        assert table.primary_key and all(not columns[key].nullable for key in table.primary_key), table.name
        for rule in table.spans:
            assert {rule.start, rule.end, rule.surface} <= set(columns), table.name
            assert rule.text_field is None or rule.text_field in columns, table.name
        for check in table.row_checks:
            assert set(check.columns) | set(check.repair) <= set(columns), (table.name, check.name)


def test_names_are_unique_and_staged_tables_are_per_article():
    assert len(contract.TABLES_BY_NAME) == len(contract.TABLES)
    assert all("article_id" in contract.TABLES_BY_NAME[name].column_names for name in contract.STAGED_TABLES)
