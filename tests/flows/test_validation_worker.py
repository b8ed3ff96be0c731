"""The validation worker process: validation runs there when the CLI started it, and here when it died."""

import shutil
from datetime import date, datetime

import pytest

import flows.validation_worker as validation_worker
from tests.helpers.paths import ROOT
from transforms.article import CleanedArticle, Metadata
from contract.window import DateWindow
from transforms.extract.document import analyze_batch
from transforms.resolve.corpus import derive_corpus

RUN_WINDOW = DateWindow(date(2026, 12, 1))
BODY = "The harbour board of Saltmere met on Monday. “The quay will open in May,” its chair, Ida Vale, said."


@pytest.fixture()
def frames(nlp):
    article = CleanedArticle("id0", "doc0.txt", "sha", 10, "text", "utf-8", BODY, BODY,
                             Metadata(title="Quay to open", published_date=date(2024, 3, 7)), ())
    return derive_corpus(analyze_batch([article], nlp, "run1", datetime(2024, 1, 1)), RUN_WINDOW)


@pytest.fixture()
def gx_project(tmp_path):
    shutil.copytree(ROOT / "expectations" / "gx", tmp_path / "gx", ignore=shutil.ignore_patterns("uncommitted"))
    return tmp_path


def test_the_worker_validates_and_a_dead_worker_falls_back_to_validating_here(frames, gx_project, monkeypatch):
    worker = validation_worker.ValidationWorker(gx_project)
    try:
        monkeypatch.setattr(validation_worker, "_worker", worker)
        outcome = validation_worker.run_validation(frames, gx_project, "run-worker", RUN_WINDOW, build_docs=False)
        assert outcome.quarantine.height == 0 and outcome.results
        for process in list(worker._pool._processes.values()):
            process.kill()
        outcome = validation_worker.run_validation(frames, gx_project, "run-fallback", RUN_WINDOW, build_docs=False)
        assert outcome.quarantine.height == 0 and outcome.results
    finally:
        worker._pool.shutdown(wait=False)
