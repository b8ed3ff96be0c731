"""`newsetl` driven as a process, as a user runs it, with a private copy of the GX project so test runs
never touch the committed one."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.helpers.paths import BIN, ROOT


def cli_env(tmp_root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("PREFECT_HOME", str(ROOT / ".prefect"))
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    env["NEWSETL_EXPECTATIONS"] = str(tmp_root / "expectations")
    return env


def copy_expectations(target: Path) -> Path:
    """A private copy of the GX project, so test runs never touch the committed one."""
    shutil.copytree(ROOT / "expectations" / "gx", target / "gx", ignore=shutil.ignore_patterns("uncommitted"))
    return target


def run_cli(args: list[str], tmp_root: Path, timeout: int = 600, env: dict[str, str] | None = None,
            ephemeral: bool = False) -> subprocess.CompletedProcess:
    """`newsetl ARGS` in a subprocess. It reports to the session's Prefect server when one is up, or
    (`ephemeral`) starts Prefect's local ephemeral server as `make run` does."""
    if not (tmp_root / "expectations").exists():
        copy_expectations(tmp_root / "expectations")
    full_env = {**cli_env(tmp_root), **(env or {})}
    if ephemeral:
        full_env.pop("PREFECT_API_URL", None)
    return subprocess.run([str(BIN / "newsetl"), *args], cwd=ROOT, env=full_env, capture_output=True, text=True,
                          timeout=timeout)
