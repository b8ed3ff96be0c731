"""The DuckDB warehouse: DDL and views from the contract, schema drift, the one-transaction loader, what the
last run left (manifest, staged rows), the files beside it, the schema reference, and the Parquet export."""
