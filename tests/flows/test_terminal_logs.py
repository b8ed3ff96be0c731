"""What logging may put on the terminal during a run: one line per record, no traceback without --debug."""

from __future__ import annotations

import io
import logging

from flows.terminal_logs import MAX_LINE_CHARS, OneLineRecords, one_line_logs, terminal_handlers


def _shown(record_logger: str, level: int, message: str, debug: bool = False, exc: BaseException | None = None) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s - %(message)s"))
    handler.addFilter(OneLineRecords(debug))
    logger = logging.getLogger(record_logger)
    saved_handlers = logger.handlers[:]  # Prefect's own (its API handler warns outside a flow run): set aside
    logger.handlers = [handler]
    logger.propagate = False
    try:
        if exc is not None:
            try:
                raise exc
            except type(exc):
                logger.log(level, message, exc_info=True)
        else:
            logger.log(level, message)
    finally:
        logger.handlers = saved_handlers
        logger.propagate = True
    return stream.getvalue()


def test_a_logged_exception_is_one_line_naming_the_error():
    shown = _shown("warehouse.something", logging.ERROR, "writing the report failed", exc=OSError(28, "No space left"))
    assert shown.count("\n") == 1 and "Traceback" not in shown
    assert "writing the report failed: OSError: [Errno 28] No space left" in shown


def test_prefects_account_of_a_failed_flow_or_task_is_left_to_the_cli():
    for name in ("prefect.flow_runs", "prefect.task_runs"):
        assert _shown(name, logging.ERROR, "Finished in state Failed('boom')", exc=RuntimeError("boom")) == ""
    assert "worker died" in _shown("prefect.flow_runs", logging.WARNING, "an extraction worker died")


def test_a_dump_of_many_lines_or_characters_is_cut_to_one_line():
    shown = _shown("prefect._internal.concurrency", logging.ERROR, "Service 'EventsWorker' failed to process item "
                   + "Event(x)" * 500 + "\nsecond line")
    assert shown.count("\n") == 1 and len(shown) < MAX_LINE_CHARS + 80 and shown.rstrip().endswith("…")


def test_shutdown_noise_is_dropped_and_debug_keeps_everything():
    assert _shown("prefect.server", logging.ERROR, "Error flushing 1 events") == ""
    assert _shown("prefect.task_runs", logging.ERROR, "Crash detected! Execution was aborted by an interrupt signal.") == ""
    shown = _shown("prefect.flow_runs", logging.ERROR, "Finished in state Failed", debug=True, exc=RuntimeError("boom"))
    assert "Traceback" in shown and "RuntimeError: boom" in shown


def test_installed_on_the_stream_handlers_once_and_never_on_a_log_file(tmp_path):
    stream_handler, file_handler = logging.StreamHandler(io.StringIO()), logging.FileHandler(tmp_path / "run.log")
    logger = logging.getLogger("newsetl.test.terminal")
    logger.addHandler(stream_handler)
    logger.addHandler(file_handler)
    try:
        found = terminal_handlers()
        assert stream_handler in found and file_handler not in found
        one_line_logs(debug=False, handlers=[stream_handler])
        one_line_logs(debug=False, handlers=[stream_handler])
        assert sum(isinstance(f, OneLineRecords) for f in stream_handler.filters) == 1
    finally:
        logger.removeHandler(stream_handler)
        logger.removeHandler(file_handler)
        file_handler.close()
