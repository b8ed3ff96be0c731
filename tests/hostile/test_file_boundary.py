"""Property: whatever the files are (random bytes, undecodable names, dates in any year), read → decode →
clean → extract → resolve raises nothing, and every file seen is either an article or a rejection with its
reason (seen = loaded + quarantined)."""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows import stages
from flows.settings import Settings
from flows.sources import discover, scan_files
from contract.window import DateWindow

pytestmark = pytest.mark.slow
MODEL = Settings().spacy_model

# File names as the file system gives them: any bytes but "/" and NUL, so also names that are not UTF-8.
NAMES = st.binary(min_size=1, max_size=12).map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_")) \
    .filter(lambda b: b not in (b".", b"..") and not b.startswith(b"."))
YEARS = st.integers(1, 9999)


@st.composite
def article_text(draw) -> bytes:
    """A short article whose date line and body dates may lie in any year, near or far."""
    y1, y2 = draw(YEARS), draw(YEARS)
    day, month = draw(st.integers(1, 28)), draw(st.integers(1, 12))
    offset = draw(st.integers(-10**5, 10**5))
    text = (f"{day}.{month}.{y1}\n\nHarbour {draw(st.sampled_from(['reopens', 'closes', 'floods']))}\n\n"
            f"The harbour of Port Ellis reopened on Tuesday after repairs, officials said on {day} March {y2}. "
            f"Mayor Ana Ruiz said the work, which began on March {day}, {y2}, took {abs(offset)} days. "
            f"“We are ready,” she said. A ceremony is planned a day after the reopening, in {y1}.\n")
    as_html = draw(st.booleans())
    if as_html:
        text = f"<html><head><title>Harbour</title></head><body><article><p>{text}</p></article></body></html>"
    return text.encode(draw(st.sampled_from(["utf-8", "utf-16", "cp1252"])), errors="replace")


CONTENTS = st.one_of(st.binary(max_size=600), article_text())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.dictionaries(NAMES, CONTENTS, min_size=1, max_size=5), st.dates(date(1900, 1, 1), date(9999, 12, 1)))
def test_no_exception_escapes_and_every_file_is_loaded_or_quarantined(files, run_date):
    folder = Path(tempfile.mkdtemp(prefix="boundary-"))
    try:
        for name, data in files.items():
            with open(os.fsencode(folder) + b"/" + name, "wb") as handle:
                handle.write(data)
        scanned, raw = scan_files(discover(folder).files, folder, 100_000, {})
        frames, rejected = stages.process_batch(list(raw.values()), MODEL, "run", datetime(2026, 1, 1))
        derived, unresolved = stages.resolve_batch(frames, DateWindow(run_date)) if frames["articles"].height \
            else (frames, [])
        unreadable = [s for s in scanned if s.check]
        loaded = derived["articles"]["seed_name"].to_list() if derived else []
        quarantined = [s.seed_name for s in unreadable] + [r.seed_name for r in rejected + unresolved]
        assert sorted(loaded + quarantined) == sorted(s.seed_name for s in scanned)
        assert len(scanned) == len(files)
        assert not unresolved, unresolved  # dates in any year are handled, not isolated as failures
        assert all(r.reason for r in rejected + unresolved) and all(s.reason for s in unreadable)
        for name in loaded + quarantined:
            name.encode("utf-8")  # storable in the warehouse
    finally:
        shutil.rmtree(folder)
