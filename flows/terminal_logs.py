"""What logging may put on the user's terminal during a run: one line per record, never a traceback unless
`--debug`.

Prefect routes every log record (its own, the flow's, the libraries') to one console handler on stderr.
Left alone, a failed flow prints its traceback two or three times (the task, the flow, its final state)
before the CLI's own one-line reason, a Ctrl-C is reported as a "crash" of every running task, and the
temporary server's event client may dump whole events. The CLI says what happened in one line itself, so
here: Prefect's own report of a failed or interrupted flow or task run is dropped, any other record is
cut to the first line of its message, without its traceback. `--debug` keeps everything.
"""

from __future__ import annotations

import logging

# Messages that are never news to the user: a harmless event-flush error while Prefect's server shuts down,
# and Prefect's report of a Ctrl-C or SIGTERM as a "crash" (the CLI says the run was interrupted).
NOISE = ("Error flushing", "aborted by a termination signal", "aborted by an interrupt signal")
# Loggers whose errors are Prefect's account of a failed flow or task run: the CLI reports the failure.
RUN_STATE_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")
MAX_LINE_CHARS = 300


class OneLineRecords(logging.Filter):
    """A filter for the terminal's handlers (see the module docstring)."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__()
        self.debug = debug

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(noise in message for noise in NOISE):
            return False
        if self.debug:
            return True
        if record.levelno >= logging.ERROR and record.name.startswith(RUN_STATE_LOGGERS):
            return False
        if record.exc_info or record.exc_text or "\n" in message or len(message) > MAX_LINE_CHARS:
            first = message.strip().split("\n", 1)[0]
            if record.exc_info and record.exc_info[1] is not None:
                error = record.exc_info[1]
                first += f": {type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
            record.msg, record.args = _clip(first), None
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


def _clip(text: str) -> str:
    return text if len(text) <= MAX_LINE_CHARS else text[:MAX_LINE_CHARS - 1] + "…"


def terminal_handlers() -> list[logging.Handler]:
    """Every handler that writes to a stream (stderr, in practice), not a file, on the root logger or any named one."""
    loggers = [logging.getLogger(), *(logger for logger in logging.root.manager.loggerDict.values()
                                      if isinstance(logger, logging.Logger))]
    found: list[logging.Handler] = []
    for logger in loggers:
        for handler in logger.handlers:
            if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler) \
                    and handler not in found:
                found.append(handler)
    return found


def one_line_logs(debug: bool, handlers: list[logging.Handler] | None = None) -> None:
    """Install the filter on every terminal handler there is now (`handlers`, default `terminal_handlers()`;
    call it once Prefect has configured logging: importing `prefect` does). Installing it twice changes
    nothing."""
    for handler in terminal_handlers() if handlers is None else handlers:
        if not any(isinstance(f, OneLineRecords) for f in handler.filters):
            handler.addFilter(OneLineRecords(debug))
