"""Great Expectations suites generated from the warehouse contract, and the row-level check columns."""
