"""The DuckDB schema built from the contract (`contract`), the one-transaction loader and the warehouse state."""
