"""The pure layer: no IO, no Prefect, no clock. One room per stage (`clean`, `extract`, `resolve`) and the
few modules they share (records passed between stages, frames, dates, text keys, word lists, gazetteer,
the manifest comparison)."""
