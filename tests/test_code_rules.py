"""Rules of the code. In the orchestration and command-line code (`flows/`, `cli/`): short functions; a project
module imported inside a function only where the import is deferred on purpose, with a comment saying why; and
the quick commands (`--help`, `--version`, `status`) answer without importing the heavy libraries. Everywhere:
the tests mirror the source tree (`X/Y.py` has `tests/X/test_Y.py`), so a module's tests are found by its name
and a module without tests is noticed."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ("flows", "cli")
MAX_FUNCTION_LINES = 40  # from `def` to the last line, docstring included
PROJECT_PACKAGES = {"cli", "contract", "expectations", "flows", "reports", "transforms", "warehouse"}
HEAVY = ("prefect", "spacy", "great_expectations", "polars", "duckdb", "distributed")


def _functions(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield path.relative_to(ROOT), source.splitlines(), node


def long_functions(package: str, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    return [f"{path}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for path, _, node in _functions(package) if node.end_lineno - node.lineno + 1 > limit]


def _explained(lines: list[str], line_number: int) -> bool:
    """The import on `line_number` (1-based) has a comment: on its line, or above the run of imports it is in."""
    if "#" in lines[line_number - 1]:
        return True
    for line in reversed(lines[:line_number - 1]):
        text = line.strip()
        if text.startswith("#"):
            return True
        if text and not text.startswith(("import ", "from ")):
            return False
    return False


def unexplained_inner_imports(package: str) -> list[str]:
    found = []
    for path, lines, function in _functions(package):
        for node in ast.walk(function):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            if any(m.split(".")[0] in PROJECT_PACKAGES for m in modules) and not _explained(lines, node.lineno):
                found.append(f"{path}:{node.lineno} {function.name} imports {', '.join(modules)}")
    return found


def modules_without_tests(root: Path = ROOT) -> list[str]:
    """Modules of the project packages (`__init__.py` aside) whose mirrored test file is missing."""
    return [f"{module.relative_to(root)} has no {test.relative_to(root)}"
            for package in sorted(PROJECT_PACKAGES) for module in sorted((root / package).rglob("*.py"))
            if module.name != "__init__.py"
            for test in [root / "tests" / module.parent.relative_to(root) / f"test_{module.name}"]
            if not test.is_file()]


@pytest.mark.parametrize("package", CHECKED)
def test_no_function_is_longer_than_forty_lines(package):
    assert long_functions(package) == []


@pytest.mark.parametrize("package", CHECKED)
def test_a_project_module_is_imported_inside_a_function_only_with_a_reason(package):
    assert unexplained_inner_imports(package) == []


def test_the_checks_see_what_they_look_for(tmp_path, monkeypatch):
    """Both checks find a long function and an unexplained inner import when there is one."""
    package = tmp_path / "pkg"
    package.mkdir()
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    (package / "mod.py").write_text(f"def long():\n{body}\n\n\ndef inner():\n    from flows import lock\n\n\n"
                                    "def explained():\n    # deferred: a reason\n    from flows import lock\n"
                                    "    from cli import common\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert [entry.split()[1] for entry in long_functions("pkg")] == ["long"]
    assert [entry.split()[1] for entry in unexplained_inner_imports("pkg")] == ["inner"]


def test_every_module_has_its_test_file():
    assert modules_without_tests() == []


def test_the_mirror_check_sees_a_module_without_tests(tmp_path):
    (tmp_path / "flows" / "sub").mkdir(parents=True)
    for module in ("flows/__init__.py", "flows/tested.py", "flows/sub/untested.py", "flows/sub/__init__.py"):
        (tmp_path / module).write_text("")
    (tmp_path / "tests" / "flows").mkdir(parents=True)
    (tmp_path / "tests" / "flows" / "test_tested.py").write_text("")
    (tmp_path / "tests" / "test_untested.py").write_text("")  # not where the mirror puts it
    assert modules_without_tests(tmp_path) == ["flows/sub/untested.py has no tests/flows/sub/test_untested.py"]


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["run", "--help"], ["status", "--db", "{db}"]])
def test_the_quick_commands_import_no_heavy_library(argv, tmp_path):
    """`--version`, `--help` and `status` answer at once: no Prefect, spaCy, GX, polars (nor DuckDB, but for
    `status`, which reads the warehouse with it)."""
    code = ("import sys\nfrom cli.main import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            f"print('imported:', *(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)")
    args = [a.replace("{db}", str(tmp_path / "none.duckdb")) for a in argv]
    result = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=60)
    imported = set(result.stderr.strip().splitlines()[-1].removeprefix("imported:").split())
    assert imported <= ({"duckdb"} if argv[0] == "status" else set()), imported
