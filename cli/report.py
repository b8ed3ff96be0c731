"""`newsetl report`: the story report, a static HTML site (no script, no network) of the warehouse's stories
(`reports.story_report_writer`), read-only."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from cli.common import db_argument, default_db, os_reason, path, refuse, until_the_reader_stops

# What `newsetl report --help` says (argparse reflows it).
DESCRIPTION = """
Write a static HTML site of the warehouse's stories into --out: an index, a page per story (timeline chart,
undated and planned events, who said what, disputed claims, entities, articles) and a page per article (quotes
highlighted, removed lines struck through). No script and no network: open index.html from disk. Opens the
warehouse read-only. Exit 1 when there is no warehouse to read or --story names no story."""


def add_parser(commands) -> None:
    report = commands.add_parser(
        "report", help="write the story report: static HTML pages of each story", description=DESCRIPTION)
    db_argument(report)
    report.add_argument("--out", type=path, default=Path("report"), help="folder to write into (default: report/)")
    report.add_argument("--story", default=None, metavar="ID",
                        help="only this story (its page, articles and an index of it alone)")
    report.add_argument("--png", action="store_true", help="also write each timeline chart as a PNG beside its page")
    report.set_defaults(func=cmd_report)


@until_the_reader_stops
def cmd_report(args: argparse.Namespace) -> int:
    """The story report: a static HTML site (no script, no network) of the warehouse's stories, read-only."""
    # Deferred: DuckDB and the report's modules, which `--help` does without.
    import duckdb

    from cli.readonly import WarehouseUnreadable, first_line, has_table, reading
    from reports.story_report_writer import StoryNotFound, write_story_report
    from warehouse.output_folder import OutputRefused

    db = args.db or default_db()
    if args.out.exists() and not args.out.is_dir():
        return refuse(f"{args.out} is not a folder (--out names the folder the report is written into)")
    clock = time.perf_counter()
    try:
        with reading(db) as con:
            if not has_table(con, "stories"):
                return refuse(f"{db} has no stories table: not a newsetl warehouse")
            written = write_story_report(con, args.out, title=f"Stories: {Path(db).name}", story_id=args.story,
                                         png=args.png)
    except WarehouseUnreadable as reason:
        return refuse(reason)
    except (StoryNotFound, OutputRefused) as refused:
        return refuse(refused.args[0])
    except OSError as exc:
        return refuse(f"cannot write the report into {args.out}: {os_reason(exc)}")
    except duckdb.Error as exc:
        return refuse(f"cannot read the stories of {db}: {first_line(exc)}")
    _say_written(written, args.png, time.perf_counter() - clock)
    return 0


def _say_written(written: dict, png: bool, seconds: float) -> None:
    """The report's index, pages, size and time; what an earlier report wrote that is gone; notes."""
    pages = written["pages"]
    pngs = f", {sum(1 for p in pages if p.endswith('.png'))} PNG in {written['png_seconds']:.2f} s" if png else ""
    print(f"newsetl: story report {written['index'].as_uri()} ({sum(1 for p in pages if p.endswith('.html'))} pages, "
          f"{sum(pages.values()) / 1024:.0f} KiB{pngs}; {seconds:.2f} s)")
    if written["removed"]:
        print(f"  removed {len(written['removed'])} file(s) an earlier report wrote that this one does not")
    for note in written["notes"]:
        print(f"  note    {note}")
