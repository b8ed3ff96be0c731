"""Where the tests find the project: the checkout, its seed articles, and the venv's commands (`newsetl`,
`prefect`) beside the interpreter running the tests."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SEEDS = ROOT / "seeds"
BIN = Path(sys.executable).parent
