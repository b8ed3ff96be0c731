"""Validation: Great Expectations suites generated from the contract, the row-level check columns, and
`validate_frames`, which splits every frame into loadable rows and quarantine rows."""
