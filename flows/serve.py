"""`newsetl serve`: the ingest flow on a cron or interval schedule, through Prefect's `serve`.

Schedules never fire on Prefect's temporary server, so serving needs a real one: the configured one
(`PREFECT_API_URL`), or one started here on loopback (`flows.server.local_server`) and stopped on exit. Each
scheduled run is `flows.ingest.scheduled_ingest`, which plans in its flow (no command planned for it) and
prints one line; Ctrl-C or SIGTERM (`flows.startup.interrupt_on_sigterm`) stops serving.
"""

from __future__ import annotations

import sys
from contextlib import nullcontext
from dataclasses import dataclass

from flows.server import local_server, loopback_api_url
from flows.settings import Settings
from flows.terminal_logs import one_line_logs


@dataclass(frozen=True)
class Schedule:
    """When scheduled runs fire: a cron expression, or every `interval` seconds."""
    cron: str | None = None
    interval: float | None = None

    def __str__(self) -> str:
        return f"cron {self.cron}" if self.cron else f"every {self.interval:g}s"


def serve(settings: Settings, schedule: Schedule, port: int, debug: bool = False) -> None:
    """Serve the ingest of `settings.seeds_dir` into `settings.db_path` on `schedule` until stopped, on the
    configured Prefect server or on one started on 127.0.0.1:`port`. `PrefectStartFailed` if that cannot start."""
    own_server = settings.prefect_api_url is None
    with local_server(port) if own_server else nullcontext(settings.prefect_api_url) as api_url:
        # Deferred: Prefect takes seconds to import and reads its settings then, after `flows.startup` set them.
        from flows.ingest import scheduled_ingest

        one_line_logs(debug)
        print(f"newsetl: serving ingest of {settings.seeds_dir} into {settings.db_path} ({schedule}); Prefect UI "
              f"{api_url.removesuffix('/api')}/ (API {api_url}); one line per run below; Ctrl-C stops", flush=True)
        try:
            scheduled_ingest.serve(
                name="newsetl-scheduled", cron=schedule.cron, interval=schedule.interval,
                parameters={"seeds_dir": str(settings.seeds_dir.resolve()), "db_path": str(settings.db_path.resolve())},
                tags=["newsetl", "scheduled"], description="Re-ingest the seeds folder; unchanged files are skipped.",
                print_starting_message=False, limit=1)
        except KeyboardInterrupt:
            print("newsetl: serve stopped", file=sys.stderr, flush=True)


def own_server_url(settings: Settings, port: int) -> str | None:
    """The API URL of the Prefect server `serve` starts itself (none configured), or None."""
    return None if settings.prefect_api_url else loopback_api_url(port)
