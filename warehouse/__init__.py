"""The warehouse contract, its DuckDB schema and the one-transaction loader."""
