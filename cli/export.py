"""`newsetl export`: every analyst table as Parquet under --parquet DIR (`warehouse.export_writer`),
read-only; a re-export rewrites only what changed. DuckDB may write inside DIR and nowhere else
(`cli.readonly.seal`)."""

from __future__ import annotations

import argparse

from cli.common import db_argument, default_db, os_reason, path, refuse, until_the_reader_stops

# What `newsetl export --help` says (argparse reflows it).
DESCRIPTION = """
Write every analyst table of the warehouse as Parquet under --parquet DIR: article-level tables (those with an
article_id) by the publication month of the article, DIR/TABLE/month=YYYY-MM/part-0.parquet (hive
partitioning; month=unknown when undated), the others as DIR/TABLE/part-0.parquet, and DIR/_manifest.json
(latest completed run, row counts, content hash per partition, schema). A re-export rewrites only partitions
whose content changed and removes those that are gone. Opens the warehouse read-only. Exit 1 when there is no
warehouse to read."""


def add_parser(commands) -> None:
    export = commands.add_parser(
        "export", help="write every analyst table as Parquet (--parquet DIR), incrementally", description=DESCRIPTION)
    db_argument(export)
    export.add_argument("--parquet", type=path, required=True, metavar="DIR", help="folder to write the export into")
    export.set_defaults(func=cmd_export)


@until_the_reader_stops
def cmd_export(args: argparse.Namespace) -> int:
    """Every analyst table as Parquet under --parquet DIR, read-only; a re-export rewrites only what changed."""
    # Deferred: DuckDB and the export's modules, which `--help` does without.
    import duckdb

    from cli.readonly import WarehouseUnreadable, reading
    from warehouse.export_writer import ExportError, export_parquet
    from warehouse.output_folder import OutputRefused

    db = args.db or default_db()
    try:
        with reading(db, write_into=args.parquet) as con:
            report = export_parquet(con, args.parquet)
    except (WarehouseUnreadable, ExportError, OutputRefused) as reason:
        return refuse(reason)
    except OSError as exc:
        return refuse(f"export to {args.parquet} failed: {os_reason(exc)}")
    except duckdb.Error as exc:
        return refuse(f"export to {args.parquet} failed: {' '.join(str(exc).split())}")
    plan = report.plan
    print(f"newsetl: exported {report.rows} rows of run {report.run_id or '(none completed)'} to "
          f"{report.manifest.parent} ({len(plan.write)} partitions written, {len(plan.keep)} kept, "
          f"{len(plan.remove)} removed; {report.bytes / 1024:.0f} KiB; {report.seconds:.2f} s)")
    for part in plan.write:
        print(f"  wrote   {part.path} ({part.rows} rows)")
    for removed in plan.remove:
        print(f"  removed {removed}")
    for note in report.notes:
        print(f"  note    {note}")
    return 0
