"""The `newsetl` command line: one module per command (its options and what it prints), and the read-side
commands' own helpers (the sealed read-only connection, the SQL shell, text tables, the run summary)."""
