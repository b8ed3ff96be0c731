"""One ingest run as a command makes it (`newsetl run`, each run of `watch`).

Under the warehouse lock, held from the first check to the end so that no other run can start in between:
the pre-flight checks and the plan, made once (`flows.incremental.plan_checked`). A run with nothing to do
is recorded here, in about a second, without Prefect, GX or spaCy. Otherwise Prefect starts and the `ingest`
flow runs on that plan (`flows.incremental.handed_over`). A Ctrl-C, or a SIGTERM taken as one
(`flows.startup.interrupt_on_sigterm`), stops the run's workers and records it as interrupted.
"""

from __future__ import annotations

from datetime import datetime

from flows.incremental import Planned, RunReport, handed_over, plan_checked, record_interrupted, record_noop, utcnow
from flows.lock import WarehouseLock
from flows.server import check_prefect_home, start_temporary_server
from flows.settings import Settings
from flows.terminal_logs import one_line_logs
from flows.validation_worker import start_warm_up, stop_worker
from flows.workers import spawn_outside_terminal_group


class RunInterrupted(KeyboardInterrupt):
    """The run was stopped (Ctrl-C, SIGTERM) before its load committed; nothing of it was written but, when
    `recorded`, its `runs` row (status `interrupted`)."""

    def __init__(self, run_id: str, recorded: bool) -> None:
        super().__init__(run_id)
        self.run_id, self.recorded = run_id, recorded


def run_ingest(settings: Settings, run_id: str, trigger: str = "manual", debug: bool = False) -> RunReport:
    """One run, from the pre-flight checks to its report. Raises `WarehouseBusy` when another run holds the
    warehouse, `RunInterrupted`, or what stopped the run (a refusal such as `MassRemovalRefused`, a failure).
    `trigger` tags the flow run (`manual`, `watch`); `debug` keeps Prefect's tracebacks on the terminal."""
    started = utcnow()
    with WarehouseLock(settings.db_path, run_id, settings.lock_wait_seconds):
        try:
            settled = settle_or_plan(settings, run_id, started)
            if isinstance(settled, RunReport):
                return settled
            return _ingest_with_prefect(settings, run_id, trigger, debug, settled)
        except KeyboardInterrupt:
            raise RunInterrupted(run_id, _record_interruption(settings, run_id, started)) from None


def settle_or_plan(settings: Settings, run_id: str, started: datetime) -> RunReport | Planned:
    """The checked plan when there is work; when no input file changed, the run recorded here and its report."""
    planned = plan_checked(settings)
    if not planned.plan.changes.is_noop:
        return planned
    return record_noop(settings, run_id, started, planned.plan, timings={"discover": planned.seconds})


def _ingest_with_prefect(settings: Settings, run_id: str, trigger: str, debug: bool, planned: Planned) -> RunReport:
    """Start what the flow needs, the slow parts side by side, then run it on `planned`."""
    check_prefect_home(settings.prefect_home)  # before Prefect is imported: it warns, then its server retries for minutes
    spawn_outside_terminal_group()  # a terminal's Ctrl-C reaches this process only; it stops the workers
    start_warm_up(settings.expectations_dir)  # GX starts in its worker process while Prefect starts here
    # Deferred: Prefect takes seconds to import and reads its settings then, after `flows.startup` set them.
    from prefect import tags

    from flows.ingest import ingest

    one_line_logs(debug)
    start_temporary_server(settings.prefect_home)  # the server a run without PREFECT_API_URL uses: dies with the run
    with tags("newsetl", trigger), handed_over(run_id, planned):
        return ingest(settings=settings, run_id=run_id)


def _record_interruption(settings: Settings, run_id: str, started: datetime) -> bool:
    """Stop the validation worker and write the interrupted run's `runs` row; False when a second Ctrl-C
    came first (the user wants out now: the row is not written)."""
    try:
        stop_worker(now=True)
        record_interrupted(settings, run_id, started, {})
        return True
    except KeyboardInterrupt:
        return False
