"""A run killed (SIGKILL) inside its load transaction leaves the previous warehouse; the next run completes
it (through the real CLI)."""

from __future__ import annotations

import pytest

from tests.conftest import copy_expectations, table_snapshot
from tests.flows.process_helpers import start_paused_run
from tests.flows.test_incremental import _edit, _last_run, _run, loaded_copy

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_kill_during_load_leaves_the_previous_state_and_the_next_run_completes(tmp_path, scratch_warehouse):
    root = tmp_path
    copy_expectations(root / "expectations")
    seeds, db = loaded_copy(scratch_warehouse, root)
    before = table_snapshot(db)
    _edit(seeds)
    process = start_paused_run(root, seeds, db, pause=120)
    process.kill()  # SIGKILL inside the transaction, before COMMIT
    process.wait()
    assert table_snapshot(db) == before
    _run(root, seeds, db)
    assert _last_run(db)["documents_processed"] == 1
    assert table_snapshot(db) == table_snapshot(scratch_warehouse(seeds))
