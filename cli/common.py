"""What the commands share: option types and options (`--db`, what to ingest), settings from the options,
the one-line refusal, exit codes, and `--version`.

Light on purpose: every command module imports it, and `newsetl --help` imports every command module.
"""

from __future__ import annotations

import argparse
import functools
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path

from flows.settings import PROJECT_ROOT, Settings, configured_spacy_model

EXIT_USAGE = 2  # argparse's own code for bad usage; a bad NEWSETL_* variable too
EXIT_BUSY = 3  # another run is writing
EXIT_INTERRUPTED = 130  # as a shell reports a process ended by Ctrl-C
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
Command = Callable[[argparse.Namespace], int]


class Number:
    """An argparse `type`: a finite int or float from `minimum` (above it when `above`) up to `maximum`,
    refused with a message saying what is expected (argparse prints it on one line and exits 2)."""

    def __init__(self, kind: type, minimum: float, maximum: float | None = None, above: bool = False) -> None:
        self.kind, self.minimum, self.maximum, self.above = kind, minimum, maximum, above
        self.noun = "whole number" if kind is int else "number"

    def __call__(self, text: str):
        try:
            value = self.kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {self.noun}") from None
        low = value > self.minimum if self.above else value >= self.minimum
        if not (math.isfinite(value) and low and (self.maximum is None or value <= self.maximum)):
            bounds = (f"from {self.minimum:g} to {self.maximum:g}" if self.maximum is not None
                      else f"more than {self.minimum:g}" if self.above else f"{self.minimum:g} or more")
            raise argparse.ArgumentTypeError(f"{text} is out of range: expected a {self.noun}, {bounds}")
        return value


def path(text: str) -> Path:
    """An argparse `type` for a path: an empty one would silently mean the current folder."""
    if not text:
        raise argparse.ArgumentTypeError("an empty path (it would mean the current folder)")
    return Path(text)


COUNT = Number(int, 1)  # how many of something: at least one
SECONDS = Number(float, 0)  # a wait: none at all is fine
POSITIVE_SECONDS = Number(float, 0, above=True)  # a period: zero would spin
PORT = Number(int, 1, 65535)


def db_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument("--db", type=path, default=None, help="DuckDB warehouse file (default: warehouse/news.duckdb)")


def target_arguments(command: argparse.ArgumentParser) -> None:
    """Options the ingesting commands share: what to ingest, where to, and how loud Prefect is."""
    command.add_argument("--seeds", type=path, default=None, help="folder of raw articles (default: seeds/)")
    db_argument(command)
    command.add_argument("--log-level", default="WARNING", type=str.upper, choices=LOG_LEVELS,
                         help="Prefect log level (default WARNING; INFO shows task runs)")
    command.add_argument("--allow-mass-removal", action="store_true",
                         help="retract the rows of files gone from --seeds even when that is most (or all) of the "
                              "warehouse's articles (refused by default: a wrong --seeds path looks the same)")
    command.add_argument("--debug", action="store_true", help="print the traceback of a failure")


def settings_from(args: argparse.Namespace) -> Settings:
    """The environment's settings (`Settings`) with the command's options over them."""
    option = functools.partial(getattr, args)
    return Settings().with_overrides(
        seeds_dir=args.seeds, db_path=args.db, batch_size=option("batch_size", None), spacy_model=option("model", None),
        progress=not option("no_progress", True), lock_wait_seconds=option("wait", None),
        allow_mass_removal=option("allow_mass_removal", False) or None, rebuild=option("rebuild", False) or None,
        task_runner="dask" if option("dask_address", None) else option("task_runner", None),
        dask_address=option("dask_address", None))


def default_db() -> Path:
    return Settings().db_path


def refuse(message: object) -> int:
    """A command that cannot do its work: one line on stderr, exit 1."""
    print(f"newsetl: {message}", file=sys.stderr)
    return 1


def os_reason(error: OSError) -> str:
    """`Not a directory: 'report/stories'` rather than `[Errno 20] Not a directory: ...`."""
    where = f": {error.filename}" if error.filename else ""
    return f"{error.strerror}{where}" if error.strerror else str(error)


def until_the_reader_stops(command: Command) -> Command:
    """A read-side command piped into `head` (or a pager closed early) stops quietly, exit 1, instead of a
    BrokenPipeError traceback; stdout goes to /dev/null so that Python's last flush has nowhere to fail."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        try:
            code = command(args)
            sys.stdout.flush()
            return code
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
    return run


def _distribution_version(name: str) -> str | None:
    import importlib.metadata  # deferred: 60 ms of imports (email parsing) that only `--version` needs

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _own_version() -> str:
    """From the installed package's metadata; from pyproject.toml when the code runs uninstalled."""
    import tomllib  # deferred, as `_distribution_version`'s import: only `--version` needs it

    if installed := _distribution_version("newsetl"):
        return installed
    with open(PROJECT_ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def version_text() -> str:
    """What a bug report needs: this package's version and what it runs on. Read from package metadata,
    so that `--version` answers at once, without importing Prefect or spaCy."""
    import platform  # deferred, as `_distribution_version`'s import: only `--version` needs it

    model = configured_spacy_model()  # as Settings reads it, whatever else is set
    model_version = _distribution_version(model)
    return "\n".join([
        f"newsetl {_own_version()}",
        f"Python {platform.python_version()}",
        f"Prefect {_distribution_version('prefect')}",
        f"DuckDB {_distribution_version('duckdb')}",
        f"spaCy {_distribution_version('spacy')}",
        f"spaCy model {model}" + (f" {model_version}" if model_version else ""),
    ])


class VersionAction(argparse.Action):
    """`--version`: print `version_text()` and exit 0, before any command is required."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="print the version of newsetl and of what it runs on, then exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(version_text())
        parser.exit()
