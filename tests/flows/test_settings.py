"""Run ids: sortable, unique, and never misread as a date by Great Expectations."""

import re
from datetime import datetime, timezone

import pytest

import flows.settings as settings_module
from flows.settings import new_run_id

# What GX's date parser (dateutil) reads as a time-zone offset: a timestamp, a dash and four digits.
DIGITS_ONLY_SUFFIX = re.compile(r"-\d+$")


def test_run_ids_never_end_in_digits_only():
    ids = [new_run_id() for _ in range(2000)]
    assert not [i for i in ids if DIGITS_ONLY_SUFFIX.search(i)]
    assert all(re.fullmatch(r"\d{8}T\d{6}Z-[a-z][0-9a-f]{4}", i) for i in ids)


def test_run_ids_start_with_their_start_time():
    stamp = "%Y%m%dT%H%M%SZ"
    before = datetime.now(timezone.utc).strftime(stamp)
    run_id = new_run_id()
    after = datetime.now(timezone.utc).strftime(stamp)
    assert before <= run_id[:16] <= after and run_id[16] == "-"


@pytest.mark.parametrize("random_part", ["7583", "9999", "2400", "0000", "2359"])
def test_great_expectations_reads_the_worst_run_id(monkeypatch, random_part):
    """The random part all digits (about one run in seven before the fix; from 2400 up the "offset" is
    invalid and every Data Docs page failed): GX's run identifier and page title must work with the id."""
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.render.renderer.page_renderer import ValidationResultsPageRenderer

    monkeypatch.setattr(settings_module.secrets, "token_hex", lambda nbytes: random_part)
    run_id = new_run_id()
    assert RunIdentifier(run_name=run_id).to_tuple()[0] == run_id  # parses the name as a time when no time given
    title = ValidationResultsPageRenderer()._determine_page_title(run_id, "2025-01-01T12:00:00Z", "quotes", "quotes")
    assert run_id in title


@pytest.mark.parametrize("variable, value", [("NEWSETL_BATCH_SIZE", "abc"), ("NEWSETL_WORKERS", "0"),
                                             ("NEWSETL_DB_WAIT_SECONDS", "-1"), ("NEWSETL_MAX_FILE_BYTES", "1e3"),
                                             ("NEWSETL_LOCK_WAIT_SECONDS", "nan")])
def test_a_bad_number_in_the_environment_is_one_line_naming_the_variable(monkeypatch, capsys, variable, value):
    from cli.main import main

    monkeypatch.setenv(variable, value)
    assert main(["run", "--seeds", "/nonexistent/seeds", "--db", "/nonexistent/news.duckdb"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"newsetl: {variable}={value!r} is not a")


def test_the_readme_documents_every_variable_the_settings_read():
    """Each NEWSETL_* variable `Settings` reads has a row in the README's configuration table."""
    from pathlib import Path

    source = Path(settings_module.__file__).read_text(encoding="utf-8")
    variables = {f"NEWSETL_{name}" for name in re.findall(r'_env(?:_number)?\("([A-Z_]+)"', source)}
    readme = (Path(settings_module.__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(NEWSETL_[A-Z_]+)` \|", readme, flags=re.M))
    assert len(variables) > 10 and variables <= documented, sorted(variables - documented)
