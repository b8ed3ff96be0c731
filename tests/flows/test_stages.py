"""Batch stages: one bad document becomes a rejection with its reason; the batch goes on."""

from datetime import date

import polars as pl

from flows import stages
from flows.sources import RawFile
from contract.window import DateWindow
import contract


def _raw(name: str, data: bytes) -> RawFile:
    return RawFile(name, data, "0" * 64, len(data))


def test_a_decoder_failure_is_a_rejection_not_a_crash(monkeypatch):
    real = stages.decode_bytes

    def decode(data: bytes):
        if data.startswith(b"BOOM"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(data)

    monkeypatch.setattr(stages, "decode_bytes", decode)
    ok, rejected = stages.decode_batch([_raw("a.txt", b"The ferry sank off Kos."), _raw("b.txt", b"BOOM")])
    assert [d.raw.seed_name for d in ok] == ["a.txt"]
    assert [(r.seed_name, r.check) for r in rejected] == [("b.txt", "decode_error")]
    assert "RecursionError" in rejected[0].reason


def test_an_article_that_breaks_the_corpus_stage_is_rejected_and_the_rest_derived(monkeypatch):
    frames = {name: contract.empty_frame(table) for name, table in contract.TABLES_BY_NAME.items()}
    frames["articles"] = contract.conform(pl.DataFrame({"article_id": ["good", "bad"], "seed_name": ["g.txt", "b.txt"]}),
                                          contract.ARTICLES)
    derived_with: list[list[str]] = []

    def derive(frames, window):
        ids = frames["articles"]["article_id"].to_list()
        if "bad" in ids:
            raise OverflowError("date value out of range")
        derived_with.append(ids)
        return frames

    monkeypatch.setattr(stages, "derive_corpus", derive)
    out, rejected = stages.resolve_batch(frames, DateWindow(date(2026, 12, 3)))
    assert out["articles"]["article_id"].to_list() == ["good"] and derived_with[-1] == ["good"]
    assert [(r.seed_name, r.check, r.reason) for r in rejected] == [
        ("b.txt", "resolve_error", "OverflowError: date value out of range")]
