"""Pure transforms: cleaning, extraction and cross-article resolution (no IO, no Prefect)."""
